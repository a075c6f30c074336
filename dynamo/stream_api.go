package dynamo

import (
	"context"
	"slices"
	"strings"
	"time"
)

// ShardIteratorType says where a shard iterator starts: "TRIM_HORIZON"
// (the oldest record still kept), "LATEST" (after the newest record, so
// only new records are read), "AT_SEQUENCE_NUMBER" or
// "AFTER_SEQUENCE_NUMBER" (at or after a record read before).
type ShardIteratorType string

// Shard iterator types.
const (
	ShardIteratorTypeTrimHorizon         ShardIteratorType = "TRIM_HORIZON"
	ShardIteratorTypeLatest              ShardIteratorType = "LATEST"
	ShardIteratorTypeAtSequenceNumber    ShardIteratorType = "AT_SEQUENCE_NUMBER"
	ShardIteratorTypeAfterSequenceNumber ShardIteratorType = "AFTER_SEQUENCE_NUMBER"
)

// ListStreamsInput is the request of ListStreams.
type ListStreamsInput struct {
	// TableName lists only that table's streams.
	TableName string
	// ExclusiveStartStreamArn continues a listing after this stream.
	ExclusiveStartStreamArn string
	// Limit is the page size, 1 to 100; zero means 100.
	Limit int
}

// ListStreamsOutput is the response of ListStreams: streams in ARN order,
// and the ARN to continue from when there are more.
type ListStreamsOutput struct {
	Streams                []Stream
	LastEvaluatedStreamArn string
}

// Stream names one stream in ListStreams.
type Stream struct {
	StreamArn   string
	StreamLabel string
	TableName   string
}

// DescribeStreamInput is the request of DescribeStream.
type DescribeStreamInput struct {
	StreamArn string
	// ExclusiveStartShardId continues the shard listing after this shard.
	ExclusiveStartShardId string
	// Limit is the most shards returned, 1 to 100; zero means 100.
	Limit int
}

// DescribeStreamOutput is the response of DescribeStream.
type DescribeStreamOutput struct {
	StreamDescription *StreamDescription
}

// StreamDescription describes a stream and its shards.
type StreamDescription struct {
	StreamArn   string
	StreamLabel string
	// StreamStatus is ENABLED, or DISABLED once the table's stream was
	// turned off or the table deleted.
	StreamStatus            StreamStatus
	StreamViewType          StreamViewType
	CreationRequestDateTime time.Time
	TableName               string
	KeySchema               []KeySchemaElement
	// Shards are in creation order, each after its parent.
	Shards []Shard
	// LastEvaluatedShardId is where the next page of shards starts; empty
	// on the last page.
	LastEvaluatedShardId string
}

// Shard is one shard of a stream. ParentShardId is empty for the first
// shard; SequenceNumberRange.EndingSequenceNumber is empty while the shard
// is open.
type Shard struct {
	ShardId             string
	ParentShardId       string
	SequenceNumberRange *SequenceNumberRange
}

// SequenceNumberRange is the range of sequence numbers a shard holds.
type SequenceNumberRange struct {
	StartingSequenceNumber string
	EndingSequenceNumber   string
}

// GetShardIteratorInput is the request of GetShardIterator.
type GetShardIteratorInput struct {
	StreamArn         string
	ShardId           string
	ShardIteratorType ShardIteratorType
	// SequenceNumber is required by AT_SEQUENCE_NUMBER and
	// AFTER_SEQUENCE_NUMBER and refused by the other types.
	SequenceNumber string
}

// GetShardIteratorOutput is the response of GetShardIterator.
type GetShardIteratorOutput struct {
	// ShardIterator is valid for 15 minutes.
	ShardIterator string
}

// GetRecordsInput is the request of GetRecords.
type GetRecordsInput struct {
	ShardIterator string
	// Limit is the most records returned, 1 to 1,000; zero means 1,000.
	Limit int
}

// GetRecordsOutput is the response of GetRecords.
type GetRecordsOutput struct {
	// Records are in sequence-number order; empty (not nil) when there
	// is nothing new.
	Records []Record
	// NextShardIterator continues after the records returned. It is empty
	// once a closed shard has been read to its end.
	NextShardIterator string
}

// ListStreams lists the streams of the account's tables, enabled and
// disabled, until they expire 24 hours after they were disabled.
func (db *DB) ListStreams(ctx context.Context, in *ListStreamsInput) (*ListStreamsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &ListStreamsInput{}
	}
	limit := in.Limit
	if limit == 0 {
		limit = maxListStreamsLimit
	}
	if limit < 1 || limit > maxListStreamsLimit {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", in.Limit, maxListStreamsLimit)
	}
	if in.TableName != "" {
		if err := validateTableName("TableName", in.TableName); err != nil {
			return nil, err
		}
	}
	if in.ExclusiveStartStreamArn != "" && !validStreamArn(in.ExclusiveStartStreamArn) {
		return nil, ErrValidation.Newf("Invalid ExclusiveStartStreamArn: %s", in.ExclusiveStartStreamArn)
	}
	var out []Stream
	for _, s := range db.streams.all(db.clock.Now()) {
		if in.TableName != "" && s.table != in.TableName {
			continue
		}
		if s.arn <= in.ExclusiveStartStreamArn {
			continue
		}
		out = append(out, Stream{StreamArn: s.arn, StreamLabel: s.label, TableName: s.table})
	}
	slices.SortFunc(out, func(a, b Stream) int { return strings.Compare(a.StreamArn, b.StreamArn) })
	res := &ListStreamsOutput{Streams: out}
	if len(out) > limit {
		res.Streams = out[:limit]
		res.LastEvaluatedStreamArn = out[limit-1].StreamArn
	}
	if res.Streams == nil {
		res.Streams = []Stream{}
	}
	return res, nil
}

// validStreamArn accepts ARNs of the form
// arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>.
func validStreamArn(arn string) bool {
	if len(arn) < 37 || len(arn) > 1024 || !strings.HasPrefix(arn, "arn:") {
		return false
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "dynamodb" {
		return false
	}
	res := strings.Split(parts[5], "/")
	return len(res) == 4 && res[0] == "table" && res[1] != "" && res[2] == "stream" && res[3] != ""
}

// stream finds a live stream by ARN, with DynamoDB Streams' errors.
func (db *DB) stream(arn string) (*stream, error) {
	if arn == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'streamArn' failed to satisfy constraint: Member must not be null")
	}
	if !validStreamArn(arn) {
		return nil, ErrValidation.Newf("Invalid StreamArn: %s", arn)
	}
	s := db.streams.get(arn, db.clock.Now())
	if s == nil {
		return nil, ErrResourceNotFound.Newf("Requested resource not found: Stream: %s not found", arn)
	}
	return s, nil
}

// DescribeStream describes a stream: its status, view type and shards
// with their lineage and sequence number ranges.
func (db *DB) DescribeStream(ctx context.Context, in *DescribeStreamInput) (*DescribeStreamOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &DescribeStreamInput{}
	}
	limit := in.Limit
	if limit == 0 {
		limit = maxDescribeShards
	}
	if limit < 1 || limit > maxDescribeShards {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", in.Limit, maxDescribeShards)
	}
	s, err := db.stream(in.StreamArn)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance(db.clock.Now())
	d := &StreamDescription{
		StreamArn:               s.arn,
		StreamLabel:             s.label,
		StreamStatus:            s.status,
		StreamViewType:          s.viewType,
		CreationRequestDateTime: s.created,
		TableName:               s.table,
		KeySchema:               s.key.elements(),
		Shards:                  []Shard{},
	}
	for _, sh := range s.shards {
		if sh.id <= in.ExclusiveStartShardId {
			continue
		}
		if len(d.Shards) == limit {
			d.LastEvaluatedShardId = d.Shards[limit-1].ShardId
			break
		}
		r := &SequenceNumberRange{StartingSequenceNumber: formatSequence(sh.start)}
		if !sh.open() {
			r.EndingSequenceNumber = formatSequence(sh.end)
		}
		d.Shards = append(d.Shards, Shard{ShardId: sh.id, ParentShardId: sh.parent, SequenceNumberRange: r})
	}
	return &DescribeStreamOutput{StreamDescription: d}, nil
}

// shard returns the shard with that ID. The caller holds s.mu.
func (s *stream) shard(id string) *shard {
	for _, sh := range s.shards {
		if sh.id == id {
			return sh
		}
	}
	return nil
}

// GetShardIterator returns an iterator into a shard, at the position
// ShardIteratorType says. The iterator expires after 15 minutes; each
// GetRecords returns the next one.
func (db *DB) GetShardIterator(ctx context.Context, in *GetShardIteratorInput) (*GetShardIteratorOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &GetShardIteratorInput{}
	}
	if in.ShardId == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'shardId' failed to satisfy constraint: Member must not be null")
	}
	if len(in.ShardId) < 28 || len(in.ShardId) > 65 {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'shardId' failed to satisfy constraint: Member must have length between 28 and 65", in.ShardId)
	}
	var seq uint64
	switch in.ShardIteratorType {
	case ShardIteratorTypeTrimHorizon, ShardIteratorTypeLatest:
		if in.SequenceNumber != "" {
			return nil, ErrValidation.Newf("Invalid SequenceNumber: a SequenceNumber cannot be given with ShardIteratorType %s", in.ShardIteratorType)
		}
	case ShardIteratorTypeAtSequenceNumber, ShardIteratorTypeAfterSequenceNumber:
		if in.SequenceNumber == "" {
			return nil, ErrValidation.Newf("Invalid SequenceNumber: ShardIteratorType %s requires a SequenceNumber", in.ShardIteratorType)
		}
		n, ok := parseSequence(in.SequenceNumber)
		if !ok {
			return nil, ErrValidation.Newf("Invalid SequenceNumber: %s", in.SequenceNumber)
		}
		seq = n
	case "":
		return nil, ErrValidation.New("1 validation error detected: Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null")
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]", in.ShardIteratorType)
	}
	s, err := db.stream(in.StreamArn)
	if err != nil {
		return nil, err
	}
	now := db.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance(now)
	sh := s.shard(in.ShardId)
	if sh == nil {
		return nil, ErrResourceNotFound.Newf("Requested resource not found: Shard: %s in Stream: %s not found", in.ShardId, s.arn)
	}
	pos := iteratorPos{shard: sh.id, issued: now}
	switch in.ShardIteratorType {
	case ShardIteratorTypeTrimHorizon:
		pos.after = sh.trimmed
	case ShardIteratorTypeLatest:
		pos.after = sh.last
	default:
		hi := max(sh.last, sh.start) // the first record's number is valid before it is written
		if !sh.open() {
			hi = sh.end
		}
		if seq < sh.start || seq > hi {
			return nil, ErrValidation.Newf("Invalid SequenceNumber: %s is not in the range of shard %s", in.SequenceNumber, sh.id)
		}
		pos.after = seq
		if in.ShardIteratorType == ShardIteratorTypeAtSequenceNumber {
			pos.after = seq - 1
		}
		if pos.after < sh.trimmed {
			return nil, ErrTrimmedDataAccess.Newf("The sequence number %s is beyond the trim horizon of shard %s: records older than %s are trimmed", in.SequenceNumber, sh.id, s.opts.Retention)
		}
	}
	s.readers++
	pos.reader = s.readers
	return &GetShardIteratorOutput{ShardIterator: encodeIterator(s.arn, pos)}, nil
}

// GetRecords reads the records after an iterator's position: at most
// Limit records and 1 MB, in sequence-number order. More than two readers
// on one shard within a second are throttled with LimitExceededException.
func (db *DB) GetRecords(ctx context.Context, in *GetRecordsInput) (*GetRecordsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &GetRecordsInput{}
	}
	limit := in.Limit
	if limit == 0 {
		limit = maxGetRecordsLimit
	}
	if limit < 1 || limit > maxGetRecordsLimit {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", in.Limit, maxGetRecordsLimit)
	}
	if in.ShardIterator == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: Member must not be null")
	}
	arn, pos, ok := decodeIterator(in.ShardIterator)
	if !ok || !validStreamArn(arn) {
		return nil, ErrValidation.New("Invalid ShardIterator")
	}
	s, err := db.stream(arn)
	if err != nil {
		return nil, err
	}
	now := db.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(pos.issued) > s.opts.IteratorLifetime {
		return nil, ErrExpiredIterator.Newf("Iterator expired. The iterator was created at time %s while right now it is %s which is further in the future than the tolerated delay of %d milliseconds.",
			pos.issued.UTC().Format(time.UnixDate), now.UTC().Format(time.UnixDate), s.opts.IteratorLifetime.Milliseconds())
	}
	s.advance(now)
	sh := s.shard(pos.shard)
	if sh == nil || pos.after < sh.trimmed {
		return nil, ErrTrimmedDataAccess.New("The data you are trying to access has been trimmed")
	}
	if err := s.admitReader(sh, pos.reader, now); err != nil {
		return nil, err
	}
	out := &GetRecordsOutput{Records: []Record{}}
	after := pos.after
	if len(sh.events) > 0 {
		i := int(after + 1 - sh.events[0].seq)
		bytes := int64(0)
		for ; i < len(sh.events) && len(out.Records) < limit; i++ {
			ev := &sh.events[i]
			if len(out.Records) > 0 && bytes+ev.size > maxGetRecordsBytes {
				break
			}
			bytes += ev.size
			out.Records = append(out.Records, s.record(ev))
			after = ev.seq
		}
	}
	if sh.open() || after < sh.last {
		out.NextShardIterator = encodeIterator(s.arn, iteratorPos{shard: sh.id, after: after, reader: pos.reader, issued: now})
	}
	return out, nil
}

// admitReader counts reader as reading sh now, or throttles it when
// MaxReadersPerShard others read it within the last second. The caller
// holds s.mu.
func (s *stream) admitReader(sh *shard, reader uint64, now time.Time) error {
	max := s.opts.MaxReadersPerShard
	if max < 0 {
		return nil
	}
	if sh.readers == nil {
		sh.readers = map[uint64]time.Time{}
	}
	for r, at := range sh.readers {
		if now.Sub(at) >= readerWindow {
			delete(sh.readers, r)
		}
	}
	if _, ok := sh.readers[reader]; !ok && len(sh.readers) >= max {
		return ErrLimitExceeded.Newf("Rate exceeded for shard %s in stream %s: more than %d readers within a second", sh.id, s.arn, max)
	}
	sh.readers[reader] = now
	return nil
}
