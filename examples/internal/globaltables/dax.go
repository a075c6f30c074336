package globaltables

import (
	"fmt"
	"time"

	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/dynamo/dax"
)

// dax puts a DAX cluster in front of the us-east-1 table and reads a hot
// key through it.
func (s *scenario) dax() error {
	const ttl = 5 * time.Minute
	cache := dax.New(s.east, dax.Options{Clock: s.clk, ItemTTL: ttl})
	key := dynamo.Item{"id": dynamo.S("c1")}
	reads := func() (float64, error) {
		u, err := s.east.TableUsage(s.ctx, table)
		if err != nil {
			return 0, err
		}
		return u.ConsumedReadCapacityUnits, nil
	}
	get := func(c dax.Client, consistent bool) (string, error) {
		out, err := c.GetItem(s.ctx, &dynamo.GetItemInput{TableName: table, Key: key, ConsistentRead: consistent})
		if err != nil {
			return "", err
		}
		return show(out.Item), nil
	}
	stats := func(what string) {
		st := cache.Stats()
		s.say("  %-44s item cache: hits %d, misses %d, expired %d", what, st.ItemCacheHits, st.ItemCacheMisses, st.ItemCacheExpirations)
	}

	s.say("\nA DAX cluster in front of the %s table (item cache TTL %v), and c1 turns hot:", east, ttl)
	s.say("1,000 eventually consistent GetItems of c1 through the cluster, one every 100 ms.")
	before, err := reads()
	if err != nil {
		return err
	}
	const n = 1000
	for range n {
		if _, err := get(cache, false); err != nil {
			return err
		}
		s.clk.Advance(100 * time.Millisecond)
	}
	after, err := reads()
	if err != nil {
		return err
	}
	stats(fmt.Sprintf("after %d reads (%v):", n, n*100*time.Millisecond))
	s.say("  the table consumed %.1f RCU for them (one eventually consistent read of a small item);", after-before)
	s.say("  without the cluster it would have consumed %.1f.", float64(n)*0.5)

	s.clk.Advance(ttl)
	before = after
	if _, err := get(cache, false); err != nil {
		return err
	}
	if after, err = reads(); err != nil {
		return err
	}
	stats(fmt.Sprintf("%v later, past the TTL, one more read:", ttl))
	s.say("  the entry expired on the clock, so that read reached the table: %.1f RCU more.", after-before)

	s.say("\nDAX is eventually consistent. A write straight to the table (or one replicated in from")
	s.say("%s, which is the same thing) does not reach the cache:", sydney)
	if _, err := s.east.PutItem(s.ctx, &dynamo.PutItemInput{TableName: table,
		Item: dynamo.Item{"id": dynamo.S("c1"), "items": dynamo.N("4"), "from": dynamo.S(east)}}); err != nil {
		return err
	}
	s.say("  table PutItem c1 items=4")
	steps := []struct {
		what       string
		c          dax.Client
		consistent bool
		wait       time.Duration
	}{
		{"through DAX", cache, false, 0},
		{"through DAX, ConsistentRead (passed through)", cache, true, 0},
		{fmt.Sprintf("through DAX, %v later (TTL run out)", ttl), cache, false, ttl},
	}
	for _, st := range steps {
		s.clk.Advance(st.wait)
		got, err := get(st.c, st.consistent)
		if err != nil {
			return err
		}
		s.say("  GetItem c1 %-49s -> %s", st.what, got)
	}
	s.say("A write through the cluster is write-through: the table takes it, then the cache holds it.")
	if _, err := cache.PutItem(s.ctx, &dynamo.PutItemInput{TableName: table,
		Item: dynamo.Item{"id": dynamo.S("c1"), "items": dynamo.N("5"), "from": dynamo.S(east)}}); err != nil {
		return err
	}
	s.say("  DAX PutItem c1 items=5")
	for _, c := range []struct {
		what string
		c    dax.Client
	}{{"through DAX", cache}, {"from the table", s.east}} {
		got, err := get(c.c, false)
		if err != nil {
			return err
		}
		s.say("  GetItem c1 %-49s -> %s", c.what, got)
	}
	return nil
}
