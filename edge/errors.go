package edge

import "github.com/minicloud/minicloud/internal/awserr"

// Error is a failed CloudFront API call: AWS's error code, message and HTTP
// status. It is the same type in every minicloud package; errors.Is
// matches it against the sentinels below by code.
//
// A request a distribution refuses while serving (a method it does not
// allow, a failed edge function) is not an Error: it is an HTTP response
// with CloudFront's status code and X-Cache value.
type Error = awserr.Error

// Sentinels for errors.Is, one per CloudFront error code, each with the
// HTTP status CloudFront answers it with.
var (
	// ErrInvalidArgument is InvalidArgument (400): a field of a
	// configuration or request is malformed or out of range.
	ErrInvalidArgument = awserr.New("InvalidArgument", 400, "")
	// ErrNoSuchDistribution is NoSuchDistribution (404).
	ErrNoSuchDistribution = awserr.New("NoSuchDistribution", 404, "")
	// ErrNoSuchInvalidation is NoSuchInvalidation (404).
	ErrNoSuchInvalidation = awserr.New("NoSuchInvalidation", 404, "")
	// ErrNoSuchOrigin is NoSuchOrigin (404): a cache behaviour targets an
	// origin ID the distribution does not define.
	ErrNoSuchOrigin = awserr.New("NoSuchOrigin", 404, "")
	// ErrDistributionAlreadyExists is DistributionAlreadyExists (409): the
	// CallerReference was used for another distribution.
	ErrDistributionAlreadyExists = awserr.New("DistributionAlreadyExists", 409, "")
	// ErrInvalidationBatchAlreadyExists is InvalidationBatchAlreadyExists
	// (409): the CallerReference was used for a different batch.
	ErrInvalidationBatchAlreadyExists = awserr.New("InvalidationBatchAlreadyExists", 409, "")
	// ErrTooManyInvalidationsInProgress is TooManyInvalidationsInProgress
	// (400): more than 3,000 paths, or 15 wildcard paths, would be in
	// progress at once for the distribution.
	ErrTooManyInvalidationsInProgress = awserr.New("TooManyInvalidationsInProgress", 400, "")
	// ErrBatchTooLarge is BatchTooLarge (413): an invalidation batch with
	// more paths than may be in progress at once.
	ErrBatchTooLarge = awserr.New("BatchTooLarge", 413, "")
	// ErrInconsistentQuantities is InconsistentQuantities (400): a
	// Quantity does not equal the number of Items.
	ErrInconsistentQuantities = awserr.New("InconsistentQuantities", 400, "")
	// ErrTooManyCacheBehaviors is TooManyCacheBehaviors (400): more than 75
	// cache behaviours in one distribution.
	ErrTooManyCacheBehaviors = awserr.New("TooManyCacheBehaviors", 400, "")
	// ErrInvalidFunctionAssociation is InvalidFunctionAssociation (400): a
	// CloudFront Function is attached where CloudFront does not allow it.
	ErrInvalidFunctionAssociation = awserr.New("InvalidFunctionAssociation", 400, "")
	// ErrInvalidLambdaFunctionAssociation is
	// InvalidLambdaFunctionAssociation (400): a Lambda@Edge association
	// breaks one of Lambda@Edge's rules (region, version, environment
	// variables, VPC, timeout, memory, runtime, event type).
	ErrInvalidLambdaFunctionAssociation = awserr.New("InvalidLambdaFunctionAssociation", 400, "")
	// ErrTooManyLambdaFunctionAssociations is
	// TooManyLambdaFunctionAssociations (400): more than one function for an
	// event type of a cache behaviour.
	ErrTooManyLambdaFunctionAssociations = awserr.New("TooManyLambdaFunctionAssociations", 400, "")
	// ErrTooManyFunctionAssociations is TooManyFunctionAssociations (400):
	// more than one CloudFront Function for an event type of a behaviour.
	ErrTooManyFunctionAssociations = awserr.New("TooManyFunctionAssociations", 400, "")
)
