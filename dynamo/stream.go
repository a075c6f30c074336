package dynamo

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"
	"time"
)

// StreamViewType says what a stream record holds besides the item's key:
// "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE" or "NEW_AND_OLD_IMAGES".
type StreamViewType string

// Stream view types.
const (
	StreamViewTypeKeysOnly        StreamViewType = "KEYS_ONLY"
	StreamViewTypeNewImage        StreamViewType = "NEW_IMAGE"
	StreamViewTypeOldImage        StreamViewType = "OLD_IMAGE"
	StreamViewTypeNewAndOldImages StreamViewType = "NEW_AND_OLD_IMAGES"
)

// StreamSpecification turns a table's stream on or off (CreateTable,
// UpdateTable) and reports it (TableDescription). StreamViewType is
// required when StreamEnabled is true and must be empty when it is false.
type StreamSpecification struct {
	StreamEnabled  bool
	StreamViewType StreamViewType
}

// StreamStatus is the state of a stream: "ENABLING", "ENABLED",
// "DISABLING" or "DISABLED". minicloud's streams are ENABLED as soon as
// they are asked for and DISABLED as soon as they are turned off.
type StreamStatus string

// Stream statuses.
const (
	StreamStatusEnabling  StreamStatus = "ENABLING"
	StreamStatusEnabled   StreamStatus = "ENABLED"
	StreamStatusDisabling StreamStatus = "DISABLING"
	StreamStatusDisabled  StreamStatus = "DISABLED"
)

// OperationType is the kind of change a stream record describes:
// "INSERT" (a new item), "MODIFY" (an item changed) or "REMOVE" (an item
// deleted, by a request or by TTL).
type OperationType string

// Operation types.
const (
	OperationTypeInsert OperationType = "INSERT"
	OperationTypeModify OperationType = "MODIFY"
	OperationTypeRemove OperationType = "REMOVE"
)

// Identity says who made a change. DynamoDB sets it only on the REMOVE
// records of items deleted by Time to Live: Type "Service" and
// PrincipalId "dynamodb.amazonaws.com".
type Identity struct {
	PrincipalId string `json:"principalId"`
	Type        string `json:"type"`
}

// ttlIdentity is the identity of Time to Live deletions.
var ttlIdentity = Identity{PrincipalId: "dynamodb.amazonaws.com", Type: "Service"}

// Record is one stream record: one committed change to one item. It
// marshals with encoding/json to the JSON that Lambda delivers and that
// events.DynamoDBEventRecord of aws-lambda-go reads, and unmarshals from
// it.
type Record struct {
	// AwsRegion is the table's region.
	AwsRegion string `json:"awsRegion"`
	// Dynamodb is the change itself.
	Dynamodb StreamRecord `json:"dynamodb"`
	// EventID identifies the record uniquely.
	EventID string `json:"eventID"`
	// EventName is INSERT, MODIFY or REMOVE.
	EventName OperationType `json:"eventName"`
	// EventSource is always "aws:dynamodb".
	EventSource string `json:"eventSource"`
	// EventVersion is the record format's version, "1.1".
	EventVersion string `json:"eventVersion"`
	// EventSourceARN is the stream's ARN, as Lambda adds it to the
	// records it delivers.
	EventSourceARN string `json:"eventSourceARN"`
	// UserIdentity is set on the REMOVE records of Time to Live.
	UserIdentity *Identity `json:"userIdentity,omitempty"`
}

// StreamRecord is the change a [Record] describes. Keys is always set;
// NewImage and OldImage are set as the stream's view type asks, when the
// item existed after and before the change. Its JSON is DynamoDB's: the
// images in DynamoDB JSON, ApproximateCreationDateTime in seconds since
// the epoch.
type StreamRecord struct {
	// ApproximateCreationDateTime is when the change was committed,
	// rounded down to the second.
	ApproximateCreationDateTime time.Time
	Keys                        Item
	NewImage                    Item
	OldImage                    Item
	// SequenceNumber orders the records of a shard: decimal digits,
	// increasing, comparable as numbers.
	SequenceNumber string
	// SizeBytes is the size of the keys and images, counted as item
	// sizes are.
	SizeBytes      int64
	StreamViewType StreamViewType
}

// StreamOptions holds the timing and limits of DynamoDB Streams. A zero
// field means DynamoDB's value, given in its comment. Source: "Change data
// capture for DynamoDB Streams" and the DynamoDB Streams API reference.
type StreamOptions struct {
	// Retention is how long records stay readable: 24 hours. Older
	// records are trimmed; reading them is TrimmedDataAccessException.
	Retention time.Duration
	// IteratorLifetime is how long a shard iterator stays usable: 15
	// minutes, then ExpiredIteratorException.
	IteratorLifetime time.Duration
	// ShardRollover is how long a shard stays open before it is closed
	// and a child shard takes over: 4 hours, as observed (DynamoDB
	// documents only that shards are ephemeral).
	ShardRollover time.Duration
	// MaxReadersPerShard is how many readers may read one shard at the
	// same time (within one second) before GetRecords is throttled with
	// LimitExceededException: 2. A negative value removes the limit.
	MaxReadersPerShard int
}

func (o StreamOptions) withDefaults() StreamOptions {
	if o.Retention <= 0 {
		o.Retention = 24 * time.Hour
	}
	if o.IteratorLifetime <= 0 {
		o.IteratorLifetime = 15 * time.Minute
	}
	if o.ShardRollover <= 0 {
		o.ShardRollover = 4 * time.Hour
	}
	if o.MaxReadersPerShard == 0 {
		o.MaxReadersPerShard = 2
	}
	return o
}

// Stream API limits, from the DynamoDB Streams API reference.
const (
	maxGetRecordsLimit   = 1000    // records per GetRecords
	maxGetRecordsBytes   = 1 << 20 // 1 MB of records per GetRecords
	maxListStreamsLimit  = 100
	maxDescribeShards    = 100
	readerWindow         = time.Second // readers are simultaneous within it
	streamEventVersion   = "1.1"
	streamEventSource    = "aws:dynamodb"
	streamLabelLayout    = "2006-01-02T15:04:05.000"
	sequenceNumberDigits = 21
)

// stream is one DynamoDB stream: the change log of one table from the
// moment it was enabled until it was disabled, kept for the retention
// period. It is a chain of shards, one open at a time, each the child of
// the one before. Records are appended under the table's write lock, so
// their order is the commit order.
type stream struct {
	arn, label, table string
	viewType          StreamViewType
	key               schema
	created           time.Time
	opts              StreamOptions
	region            string

	mu         sync.Mutex
	status     StreamStatus
	disabledAt time.Time
	shards     []*shard // oldest first; the last is open while ENABLED
	seq        uint64   // the last sequence number given out
	readers    uint64   // the last reader ID given out
	lastShard  int64    // creation millisecond of the newest shard
	notify     chan struct{}
}

// shard is a run of consecutive records with consecutive sequence numbers
// from start; end is set when it closes.
type shard struct {
	id, parent string
	created    time.Time
	closedAt   time.Time // zero while open
	start, end uint64
	last       uint64 // the last sequence number appended; start-1 when none
	trimmed    uint64 // the last sequence number trimmed; start-1 when none
	events     []streamEvent
	readers    map[uint64]time.Time
}

func (sh *shard) open() bool { return sh.closedAt.IsZero() }

// streamEvent is one record as stored: the images are the table's
// immutable record items.
type streamEvent struct {
	seq      uint64
	at       time.Time
	op       OperationType
	old, new Item // as the view type asks
	keys     Item // when neither image is kept
	size     int64
	ttl      bool
}

// newStream starts a stream on table t at now. The caller holds t.mu.
func newStream(t *table, view StreamViewType, now time.Time) *stream {
	// A stream enabled within the same millisecond as another of a table
	// of that name (re-enabled, or the table re-created) takes the next
	// free millisecond, so that every stream has its own ARN.
	at := now.UTC().Truncate(time.Millisecond)
	for t.db.streams.taken(t.arn + "/stream/" + at.Format(streamLabelLayout)) {
		at = at.Add(time.Millisecond)
	}
	label := at.Format(streamLabelLayout)
	s := &stream{
		arn:      t.arn + "/stream/" + label,
		label:    label,
		table:    t.name,
		viewType: view,
		key:      t.key,
		created:  now,
		opts:     t.db.opts.Streams.withDefaults(),
		region:   t.db.opts.Region,
		status:   StreamStatusEnabled,
	}
	s.openShard(now, "")
	return s
}

// openShard starts a new open shard at time at. The caller holds s.mu.
func (s *stream) openShard(at time.Time, parent string) {
	ms := at.UnixMilli()
	if ms <= s.lastShard {
		ms = s.lastShard + 1 // shard IDs sort in creation order
	}
	s.lastShard = ms
	h := fnv.New32a()
	fmt.Fprintf(h, "%s|%d", s.arn, len(s.shards))
	start := s.seq + 1
	s.shards = append(s.shards, &shard{
		id:      fmt.Sprintf("shardId-%020d-%08x", ms, h.Sum32()),
		parent:  parent,
		created: at,
		start:   start,
		last:    start - 1,
		trimmed: start - 1,
	})
}

// closeShard closes the open shard sh at time at. An empty shard keeps
// its starting sequence number as its range.
func (s *stream) closeShard(sh *shard, at time.Time) {
	sh.closedAt = at
	sh.end = max(sh.last, sh.start)
	s.seq = max(s.seq, sh.end)
}

// openShard returns the open shard, or nil when the stream is disabled.
func (s *stream) current() *shard {
	if s.status != StreamStatusEnabled || len(s.shards) == 0 {
		return nil
	}
	return s.shards[len(s.shards)-1]
}

// advance brings the stream to time now: shards that have been open for
// ShardRollover are closed and succeeded by a child, records older than
// Retention are trimmed and closed shards past Retention are dropped. It
// runs lazily, on every append and read, so that a manual clock advanced
// by days costs nothing until the stream is used. The caller holds s.mu.
func (s *stream) advance(now time.Time) {
	roll, keep := s.opts.ShardRollover, s.opts.Retention
	for sh := s.current(); sh != nil; sh = s.current() {
		boundary := sh.created.Add(roll)
		if now.Before(boundary) {
			break
		}
		s.closeShard(sh, boundary)
		next := boundary
		// Shards that would have opened and closed unseen and are already
		// past retention are not materialised.
		if skip := now.Sub(boundary.Add(keep)) / roll; skip > 0 {
			next = boundary.Add(skip * roll)
		}
		s.openShard(next, sh.id)
	}
	horizon := now.Add(-keep)
	for _, sh := range s.shards {
		n := 0
		for n < len(sh.events) && !sh.events[n].at.After(horizon) {
			n++
		}
		if n > 0 {
			sh.trimmed = sh.events[n-1].seq
			clear(sh.events[:n]) // let the images go
			sh.events = sh.events[n:]
		}
		if len(sh.events) > 0 {
			break // later shards hold later records
		}
	}
	// A closed shard past retention holds nothing readable: it is gone.
	for len(s.shards) > 0 && !s.shards[0].open() && !s.shards[0].closedAt.After(horizon) {
		s.shards[0] = nil
		s.shards = s.shards[1:]
	}
}

// expired reports whether a disabled stream has passed its retention and
// is gone. The caller holds s.mu.
func (s *stream) expired(now time.Time) bool {
	return s.status == StreamStatusDisabled && !now.Before(s.disabledAt.Add(s.opts.Retention))
}

// disable closes the open shard and marks the stream DISABLED; it stays
// readable for the retention period. The caller holds s.mu.
func (s *stream) disable(now time.Time) {
	s.advance(now)
	if sh := s.current(); sh != nil {
		s.closeShard(sh, now)
	}
	s.status = StreamStatusDisabled
	s.disabledAt = now
	s.wake()
}

// wake tells waiting consumers that the stream changed. The caller holds
// s.mu.
func (s *stream) wake() {
	if s.notify != nil {
		close(s.notify)
		s.notify = nil
	}
}

// changed returns a channel closed at the stream's next change.
func (s *stream) changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.notify == nil {
		s.notify = make(chan struct{})
	}
	return s.notify
}

// append records one change; oldSize and newSize are the items' sizes.
// The caller holds the table's write lock, so appends are in commit
// order.
func (s *stream) append(now time.Time, op OperationType, old, new Item, oldSize, newSize int, ttl bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance(now)
	sh := s.current()
	if sh == nil {
		return
	}
	s.seq++
	ev := streamEvent{seq: s.seq, at: now, op: op, ttl: ttl}
	item := firstItem(new, old)
	ev.size = int64(s.keysSize(item))
	// Only the images the view type shows are kept, so that a KEYS_ONLY
	// stream does not hold a day of old item versions in memory.
	if s.viewType == StreamViewTypeNewImage || s.viewType == StreamViewTypeNewAndOldImages {
		ev.new = new
		ev.size += int64(newSize)
	}
	if s.viewType == StreamViewTypeOldImage || s.viewType == StreamViewTypeNewAndOldImages {
		ev.old = old
		ev.size += int64(oldSize)
	}
	if ev.new == nil && ev.old == nil {
		ev.keys = s.key.keyOf(item)
	}
	sh.events = append(sh.events, ev)
	sh.last = s.seq
	s.wake()
}

// keysSize is the size of an item's key attributes.
func (s *stream) keysSize(item Item) int {
	n := len(s.key.hash.name) + valueSize(item[s.key.hash.name])
	if s.key.hasRange() {
		n += len(s.key.rng.name) + valueSize(item[s.key.rng.name])
	}
	return n
}

func firstItem(a, b Item) Item {
	if a != nil {
		return a
	}
	return b
}

// record renders a stored event as the Record a reader receives, with
// copies of the images so that a reader cannot change the stream.
func (s *stream) record(ev *streamEvent) Record {
	r := Record{
		AwsRegion:      s.region,
		EventID:        eventID(s.arn, ev.seq),
		EventName:      ev.op,
		EventSource:    streamEventSource,
		EventVersion:   streamEventVersion,
		EventSourceARN: s.arn,
		Dynamodb: StreamRecord{
			ApproximateCreationDateTime: ev.at.Truncate(time.Second),
			Keys:                        copyItem(s.key.keyOf(firstItem(firstItem(ev.new, ev.old), ev.keys))),
			SequenceNumber:              formatSequence(ev.seq),
			SizeBytes:                   ev.size,
			StreamViewType:              s.viewType,
		},
	}
	if s.viewType == StreamViewTypeNewImage || s.viewType == StreamViewTypeNewAndOldImages {
		r.Dynamodb.NewImage = copyItem(ev.new)
	}
	if s.viewType == StreamViewTypeOldImage || s.viewType == StreamViewTypeNewAndOldImages {
		r.Dynamodb.OldImage = copyItem(ev.old)
	}
	if ev.ttl {
		id := ttlIdentity
		r.UserIdentity = &id
	}
	return r
}

// eventID derives a record's 32-hex-digit ID from its stream and sequence
// number, so that IDs are unique and a run on a manual clock repeats.
func eventID(arn string, seq uint64) string {
	h := fnv.New128a()
	h.Write([]byte(arn))
	h.Write(strconv.AppendUint(nil, seq, 10))
	return fmt.Sprintf("%x", h.Sum(nil))
}

// Sequence numbers are 21 decimal digits: "1" and the counter on 20
// digits, so that they compare the same as strings and as numbers.
func formatSequence(n uint64) string {
	return fmt.Sprintf("1%020d", n)
}

// parseSequence reads a sequence number written by formatSequence.
func parseSequence(s string) (uint64, bool) {
	if len(s) != sequenceNumberDigits || s[0] != '1' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[1:], 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// itemsEqual reports whether two items hold the same attributes with
// equal values, as a write that changes nothing leaves them.
func itemsEqual(a, b Item) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !valuesEqual(v, w) {
			return false
		}
	}
	return true
}

// streamRegistry holds a DB's streams by ARN, enabled and disabled, until
// they expire. Its zero value is ready to use.
type streamRegistry struct {
	mu    sync.Mutex
	byARN map[string]*stream
}

func (r *streamRegistry) add(s *stream) {
	if s == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byARN == nil {
		r.byARN = map[string]*stream{}
	}
	r.byARN[s.arn] = s
}

// taken reports whether a stream has that ARN, expired or not.
func (r *streamRegistry) taken(arn string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.byARN[arn]
	return ok
}

// get returns the stream with that ARN, or nil once it has expired.
func (r *streamRegistry) get(arn string, now time.Time) *stream {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.byARN[arn]
	if s == nil {
		return nil
	}
	s.mu.Lock()
	gone := s.expired(now)
	s.mu.Unlock()
	if gone {
		delete(r.byARN, arn)
		return nil
	}
	return s
}

// all returns the live streams, dropping the expired ones.
func (r *streamRegistry) all(now time.Time) []*stream {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*stream, 0, len(r.byARN))
	for arn, s := range r.byARN {
		s.mu.Lock()
		gone := s.expired(now)
		s.mu.Unlock()
		if gone {
			delete(r.byARN, arn)
			continue
		}
		out = append(out, s)
	}
	return out
}
