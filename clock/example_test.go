package clock_test

import (
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// A Manual clock steps through a day in one call: every timer due on the
// way fires in order, at its own time.
func ExampleManual() {
	c := clock.NewManual(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	c.AfterFunc(8*time.Hour, func() { fmt.Println(c.Now().Format("15:04"), "stand-up") })
	c.AfterFunc(12*time.Hour, func() {
		fmt.Println(c.Now().Format("15:04"), "lunch; coffee in 90 minutes")
		c.AfterFunc(90*time.Minute, func() { fmt.Println(c.Now().Format("15:04"), "coffee") })
	})
	c.AfterFunc(23*time.Hour, func() { fmt.Println(c.Now().Format("15:04"), "nightly TTL sweep") })

	c.Advance(24 * time.Hour)
	fmt.Println("now", c.Now().Format("2006-01-02 15:04"))
	// Output:
	// 08:00 stand-up
	// 12:00 lunch; coffee in 90 minutes
	// 13:30 coffee
	// 23:00 nightly TTL sweep
	// now 2025-06-02 00:00
}
