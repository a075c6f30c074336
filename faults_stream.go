package minicloud

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/minicloud/minicloud/lambda"
)

// stallingSource is a stream as an event source mapping reads it, with
// the account's faults applied to its reads: a rule aimed at Service
// "dynamodb" (or "kinesis" for a Kinesis data stream), Operation
// "GetRecords" and the table's (or stream's) name stalls the shard for
// its Latency on the clock before the records come, or fails the read
// with its Code (ExpiredIteratorException, ProvisionedThroughputExceeded
// Exception, …), as a shard that lags or misbehaves would.
type stallingSource struct {
	lambda.EventSource
	faults            *Faults
	service, resource string
}

func (s *stallingSource) Records(ctx context.Context, iterator string, limit int) ([]json.RawMessage, string, error) {
	if fr := s.faults.fire(Call{Service: s.service, Operation: "GetRecords", Resource: s.resource}, FaultError); fr != nil {
		if err := s.faults.wait(ctx, fr); err != nil {
			return nil, "", err
		}
		if err := fr.err(); err != nil {
			return nil, "", err
		}
	}
	return s.EventSource.Records(ctx, iterator, limit)
}

// streamResource names a stream ARN's table (DynamoDB:
// arn:aws:dynamodb:…:table/NAME/stream/…) or stream (Kinesis:
// arn:aws:kinesis:…:stream/NAME) for fault rules.
func streamResource(arn string) string {
	_, rest, ok := strings.Cut(arn, ":table/")
	if !ok {
		_, rest, _ = strings.Cut(arn, ":stream/")
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}
