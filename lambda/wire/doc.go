// Package wire serves a [lambda.Service] over AWS Lambda's REST-JSON
// protocol, so that the AWS SDKs (aws-sdk-go-v2/service/lambda) and the
// AWS CLI work against it unchanged.
//
//	svc := lambda.New(lambda.Options{})
//	h := wire.NewHandler(svc, wire.Options{})
//	srv := httptest.NewServer(h) // or minicloud's Cloud.Handler()
//
// # Operations
//
// Each operation is a method and a path, as in the Lambda API Reference:
//
//	POST   /2015-03-31/functions                          CreateFunction (201)
//	GET    /2015-03-31/functions/                         ListFunctions (Marker, MaxItems 1-10,000, FunctionVersion=ALL)
//	GET    /2015-03-31/functions/{name}                   GetFunction (Qualifier)
//	DELETE /2015-03-31/functions/{name}                   DeleteFunction (204; Qualifier)
//	GET    /2015-03-31/functions/{name}/configuration     GetFunctionConfiguration
//	PUT    /2015-03-31/functions/{name}/configuration     UpdateFunctionConfiguration
//	PUT    /2015-03-31/functions/{name}/code              UpdateFunctionCode
//	POST   /2015-03-31/functions/{name}/invocations       Invoke
//	POST   /2015-03-31/functions/{name}/versions          PublishVersion (201)
//	GET    /2015-03-31/functions/{name}/versions          ListVersionsByFunction
//	POST   /2015-03-31/functions/{name}/aliases           CreateAlias (201)
//	GET    /2015-03-31/functions/{name}/aliases           ListAliases
//	GET    /2015-03-31/functions/{name}/aliases/{alias}   GetAlias
//	PUT    /2015-03-31/functions/{name}/aliases/{alias}   UpdateAlias
//	DELETE /2015-03-31/functions/{name}/aliases/{alias}   DeleteAlias (204)
//	PUT    /2017-10-31/functions/{name}/concurrency       PutFunctionConcurrency
//	DELETE /2017-10-31/functions/{name}/concurrency       DeleteFunctionConcurrency (204)
//	GET    /2019-09-30/functions/{name}/concurrency       GetFunctionConcurrency
//	GET    /2016-08-19/account-settings/                  GetAccountSettings
//
// {name} is a function name, a partial ARN or an ARN, path-escaped, and
// may carry a qualifier ("orders:live"). Invoke reads the event from the
// body (up to 6 MB), the qualifier from the Qualifier query parameter
// and X-Amz-Invocation-Type (RequestResponse, Event, DryRun),
// X-Amz-Log-Type (None, Tail) and X-Amz-Client-Context (base64 JSON); it
// answers 200 with the function's response, 202 for Event and 204 for
// DryRun, with X-Amz-Executed-Version, X-Amz-Function-Error ("Unhandled",
// the body then being the error document) and X-Amz-Log-Result (the last
// 4 KB of the log, base64) for Tail.
//
// # Code over the wire
//
// CreateFunction runs the package it is given when the runtime is an
// OS-only one (provided.al2023, the default, or provided.al2) and the
// Handler names no Go code registered in [Options].Handlers: the ZipFile
// (base64 in the JSON body) is checked as Lambda checks it (a corrupt
// archive or an entry leaving the package is an
// InvalidParameterValueException, "Could not unzip uploaded file. Please
// check your file, then try to upload again."; the 50 MB zipped and
// 250 MB unzipped quotas are read from the archive's directory before
// anything is written), extracted under [Options].CodeDir, and its
// bootstrap, made executable, runs as a process through the Runtime API
// (lambda.ProcessHandler), one per execution environment. As in Lambda,
// the entry point is always ./bootstrap, whatever the Handler says, and
// a package without one is created but fails every init with
// Runtime.InvalidEntrypoint, "Error: Couldn't find valid bootstrap(s):
// [/var/task/bootstrap /opt/bootstrap]". CodeSha256 is the base64
// SHA-256 of the .zip and CodeSize its length. UpdateFunctionCode with a
// .zip replaces the package of $LATEST; published versions keep theirs.
// A package is removed once no version of any function runs it, and
// [Handler.Close] removes them all.
//
// Go code cannot travel in a .zip: a function created over the wire
// whose Handler is a key of [Options].Handlers runs the Go code the test
// registered under that name (its .zip, if any, counts for its sizes
// only), and an UpdateFunctionConfiguration naming another registered
// Handler switches the function to that code. Packages in S3, container
// images and the code of managed runtimes (python3.12, nodejs22.x…) are
// refused with an InvalidParameterValueException saying so.
//
// # Errors
//
// An error is answered as Lambda answers it: its HTTP status, the
// x-amzn-ErrorType header with the code (ResourceNotFoundException 404,
// InvalidParameterValueException 400, ResourceConflictException 409,
// TooManyRequestsException 429, RequestTooLargeException 413…), which
// the SDKs read, and the body {"Type":"User","message":"…"} ("Service"
// for a ServiceException, 500). A TooManyRequestsException adds the
// throttle's Reason to the body and a Retry-After header, read by the SDK
// as RetryAfterSeconds. A method and path that name no operation are an
// UnknownOperationException (404). A request never makes the handler
// panic: a panic in an operation is recovered and answered as a
// ServiceException.
//
// Every response carries an x-amzn-RequestId, a UUID from a seeded source.
//
// # Not served
//
// Signatures are not verified (any credentials are accepted), and
// InvokeWithResponseStream, InvokeAsync, layers, permissions, event
// source mappings, function URLs, tags, provisioned concurrency and
// event invoke configurations have no route yet: they are answered as
// unknown operations. GetFunction's Code.Location has the shape of
// Lambda's presigned S3 URL but cannot be downloaded (minicloud serves no
// S3), and configurations omit DeadLetterConfig (its
// target is a Go value, not an ARN). The Retry-After value of a throttle,
// which AWS does not document, is always one second.
package wire
