package dynamo

import "github.com/minicloud/minicloud/internal/awserr"

// Sentinels of the DynamoDB Streams API and of the Kinesis stream that
// a table can stream to. A missing stream or shard is
// [ErrResourceNotFound] and too many readers on a shard is
// [ErrLimitExceeded], as for tables.
var (
	// ErrExpiredIterator is ExpiredIteratorException: the shard iterator
	// is older than its lifetime (15 minutes for DynamoDB Streams, 5 for
	// Kinesis). Get a new one with GetShardIterator.
	ErrExpiredIterator = awserr.New("ExpiredIteratorException", 400, "")
	// ErrTrimmedDataAccess is TrimmedDataAccessException: the iterator
	// or sequence number points at records already trimmed, older than
	// the stream's 24-hour retention.
	ErrTrimmedDataAccess = awserr.New("TrimmedDataAccessException", 400, "")
	// ErrInvalidArgument is Kinesis's InvalidArgumentException: a
	// malformed request to a Kinesis stream.
	ErrInvalidArgument = awserr.New("InvalidArgumentException", 400, "")
)
