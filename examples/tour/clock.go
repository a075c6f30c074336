package main

import (
	"fmt"
	"io"
	"time"

	"github.com/minicloud/minicloud/clock"
)

func tourClock(w io.Writer) error {
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	fmt.Fprintln(w, "A Manual clock stands still until the program moves it.")
	c.AfterFunc(15*time.Minute, func() {
		fmt.Fprintf(w, "  %s a Lambda timeout of 15 minutes falls due\n", c.Now().Format("Jan 2 15:04"))
	})
	c.AfterFunc(24*time.Hour, func() {
		fmt.Fprintf(w, "  %s a stream record's 24-hour retention ends\n", c.Now().Format("Jan 2 15:04"))
	})
	c.AfterFunc(time.Minute, func() {
		fmt.Fprintf(w, "  %s an async retry after one minute; it schedules the next in two\n", c.Now().Format("Jan 2 15:04"))
		c.AfterFunc(2*time.Minute, func() {
			fmt.Fprintf(w, "  %s the second retry\n", c.Now().Format("Jan 2 15:04"))
		})
	})
	fmt.Fprintln(w, "Advance(48h) fires everything due, in order, each at its own time:")
	c.Advance(48 * time.Hour)
	fmt.Fprintf(w, "Two days passed in no real time; the clock reads %s.\n", c.Now().Format(time.DateTime))
	return nil
}
