// Package clock is minicloud's only source of time.
//
// Every service takes a [Clock] in its options and reads the time, sleeps,
// and schedules its background work (TTL deletion, Lambda retries, Step
// Functions Wait states, cache expiry) through it. Leave the option nil and
// a service uses [Real], the machine's clock.
//
// Tests use a [Manual] clock instead. It stands still until the test moves
// it with [Manual.Advance] or [Manual.Set], and then fires everything that
// falls due on the way, in due order, each with Now() equal to its due time,
// including work that the fired callbacks schedule inside the same advance.
// A 24-hour stream retention or a 15-minute Lambda timeout is thus tested in
// microseconds, and the same steps give the same results every run.
//
// Code under test often starts waiting on another goroutine.
// [Manual.BlockUntil] waits until a given number of timers are pending, so a
// test advances only once the code is waiting:
//
//	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
//	go worker(c)                 // sleeps for an hour on c
//	c.BlockUntil(ctx, 1)         // worker is asleep
//	c.Advance(time.Hour)         // worker wakes
//
// The real clock also works inside a testing/synctest bubble, where the
// time package itself runs on virtual time: minicloud's background loops
// always wait on a timer or a channel, never spin, so a bubble can tell
// when they are all blocked.
package clock
