package dax

import (
	"container/list"
	"sync"
	"time"
)

// lru is a cache bounded in bytes, evicting the least recently used
// entry first, whose entries expire a fixed time after they were stored.
// It is safe for concurrent use.
type lru struct {
	mu       sync.Mutex
	max      int64
	size     int64
	ttl      time.Duration
	entries  map[string]*list.Element
	order    *list.List        // front is the most recently used
	byItem   map[string]keySet // item ID -> keys of its entries (item cache)
	hits     int64
	misses   int64
	evicted  int64
	expired  int64
	evictedB int64
}

type keySet map[string]struct{}

type entry struct {
	key     string
	item    string // the item ID it caches, for invalidation; "" for none
	value   any
	size    int64
	expires time.Time
}

func newLRU(max int64, ttl time.Duration) *lru {
	return &lru{max: max, ttl: ttl, entries: map[string]*list.Element{}, order: list.New(), byItem: map[string]keySet{}}
}

// get returns the live value under key, counting a hit or a miss.
func (c *lru) get(key string, now time.Time) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if ok {
		e := el.Value.(*entry)
		if now.Before(e.expires) {
			c.order.MoveToFront(el)
			c.hits++
			return e.value, true
		}
		c.remove(el)
		c.expired++
	}
	c.misses++
	return nil, false
}

// put stores value under key, evicting least recently used entries to
// stay within the size bound. An entry larger than the whole cache is not
// stored.
func (c *lru) put(key, item string, value any, size int64, now time.Time) {
	size += int64(len(key)) + entryOverhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.remove(el)
	}
	if size > c.max {
		return
	}
	for c.size+size > c.max {
		oldest := c.order.Back()
		c.evictedB += oldest.Value.(*entry).size
		c.remove(oldest)
		c.evicted++
	}
	e := &entry{key: key, item: item, value: value, size: size, expires: now.Add(c.ttl)}
	c.entries[key] = c.order.PushFront(e)
	c.size += size
	if item != "" {
		if c.byItem[item] == nil {
			c.byItem[item] = keySet{}
		}
		c.byItem[item][key] = struct{}{}
	}
}

// invalidate drops every entry caching the item.
func (c *lru) invalidate(item string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key := range c.byItem[item] {
		c.remove(c.entries[key])
	}
}

// remove drops an entry. The caller holds c.mu.
func (c *lru) remove(el *list.Element) {
	e := el.Value.(*entry)
	c.order.Remove(el)
	delete(c.entries, e.key)
	c.size -= e.size
	if e.item != "" {
		delete(c.byItem[e.item], e.key)
		if len(c.byItem[e.item]) == 0 {
			delete(c.byItem, e.item)
		}
	}
}

// stats returns the counters and the current size.
func (c *lru) stats() (hits, misses, evicted, evictedBytes, expired, size, entries int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses, c.evicted, c.evictedB, c.expired, c.size, int64(len(c.entries))
}

// entryOverhead is what an entry costs besides its key and value: the
// list element, the map slot and the entry itself, roughly.
const entryOverhead = 128
