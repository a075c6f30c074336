package dynamo

import "github.com/minicloud/minicloud/internal/awserr"

// Sentinels of capacity and throttling, for errors.Is.
var (
	// ErrProvisionedThroughputExceeded is
	// ProvisionedThroughputExceededException: a PROVISIONED table or one of
	// its global secondary indexes has no capacity left for the request
	// (its token bucket, burst included, is empty). Nothing was read or
	// written; the request may be retried once capacity has refilled.
	ErrProvisionedThroughputExceeded = awserr.New("ProvisionedThroughputExceededException", 400, "")
	// ErrRequestLimitExceeded is RequestLimitExceeded: an on-demand table
	// went past the account's per-table throughput quota (40,000 read and
	// 40,000 write request units per second by default).
	ErrRequestLimitExceeded = awserr.New("RequestLimitExceeded", 400, "")
)

// DynamoDB's messages for throttled requests, as its API reference gives
// them for ProvisionedThroughputExceededException and RequestLimitExceeded.
const (
	msgTableThroughputExceeded = "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API."
	msgIndexThroughputExceeded = "The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API"
	msgRequestLimitExceeded    = "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase"
)
