// Package wire serves AWS Step Functions' wire protocol over a
// [stepfn.Service], so that the AWS SDKs (aws-sdk-go-v2/service/sfn and
// the others) and the AWS CLI work against minicloud unchanged.
//
//	svc := stepfn.New(stepfn.Options{})
//	http.ListenAndServe("127.0.0.1:4566", wire.NewHandler(svc, wire.Options{}))
//
// # The protocol
//
// Step Functions speaks AWS JSON 1.0: every request is a POST whose
// X-Amz-Target header names the operation ("AWSStepFunctions." followed
// by its name), whose Content-Type is application/x-amz-json-1.0, and
// whose body is one JSON object with the API reference's member names
// (stateMachineArn, executionArn, maxResults, ...). The response is a
// JSON object of the same kind; a member without a value is left out
// (the stopDate of a running execution, the output of a failed one).
// Timestamps are seconds since the Unix epoch as JSON numbers with a
// millisecond fraction (1735689601.5). Each response carries an
// x-amzn-RequestId, a version 4 UUID drawn from a seeded source.
//
// Operations served: CreateStateMachine, DescribeStateMachine,
// ListStateMachines, DeleteStateMachine, UpdateStateMachine,
// ValidateStateMachineDefinition, TestState, StartExecution, StartSyncExecution, DescribeExecution, StopExecution,
// ListExecutions, GetExecutionHistory, and SendTaskSuccess,
// SendTaskFailure and SendTaskHeartbeat for task tokens, and
// CreateActivity, DescribeActivity, DeleteActivity, ListActivities and
// GetActivityTask (a long poll of up to 60 seconds on the service's
// clock, answered {} when no task came), PublishStateMachineVersion,
// ListStateMachineVersions, DeleteStateMachineVersion,
// CreateStateMachineAlias, DescribeStateMachineAlias,
// UpdateStateMachineAlias, DeleteStateMachineAlias,
// ListStateMachineAliases, DescribeStateMachineForExecution, TagResource,
// UntagResource and ListTagsForResource (publish, versionDescription and
// tags are read by CreateStateMachine, tags by CreateActivity). History events carry their
// details under the API's names (executionStartedEventDetails,
// taskScheduledEventDetails, lambdaFunctionSucceededEventDetails, ...);
// includeExecutionData false leaves inputs and outputs out.
// ValidateStateMachineDefinition applies severity (ERROR by default, or
// WARNING for both) and maxResults (up to 100; truncated says when more
// were found).
//
// # Errors
//
// A failed request is answered HTTP 400 (409 for ConflictException, 500
// for InternalFailure) with
// {"__type":"<namespace>#<Code>","message":"..."}. The SDKs keep what
// follows the '#' and turn it into their typed errors
// (*types.ExecutionDoesNotExist, ...). The service's codes are those of
// package stepfn: StateMachineDoesNotExist, StateMachineAlreadyExists,
// StateMachineDeleting, StateMachineTypeNotSupported,
// ExecutionDoesNotExist, ExecutionAlreadyExists, ExecutionLimitExceeded,
// InvalidDefinition, InvalidArn, InvalidName, InvalidExecutionInput,
// InvalidToken, ValidationException, and for versions, aliases and tags
// ConflictException, ServiceQuotaExceededException, ResourceNotFound and
// TooManyTags. The protocol adds its own:
// UnknownOperationException for a target that is not a served operation,
// a method other than POST or another Content-Type;
// SerializationException for a body that is not one JSON object or a
// member of the wrong JSON type (members the handler does not know are
// ignored, as a newer client may send them); and 413 Request Entity Too
// Large for a body over 1 MB, Step Functions' request size quota. A panic
// inside an operation is logged and answered InternalFailure; it never
// reaches the server.
//
// # What is approximated
//
// Signatures are not checked: any request, signed or not, is served.
// Members of features stepfn does not have (logging and tracing
// configuration of CreateStateMachine, encryption, redrive, map run
// listing) are ignored on input and absent from output; mapRunArn in
// ListExecutions is refused with ValidationException. StartSyncExecution
// is sent by the SDKs to the host "sync-" + endpoint host: a client of
// minicloud's Cloud.HTTPClient reaches the handler whatever the host, but
// over a real socket on 127.0.0.1 the client must disable host prefixes.
// The __type namespace of the service's errors
// (com.amazonaws.swf.base.model) is the one Step Functions is known to
// answer with; the SDKs read only the code after it.
package wire
