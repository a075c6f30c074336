package apigw

import "time"

// stageCache is a stage's response cache.
type stageCache struct {
	since time.Time
}

func newStageCache(now time.Time) *stageCache { return &stageCache{since: now} }

// cacheLookup returns a cached response for the request.
func (c *call) cacheLookup() (*Response, bool) { return nil, false }

// cacheStore keeps a response in the stage cache.
func (c *call) cacheStore(*Response) {}
