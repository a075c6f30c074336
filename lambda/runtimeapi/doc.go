// Package runtimeapi is the Lambda Runtime API of one execution
// environment: the loopback HTTP endpoint that a custom runtime (the
// bootstrap of provided.al2023, a container image's entry point, a binary
// built with aws-lambda-go's lambda.Start) finds in AWS_LAMBDA_RUNTIME_API
// and polls for events.
//
// A [Server] speaks version 2018-06-01 of the API:
//
//   - GET /2018-06-01/runtime/invocation/next blocks until there is an
//     event, then answers 200 with the payload as its body and the
//     invocation in headers: Lambda-Runtime-Aws-Request-Id,
//     Lambda-Runtime-Deadline-Ms (Unix milliseconds),
//     Lambda-Runtime-Invoked-Function-Arn, Lambda-Runtime-Trace-Id, and,
//     when the caller sent them, Lambda-Runtime-Client-Context and
//     Lambda-Runtime-Cognito-Identity (JSON). The first call ends the init
//     phase; a later call ends the invocation answered before it.
//   - POST /2018-06-01/runtime/invocation/{id}/response answers the
//     invocation: 202 {"status":"OK"}. A body over the response quota (6 MB
//     by default) is refused with 413 RequestEntityTooLarge and the
//     invocation fails with Function.ResponseSizeTooLarge. A body cut short
//     by the trailers Lambda-Runtime-Function-Error-Type and
//     Lambda-Runtime-Function-Error-Body is an error of that type. With
//     Lambda-Runtime-Function-Response-Mode: streaming the body goes to
//     the invocation's stream as it arrives (any other mode is 400
//     InvalidFunctionResponseMode).
//   - POST /2018-06-01/runtime/invocation/{id}/error fails the invocation
//     with the posted error document and the Lambda-Runtime-Function-Error-Type
//     header; a body that is not a JSON object is wrapped as
//     {"errorMessage":…,"errorType":…}.
//   - POST /2018-06-01/runtime/init/error fails the init phase the same way
//     (errorType Runtime.InitError when neither names a type).
//
// As in Lambda, a request out of turn is refused with 403 and errorType
// InvalidStateTransition ("State transition from Ready to
// InvocationResponse failed for runtime. Error: State transition is not
// allowed"), an answer for another request ID with 400 InvalidRequestID,
// and every error body is {"errorMessage":…,"errorType":…}.
//
// The lambda package starts one Server per execution environment of a
// process-backed function and drives it with [Server.WaitInit] and
// [Server.Invoke]; [Server.Exit] tells it that the runtime process is
// gone. The Server knows nothing about processes and can be served by any
// http.Server, such as httptest.NewServer in a test.
package runtimeapi
