package dynamo

import "github.com/minicloud/minicloud/internal/awserr"

// Error is a failed DynamoDB call: AWS's error code, message and HTTP
// status. It is the same type in every minicloud package, so errors.As
// reads the code of any minicloud error; errors.Is matches it against the
// sentinels below by code.
type Error = awserr.Error

// Sentinels for errors.Is, one per DynamoDB error code. Each carries the
// HTTP status DynamoDB answers the error with.
var (
	// ErrValidation is DynamoDB's ValidationException: the request is not
	// valid (a bad expression, a wrong key, a broken limit).
	ErrValidation = awserr.New("ValidationException", 400, "")
	// ErrResourceNotFound is ResourceNotFoundException: the table or index
	// does not exist.
	ErrResourceNotFound = awserr.New("ResourceNotFoundException", 400, "")
	// ErrResourceInUse is ResourceInUseException: the table already exists
	// or is being created, updated or deleted.
	ErrResourceInUse = awserr.New("ResourceInUseException", 400, "")
	// ErrConditionalCheckFailed is ConditionalCheckFailedException: a
	// write's condition evaluated to false, and nothing was written.
	ErrConditionalCheckFailed = awserr.New("ConditionalCheckFailedException", 400, "")
	// ErrLimitExceeded is LimitExceededException: too many tables or
	// indexes, or too many control-plane operations at once.
	ErrLimitExceeded = awserr.New("LimitExceededException", 400, "")
	// ErrItemCollectionSizeLimitExceeded is
	// ItemCollectionSizeLimitExceededException: an item collection of a
	// table with local secondary indexes is over 10 GB.
	ErrItemCollectionSizeLimitExceeded = awserr.New("ItemCollectionSizeLimitExceededException", 400, "")
	// ErrTransactionCanceled is TransactionCanceledException: a
	// transaction was cancelled and wrote nothing; the
	// *TransactionCanceledException says why, action by action.
	ErrTransactionCanceled = awserr.New("TransactionCanceledException", 400, "")
	// ErrTransactionConflict is TransactionConflictException: a write met
	// a transaction in progress on the same item.
	ErrTransactionConflict = awserr.New("TransactionConflictException", 400, "")
	// ErrIdempotentParameterMismatch is
	// IdempotentParameterMismatchException: a ClientRequestToken was
	// reused with a different request.
	ErrIdempotentParameterMismatch = awserr.New("IdempotentParameterMismatchException", 400, "")
	// ErrInternalServer is InternalServerError.
	ErrInternalServer = awserr.New("InternalServerError", 500, "")
)
