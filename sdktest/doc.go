// Package sdktest proves minicloud's wire protocols with the real AWS SDK
// for Go v2. It is a module of its own, so that the SDK never enters the
// dependencies of the minicloud library.
//
// Its tests start minicloud's handlers behind httptest servers and drive
// them with aws-sdk-go-v2's clients exactly as production code drives AWS:
// static credentials and a BaseEndpoint are the only differences. Its
// benchmarks put each call through the SDK over loopback HTTP beside the
// same call on minicloud's in-process API, so the cost of the wire is
// plain:
//
//	cd sdktest && go test -run '^$' -bench . -benchmem
package sdktest
