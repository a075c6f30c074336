package dynamo

import (
	"context"
	"crypto/md5"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// KinesisOptions configures the Kinesis data streams that tables stream
// their changes to (see [DB.EnableKinesisStreamingDestination]).
type KinesisOptions struct {
	// DuplicateRate is the fraction of change records a Kinesis
	// destination writes twice, from 0 (never, the default) to 1 (every
	// record). Kinesis Data Streams for DynamoDB delivers each change at
	// least once, so a consumer may see a change again, with the same
	// eventID and a new sequence number; turning this on lets a test
	// prove that its consumer is idempotent. Draws come from Options.Seed.
	DuplicateRate float64
}

// Kinesis Data Streams quotas and timings, from "Quotas and limits" in the
// Kinesis Data Streams Developer Guide.
const (
	kinesisIteratorLifetime = 5 * time.Minute
	kinesisMinRetention     = 24              // hours
	kinesisMaxRetention     = 365 * 24        // hours: one year
	kinesisMaxShards        = 500             // shards per stream (the account quota in most regions)
	kinesisMaxGetRecords    = 10000           // records per GetRecords
	kinesisMaxGetBytes      = 10 << 20        // bytes per GetRecords
	kinesisSequenceDigits   = 56              // sequence numbers are 56 digits
	kinesisSequencePrefix   = "49"            // …and start as Kinesis's do
	kinesisShardIDLayout    = "shardId-%012d" // shardId-000000000000
)

var kinesisNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,128}$`)

// ShardIteratorTypeAtTimestamp starts a Kinesis iterator at the first
// record that arrived at or after a time. DynamoDB Streams do not have it.
const ShardIteratorTypeAtTimestamp ShardIteratorType = "AT_TIMESTAMP"

// CreateKinesisStreamInput is the request of CreateKinesisStream.
type CreateKinesisStreamInput struct {
	// StreamName is 1 to 128 characters of a-z, A-Z, 0-9, '_', '-', '.'.
	StreamName string
	// ShardCount is 1 to 500; zero means 1.
	ShardCount int
	// RetentionPeriodHours is how long records stay readable, 24 (one
	// day, the default when zero) to 8,760 (one year).
	RetentionPeriodHours int
}

// CreateKinesisStreamOutput is the response of CreateKinesisStream.
type CreateKinesisStreamOutput struct {
	StreamARN string
}

// KinesisStream is a Kinesis data stream: a fixed set of shards, each an
// ordered log of records kept for the stream's retention period, read by
// any number of consumers each with its own iterators. It holds the
// records that tables stream to it. It is safe for concurrent use.
type KinesisStream struct {
	arn, name, region string
	clock             clock.Clock
	retention         time.Duration
	created           time.Time

	mu     sync.Mutex
	shards []*kinesisShard
	seq    uint64
	notify chan struct{}
}

type kinesisShard struct {
	id      string
	lo, hi  *big.Int // hash key range, inclusive
	start   uint64   // first sequence number
	entries []kinesisEntry
	trimmed uint64 // last sequence number trimmed
	last    uint64 // last sequence number written
}

type kinesisEntry struct {
	seq uint64
	rec KinesisRecord
}

// KinesisRecord is one record of a Kinesis stream, with the fields of the
// Kinesis GetRecords API.
type KinesisRecord struct {
	SequenceNumber              string
	ApproximateArrivalTimestamp time.Time
	// Data is the record's payload: for a DynamoDB destination, a
	// [KinesisChange] in JSON.
	Data         []byte
	PartitionKey string
}

// kinesisRegistry holds a DB's Kinesis streams. Its zero value is ready.
type kinesisRegistry struct {
	mu     sync.Mutex
	byARN  map[string]*KinesisStream
	random *rand.Rand // duplicate draws
}

// CreateKinesisStream creates a Kinesis data stream that tables can
// stream their changes to. The stream is ACTIVE at once.
func (db *DB) CreateKinesisStream(ctx context.Context, in *CreateKinesisStreamInput) (*CreateKinesisStreamOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &CreateKinesisStreamInput{}
	}
	if !kinesisNameRE.MatchString(in.StreamName) {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 1 and 128", in.StreamName)
	}
	shards := in.ShardCount
	if shards == 0 {
		shards = 1
	}
	if shards < 1 || shards > kinesisMaxShards {
		return nil, ErrInvalidArgument.Newf("ShardCount %d is out of range: a stream has 1 to %d shards", in.ShardCount, kinesisMaxShards)
	}
	hours := in.RetentionPeriodHours
	if hours == 0 {
		hours = kinesisMinRetention
	}
	if hours < kinesisMinRetention || hours > kinesisMaxRetention {
		return nil, ErrInvalidArgument.Newf("Minimum allowed retention period is %d hours. Maximum allowed retention period is %d hours. Requested retention period (%d hours) is out of range.", kinesisMinRetention, kinesisMaxRetention, hours)
	}
	now := db.clock.Now()
	k := &KinesisStream{
		arn:       fmt.Sprintf("arn:aws:kinesis:%s:%s:stream/%s", db.opts.Region, db.opts.AccountID, in.StreamName),
		name:      in.StreamName,
		region:    db.opts.Region,
		clock:     db.clock,
		retention: time.Duration(hours) * time.Hour,
		created:   now,
	}
	space := new(big.Int).Lsh(big.NewInt(1), 128)
	n := big.NewInt(int64(shards))
	for i := range shards {
		k.shards = append(k.shards, &kinesisShard{
			id: fmt.Sprintf(kinesisShardIDLayout, i),
			lo: ceilDiv(new(big.Int).Mul(space, big.NewInt(int64(i))), n),
			hi: new(big.Int).Sub(ceilDiv(new(big.Int).Mul(space, big.NewInt(int64(i+1))), n), big.NewInt(1)),
		})
	}
	db.kinesis.mu.Lock()
	defer db.kinesis.mu.Unlock()
	if db.kinesis.byARN == nil {
		db.kinesis.byARN = map[string]*KinesisStream{}
	}
	if _, ok := db.kinesis.byARN[k.arn]; ok {
		return nil, ErrResourceInUse.Newf("Stream %s under account %s already exists.", in.StreamName, db.opts.AccountID)
	}
	db.kinesis.byARN[k.arn] = k
	return &CreateKinesisStreamOutput{StreamARN: k.arn}, nil
}

func ceilDiv(a, b *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(a, b, new(big.Int))
	if r.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// KinesisStream returns the Kinesis stream with that ARN.
func (db *DB) KinesisStream(arn string) (*KinesisStream, error) {
	db.kinesis.mu.Lock()
	defer db.kinesis.mu.Unlock()
	k := db.kinesis.byARN[arn]
	if k == nil {
		return nil, ErrResourceNotFound.Newf("Stream %s under account %s not found.", arn, db.opts.AccountID)
	}
	return k, nil
}

// draw reports whether a record should be written twice.
func (r *kinesisRegistry) draw(rate float64, seed uint64) bool {
	if rate <= 0 {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.random == nil {
		if seed == 0 {
			seed = 1
		}
		r.random = rand.New(rand.NewPCG(seed, 0x6b696e65736973))
	}
	return r.random.Float64() < rate
}

// ARN returns the stream's ARN.
func (k *KinesisStream) ARN() string { return k.arn }

// Retention returns how long the stream keeps records.
func (k *KinesisStream) Retention() time.Duration { return k.retention }

func formatKinesisSequence(n uint64) string {
	return fmt.Sprintf("%s%054d", kinesisSequencePrefix, n)
}

func parseKinesisSequence(s string) (uint64, bool) {
	if len(s) != kinesisSequenceDigits || s[:2] != kinesisSequencePrefix {
		return 0, false
	}
	for _, c := range s[2 : kinesisSequenceDigits-20] {
		if c != '0' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s[kinesisSequenceDigits-20:], 10, 64)
	return n, err == nil
}

// put appends a record to the shard its partition key hashes to.
func (k *KinesisStream) put(partitionKey string, data []byte) {
	sum := md5.Sum([]byte(partitionKey))
	h := new(big.Int).SetBytes(sum[:])
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.clock.Now()
	k.trim(now)
	sh := k.shards[0]
	for _, s := range k.shards {
		if h.Cmp(s.lo) >= 0 && h.Cmp(s.hi) <= 0 {
			sh = s
			break
		}
	}
	k.seq++
	if sh.start == 0 {
		sh.start = k.seq
		sh.trimmed = k.seq - 1
	}
	sh.entries = append(sh.entries, kinesisEntry{seq: k.seq, rec: KinesisRecord{
		SequenceNumber:              formatKinesisSequence(k.seq),
		ApproximateArrivalTimestamp: now,
		Data:                        data,
		PartitionKey:                partitionKey,
	}})
	sh.last = k.seq
	if k.notify != nil {
		close(k.notify)
		k.notify = nil
	}
}

// trim drops the records older than the retention period. The caller
// holds k.mu.
func (k *KinesisStream) trim(now time.Time) {
	horizon := now.Add(-k.retention)
	for _, sh := range k.shards {
		n := 0
		for n < len(sh.entries) && !sh.entries[n].rec.ApproximateArrivalTimestamp.After(horizon) {
			n++
		}
		if n > 0 {
			sh.trimmed = sh.entries[n-1].seq
			clear(sh.entries[:n])
			sh.entries = sh.entries[n:]
		}
	}
}

// KinesisShard describes one shard of a Kinesis stream.
type KinesisShard struct {
	ShardId string
	// HashKeyRange is the range of MD5 hashes of partition keys that the
	// shard holds, as decimal integers.
	StartingHashKey, EndingHashKey string
	// StartingSequenceNumber is the first sequence number of the shard;
	// empty until it holds a record.
	StartingSequenceNumber string
}

// ListShards lists the stream's shards.
func (k *KinesisStream) ListShards(ctx context.Context) ([]KinesisShard, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]KinesisShard, len(k.shards))
	for i, sh := range k.shards {
		out[i] = KinesisShard{ShardId: sh.id, StartingHashKey: sh.lo.String(), EndingHashKey: sh.hi.String()}
		if sh.start != 0 {
			out[i].StartingSequenceNumber = formatKinesisSequence(sh.start)
		}
	}
	return out, nil
}

// KinesisGetShardIteratorInput is the request of
// [KinesisStream.GetShardIterator].
type KinesisGetShardIteratorInput struct {
	ShardId string
	// ShardIteratorType is TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER,
	// AFTER_SEQUENCE_NUMBER or AT_TIMESTAMP.
	ShardIteratorType ShardIteratorType
	// StartingSequenceNumber is for AT_ and AFTER_SEQUENCE_NUMBER.
	StartingSequenceNumber string
	// Timestamp is for AT_TIMESTAMP.
	Timestamp time.Time
}

// KinesisGetRecordsInput is the request of [KinesisStream.GetRecords].
type KinesisGetRecordsInput struct {
	ShardIterator string
	// Limit is the most records returned, 1 to 10,000; zero means
	// 10,000.
	Limit int
}

// KinesisGetRecordsOutput is the response of [KinesisStream.GetRecords].
type KinesisGetRecordsOutput struct {
	Records []KinesisRecord
	// NextShardIterator continues after the records returned; valid for
	// five minutes.
	NextShardIterator string
	// MillisBehindLatest is how far the last record returned is behind
	// the newest record of the shard.
	MillisBehindLatest int64
}

// KinesisGetShardIteratorOutput is the response of
// [KinesisStream.GetShardIterator].
type KinesisGetShardIteratorOutput struct {
	// ShardIterator is valid for five minutes.
	ShardIterator string
}

// GetShardIterator returns an iterator into a shard.
func (k *KinesisStream) GetShardIterator(ctx context.Context, in *KinesisGetShardIteratorInput) (*KinesisGetShardIteratorOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &KinesisGetShardIteratorInput{}
	}
	now := k.clock.Now()
	k.mu.Lock()
	defer k.mu.Unlock()
	k.trim(now)
	var sh *kinesisShard
	for _, s := range k.shards {
		if s.id == in.ShardId {
			sh = s
		}
	}
	if sh == nil {
		return nil, ErrResourceNotFound.Newf("Shard %s in stream %s under account %s does not exist", in.ShardId, k.name, accountOf(k.arn))
	}
	pos := iteratorPos{shard: sh.id, issued: now}
	switch in.ShardIteratorType {
	case ShardIteratorTypeTrimHorizon:
		pos.after = sh.trimmed
	case ShardIteratorTypeLatest:
		pos.after = k.seq
	case ShardIteratorTypeAtSequenceNumber, ShardIteratorTypeAfterSequenceNumber:
		n, ok := parseKinesisSequence(in.StartingSequenceNumber)
		if !ok {
			return nil, ErrInvalidArgument.Newf("StartingSequenceNumber %s used in GetShardIterator on shard %s in stream %s under account %s is invalid.", in.StartingSequenceNumber, sh.id, k.name, accountOf(k.arn))
		}
		pos.after = n
		if in.ShardIteratorType == ShardIteratorTypeAtSequenceNumber {
			pos.after = n - 1
		}
	case ShardIteratorTypeAtTimestamp:
		pos.after = sh.trimmed
		for _, e := range sh.entries {
			if !e.rec.ApproximateArrivalTimestamp.Before(in.Timestamp) {
				break
			}
			pos.after = e.seq
		}
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, TRIM_HORIZON, LATEST]", in.ShardIteratorType)
	}
	return &KinesisGetShardIteratorOutput{ShardIterator: encodeIterator(k.arn, pos)}, nil
}

func accountOf(arn string) string {
	if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 {
		return parts[4]
	}
	return ""
}

// GetRecords reads the records after an iterator's position, up to Limit
// records and 10 MB. Unlike DynamoDB Streams, an iterator that fell
// behind the retention period resumes at the oldest record kept.
func (k *KinesisStream) GetRecords(ctx context.Context, in *KinesisGetRecordsInput) (*KinesisGetRecordsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &KinesisGetRecordsInput{}
	}
	limit := in.Limit
	if limit == 0 {
		limit = kinesisMaxGetRecords
	}
	if limit < 1 || limit > kinesisMaxGetRecords {
		return nil, ErrInvalidArgument.Newf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", in.Limit, kinesisMaxGetRecords)
	}
	arn, pos, ok := decodeIterator(in.ShardIterator)
	if !ok || arn != k.arn {
		return nil, ErrInvalidArgument.New("Invalid ShardIterator.")
	}
	now := k.clock.Now()
	if now.Sub(pos.issued) > kinesisIteratorLifetime {
		return nil, ErrExpiredIterator.Newf("Iterator expired. The iterator was created at time %s while right now it is %s which is further in the future than the tolerated delay of %d milliseconds.",
			pos.issued.UTC().Format(time.UnixDate), now.UTC().Format(time.UnixDate), kinesisIteratorLifetime.Milliseconds())
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.trim(now)
	var sh *kinesisShard
	for _, s := range k.shards {
		if s.id == pos.shard {
			sh = s
		}
	}
	if sh == nil {
		return nil, ErrInvalidArgument.New("Invalid ShardIterator.")
	}
	out := &KinesisGetRecordsOutput{Records: []KinesisRecord{}}
	after := max(pos.after, sh.trimmed)
	size := 0
	for _, e := range sh.entries {
		if e.seq <= after {
			continue
		}
		if len(out.Records) == limit || (len(out.Records) > 0 && size+len(e.rec.Data) > kinesisMaxGetBytes) {
			break
		}
		size += len(e.rec.Data)
		r := e.rec
		r.Data = append([]byte(nil), r.Data...)
		out.Records = append(out.Records, r)
		after = e.seq
	}
	if n := len(sh.entries); n > 0 && len(out.Records) > 0 {
		newest := sh.entries[n-1].rec.ApproximateArrivalTimestamp
		out.MillisBehindLatest = newest.Sub(out.Records[len(out.Records)-1].ApproximateArrivalTimestamp).Milliseconds()
	}
	out.NextShardIterator = encodeIterator(k.arn, iteratorPos{shard: sh.id, after: after, issued: now})
	return out, nil
}

// Shards lists the stream's shard IDs with their parents (always empty:
// minicloud's Kinesis streams do not reshard). With ShardIterator,
// Records and Changed it is the consumer interface a Lambda event source
// mapping polls; see [StreamSource].
func (k *KinesisStream) Shards(ctx context.Context) (ids, parents []string, err error) {
	shards, err := k.ListShards(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range shards {
		ids = append(ids, s.ShardId)
		parents = append(parents, "")
	}
	return ids, parents, nil
}

// ShardIterator returns an iterator for a shard: iteratorType is
// TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER.
func (k *KinesisStream) ShardIterator(ctx context.Context, shardID, iteratorType, sequenceNumber string) (string, error) {
	out, err := k.GetShardIterator(ctx, &KinesisGetShardIteratorInput{ShardId: shardID, ShardIteratorType: ShardIteratorType(iteratorType), StartingSequenceNumber: sequenceNumber})
	if err != nil {
		return "", err
	}
	return out.ShardIterator, nil
}

// Records reads up to limit records after an iterator, each as the JSON
// of one record of the Lambda event for Kinesis (events.KinesisEventRecord
// of aws-lambda-go), and the iterator to continue with.
func (k *KinesisStream) Records(ctx context.Context, iterator string, limit int) ([]json.RawMessage, string, error) {
	out, err := k.GetRecords(ctx, &KinesisGetRecordsInput{ShardIterator: iterator, Limit: limit})
	if err != nil {
		return nil, "", err
	}
	_, pos, _ := decodeIterator(iterator)
	recs := make([]json.RawMessage, len(out.Records))
	for i, r := range out.Records {
		recs[i], _ = json.Marshal(lambdaKinesisRecord{
			AwsRegion:      k.region,
			EventID:        pos.shard + ":" + r.SequenceNumber,
			EventName:      "aws:kinesis:record",
			EventSource:    "aws:kinesis",
			EventSourceARN: k.arn,
			EventVersion:   "1.0",
			Kinesis: lambdaKinesisData{
				ApproximateArrivalTimestamp: json.Number(strconv.FormatFloat(float64(r.ApproximateArrivalTimestamp.UnixMilli())/1000, 'f', -1, 64)),
				Data:                        r.Data,
				EncryptionType:              "NONE",
				PartitionKey:                r.PartitionKey,
				SequenceNumber:              r.SequenceNumber,
				KinesisSchemaVersion:        "1.0",
			},
		})
	}
	return recs, out.NextShardIterator, nil
}

// Changed returns a channel that is closed when the stream next receives
// a record, so that a consumer can wait instead of polling.
func (k *KinesisStream) Changed() <-chan struct{} {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.notify == nil {
		k.notify = make(chan struct{})
	}
	return k.notify
}

// lambdaKinesisRecord is the JSON of one record of a Lambda Kinesis event.
type lambdaKinesisRecord struct {
	AwsRegion         string            `json:"awsRegion"`
	EventID           string            `json:"eventID"`
	EventName         string            `json:"eventName"`
	EventSource       string            `json:"eventSource"`
	EventSourceARN    string            `json:"eventSourceARN"`
	EventVersion      string            `json:"eventVersion"`
	InvokeIdentityArn string            `json:"invokeIdentityArn"`
	Kinesis           lambdaKinesisData `json:"kinesis"`
}

type lambdaKinesisData struct {
	ApproximateArrivalTimestamp json.Number `json:"approximateArrivalTimestamp"`
	Data                        []byte      `json:"data"`
	EncryptionType              string      `json:"encryptionType"`
	PartitionKey                string      `json:"partitionKey"`
	SequenceNumber              string      `json:"sequenceNumber"`
	KinesisSchemaVersion        string      `json:"kinesisSchemaVersion"`
}
