package dynamo

import (
	"context"
	"encoding/json"
)

// StreamSource is a DynamoDB stream seen by a consumer that does not
// import this package: a Lambda event source mapping, a replicator, a
// test. Its methods use only standard types, so the consumer declares the
// interface it needs in its own package and both *StreamSource and
// *[KinesisStream] satisfy it:
//
//	type EventSource interface {
//		ARN() string
//		Shards(ctx context.Context) (ids, parents []string, err error)
//		ShardIterator(ctx context.Context, shardID, iteratorType, sequenceNumber string) (string, error)
//		Records(ctx context.Context, iterator string, limit int) (records []json.RawMessage, next string, err error)
//		Changed() <-chan struct{}
//	}
//
// A poller lists the shards, reads each parent to its end before its
// children (a child's records follow its parent's), keeps the sequence
// number of the last record it processed (at "dynamodb.SequenceNumber" in
// each record) to resume with AFTER_SEQUENCE_NUMBER, and waits on
// Changed between polls instead of spinning. Errors carry AWS's codes
// (ErrorCode() string): ExpiredIteratorException asks for a new iterator
// from the last sequence number, TrimmedDataAccessException means records
// were lost to retention and reading resumes at TRIM_HORIZON.
type StreamSource struct {
	db  *DB
	arn string
}

// StreamSource returns the consumer view of the stream with that ARN
// (a table's LatestStreamArn).
func (db *DB) StreamSource(streamArn string) (*StreamSource, error) {
	if _, err := db.stream(streamArn); err != nil {
		return nil, err
	}
	return &StreamSource{db: db, arn: streamArn}, nil
}

// ARN returns the stream's ARN, the EventSourceArn of a mapping.
func (s *StreamSource) ARN() string { return s.arn }

// Shards lists the stream's readable shards in creation order, each
// after its parent, with each one's parent ID ("" for none).
func (s *StreamSource) Shards(ctx context.Context) (ids, parents []string, err error) {
	out, err := s.db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: s.arn})
	for err == nil {
		for _, sh := range out.StreamDescription.Shards {
			ids = append(ids, sh.ShardId)
			parents = append(parents, sh.ParentShardId)
		}
		last := out.StreamDescription.LastEvaluatedShardId
		if last == "" {
			return ids, parents, nil
		}
		out, err = s.db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: s.arn, ExclusiveStartShardId: last})
	}
	return nil, nil, err
}

// ShardIterator returns an iterator into a shard: iteratorType is
// TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER (the
// last two with sequenceNumber).
func (s *StreamSource) ShardIterator(ctx context.Context, shardID, iteratorType, sequenceNumber string) (string, error) {
	out, err := s.db.GetShardIterator(ctx, &GetShardIteratorInput{
		StreamArn: s.arn, ShardId: shardID, ShardIteratorType: ShardIteratorType(iteratorType), SequenceNumber: sequenceNumber,
	})
	if err != nil {
		return "", err
	}
	return out.ShardIterator, nil
}

// Records reads up to limit records after an iterator (zero means 1,000),
// each as the JSON of one record of the Lambda event for DynamoDB
// (events.DynamoDBEventRecord of aws-lambda-go), and the iterator to
// continue with: "" once a closed shard has been read to its end.
func (s *StreamSource) Records(ctx context.Context, iterator string, limit int) ([]json.RawMessage, string, error) {
	out, err := s.db.GetRecords(ctx, &GetRecordsInput{ShardIterator: iterator, Limit: limit})
	if err != nil {
		return nil, "", err
	}
	recs := make([]json.RawMessage, len(out.Records))
	for i := range out.Records {
		if recs[i], err = json.Marshal(&out.Records[i]); err != nil {
			return nil, "", err
		}
	}
	return recs, out.NextShardIterator, nil
}

// Changed returns a channel that is closed when the stream next changes:
// a record is appended or the stream is disabled. A stream that has
// expired returns a closed channel.
func (s *StreamSource) Changed() <-chan struct{} {
	st := s.db.streams.get(s.arn, s.db.clock.Now())
	if st == nil {
		ch := make(chan struct{})
		close(ch)
		return ch
	}
	return st.changed()
}
