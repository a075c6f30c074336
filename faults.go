package minicloud

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/internal/awserr"
)

// Services a [Fault] aims at, by the names AWS gives them in ARNs.
const (
	ServiceDynamoDB   = "dynamodb"
	ServiceLambda     = "lambda"
	ServiceStates     = "states"
	ServiceAPIGateway = "apigateway"
	ServiceCloudFront = "cloudfront"
)

// FaultKind says how a [Fault] breaks the calls it hits.
type FaultKind int

const (
	// FaultError fails the call with an AWS error: Code and Message, with
	// the HTTP status AWS sends that code with (see [Fault].StatusCode).
	// With an empty Code the call only waits Latency and then runs.
	FaultError FaultKind = iota
	// FaultUnprocessed leaves DynamoDB batch items unprocessed: every item
	// of a BatchGetItem (Operation "BatchGetItem") or request of a
	// BatchWriteItem ("BatchWriteItem") that the rule hits comes back in
	// UnprocessedKeys or UnprocessedItems, as when a table is out of
	// capacity. [Call].Item is the key or item, for Match to choose.
	FaultUnprocessed
	// FaultFunctionError makes a Lambda invocation fail as its handler
	// would: errorType Code (default "Error") and errorMessage Message, with
	// X-Amz-Function-Error Unhandled. The handler does not run.
	FaultFunctionError
	// FaultCrash makes a Lambda invocation's runtime exit (Runtime.ExitError,
	// "exit status 1"): the execution environment is discarded, so the next
	// invocation is a cold start.
	FaultCrash
	// FaultTimeout makes a Lambda invocation hang until the function's
	// timeout on the clock: it ends with Sandbox.Timedout, "Task timed out
	// after N.NN seconds", and the environment is discarded.
	FaultTimeout
	// FaultDuplicate delivers an asynchronous Lambda event twice, with the
	// same request ID, as Lambda's at-least-once delivery may (Operation
	// "Event").
	FaultDuplicate
)

// Fault is one fault injection rule: which calls it hits, how it breaks
// them and how often. Add it with [Faults.Add].
//
// A call is hit by the first rule, in the order they were added, that
// aims at it, is within its time window, has calls left and wins its
// draw. Rules of a kind a call cannot take are skipped (FaultUnprocessed
// is only asked about batch items, FaultDuplicate about asynchronous
// events, and so on).
type Fault struct {
	// Service is the service hit: ServiceDynamoDB, ServiceLambda,
	// ServiceStates, ServiceAPIGateway or ServiceCloudFront. Empty is any.
	Service string
	// Operation is the API operation hit, such as "PutItem", "Query",
	// "BatchWriteItem" (DynamoDB), "Invoke", "Init" (a cold start) or
	// "Event" (an asynchronous event queued) for Lambda, "Task" for a Step
	// Functions Task resource, "Integration" for an API Gateway route,
	// "Origin" for a CloudFront origin. A "*" glob; empty is any.
	Operation string
	// Resource is a "*" glob over the resource: a DynamoDB table name, a
	// Lambda function ARN (qualified when invoked with a qualifier), a
	// Step Functions Task's resource ARN, an API Gateway "apiId routeKey"
	// ("a1b2c3 GET /orders/{id}"), a CloudFront "distributionId originId".
	// Empty is any.
	Resource string
	// Match, when not nil, must also return true for the call to be hit.
	// It is called only for calls the other fields aim at, one call at a
	// time, and must not use the account's Faults.
	Match func(Call) bool

	// Kind is how the call breaks; the zero value is FaultError.
	Kind FaultKind
	// Code is the AWS error code, such as "ThrottlingException",
	// "ProvisionedThroughputExceededException", "InternalServerError",
	// "TooManyRequestsException"; for FaultFunctionError the errorType, for
	// a Step Functions Task the error name.
	Code string
	// Message is the error message (the cause of a Task's error); empty is
	// AWS's usual message for Code.
	Message string
	// StatusCode overrides the HTTP status; zero is the status AWS sends
	// Code with (ThrottlingException, ProvisionedThroughputExceededException,
	// RequestLimitExceeded, TransactionConflictException: 400;
	// TooManyRequestsException: 429; InternalServerError: 500;
	// ServiceUnavailable: 503).
	StatusCode int
	// Latency delays the call on the account's clock before it fails or
	// (with no Code) runs; for a Lambda "Init" it lengthens the init.
	Latency time.Duration

	// Times is how many calls the rule hits, the next N it aims at; zero
	// is every one.
	Times int
	// Probability is the chance each aimed-at call is hit, drawn from the
	// account's seeded source ([Options].Seed), so a run is reproducible;
	// zero means always.
	Probability float64
	// From and Until bound the rule in clock time: it hits calls at or
	// after From and before Until. A zero bound is open.
	From, Until time.Time
}

// Call is a call a [Fault] may hit, as its Match sees it.
type Call struct {
	// Service, Operation and Resource are the call's, as Fault names them.
	Service, Operation, Resource string
	// Item is the key (BatchGetItem) or request item (BatchWriteItem: the
	// PutRequest's Item or the DeleteRequest's Key) a FaultUnprocessed rule
	// is asked about.
	Item dynamo.Item
	// Payload is the event of a Lambda invocation or the input of a Step
	// Functions Task.
	Payload []byte
}

// InjectedFault records one fault that hit a call.
type InjectedFault struct {
	// Rule is the ID [Faults.Add] returned for the rule.
	Rule string
	// Time is the clock time the fault was injected.
	Time time.Time
	// Service, Operation and Resource are the call's.
	Service, Operation, Resource string
	// Kind, Code and Latency are what was injected.
	Kind    FaultKind
	Code    string
	Latency time.Duration
}

// Faults holds an account's fault injection rules; [New] creates it as
// Cloud.Faults. It is safe for concurrent use; rules are added and
// removed while the account runs.
type Faults struct {
	clock  clock.Clock
	logger *slog.Logger

	mu       sync.Mutex
	rand     *rand.Rand
	next     int
	rules    []*faultRule
	injected []InjectedFault
}

type faultRule struct {
	id   string
	f    Fault
	left int // calls left when f.Times > 0
}

func newFaults(c clock.Clock, seed uint64, logger *slog.Logger) *Faults {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Faults{clock: c, logger: logger, rand: rand.New(rand.NewPCG(seed, seed^0x5fa17c0de))}
}

// Add adds a rule and returns its ID, for Remove and for the Rule of the
// faults it injects.
func (f *Faults) Add(rule Fault) (id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	id = "fault-" + strconv.Itoa(f.next)
	f.rules = append(f.rules, &faultRule{id: id, f: rule, left: rule.Times})
	return id
}

// Remove removes the rule with that ID and reports whether it was there.
func (f *Faults) Remove(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.rules {
		if r.id == id {
			f.rules = append(f.rules[:i:i], f.rules[i+1:]...)
			return true
		}
	}
	return false
}

// Clear removes every rule. What was injected stays in Injected.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = nil
}

// Injected returns every fault injected so far, in order.
func (f *Faults) Injected() []InjectedFault {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]InjectedFault(nil), f.injected...)
}

// firing is a rule that hit a call.
type firing struct {
	id      string
	f       Fault
	service string
}

// fire returns the rule that hits call, among rules of the given kinds,
// and records the fault; nil when none does.
func (f *Faults) fire(call Call, kinds ...FaultKind) *firing {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	now := f.clock.Now()
	var hit *faultRule
	for _, r := range f.rules {
		if (r.f.Times <= 0 || r.left > 0) && r.aims(call, now, kinds) && f.draw(r.f.Probability) {
			hit = r
			break
		}
	}
	if hit == nil {
		f.mu.Unlock()
		return nil
	}
	if hit.f.Times > 0 {
		hit.left--
	}
	code := hit.f.Code
	if code == "" && hit.f.Kind == FaultFunctionError {
		code = "Error"
	}
	f.injected = append(f.injected, InjectedFault{Rule: hit.id, Time: now, Service: call.Service, Operation: call.Operation,
		Resource: call.Resource, Kind: hit.f.Kind, Code: code, Latency: hit.f.Latency})
	fr := &firing{id: hit.id, f: hit.f, service: call.Service}
	f.mu.Unlock()
	f.logger.Info("fault injected", "rule", hit.id, "service", call.Service, "operation", call.Operation,
		"resource", call.Resource, "kind", hit.f.Kind.String(), "code", code, "latency", hit.f.Latency)
	return fr
}

// draw reports whether a call with probability p (0: always) is hit. The
// caller holds f.mu.
func (f *Faults) draw(p float64) bool {
	if p <= 0 || p >= 1 {
		return true
	}
	return f.rand.Float64() < p
}

func (r *faultRule) aims(call Call, now time.Time, kinds []FaultKind) bool {
	f := &r.f
	kindOK := false
	for _, k := range kinds {
		kindOK = kindOK || k == f.Kind
	}
	switch {
	case !kindOK,
		f.Service != "" && f.Service != call.Service,
		!globMatch(f.Operation, call.Operation),
		!globMatch(f.Resource, call.Resource),
		!f.From.IsZero() && now.Before(f.From),
		!f.Until.IsZero() && !now.Before(f.Until):
		return false
	}
	return f.Match == nil || f.Match(call)
}

// globMatch reports whether s matches pattern, where "*" matches any run
// of characters (slashes included) and an empty pattern matches anything.
func globMatch(pattern, s string) bool {
	if pattern == "" || pattern == "*" {
		return true
	}
	// Iterative wildcard matching with backtracking to the last star.
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && pattern[p] == s[i]:
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// wait sleeps the firing's latency on the account's clock.
func (f *Faults) wait(ctx context.Context, fr *firing) error {
	if fr == nil || fr.f.Latency <= 0 {
		return nil
	}
	return f.clock.Sleep(ctx, fr.f.Latency)
}

// err is the AWS error a FaultError firing fails its call with, nil when
// it has no Code (latency only).
func (fr *firing) err() *awserr.Error {
	if fr.f.Code == "" {
		return nil
	}
	msg := fr.f.Message
	if msg == "" {
		msg = faultMessages[fr.f.Code]
	}
	if msg == "" {
		msg = "Injected fault " + fr.id
	}
	status := fr.f.StatusCode
	if status == 0 {
		status = faultStatus(fr.service, fr.f.Code)
	}
	return awserr.New(fr.f.Code, status, msg)
}

// faultStatus is the HTTP status AWS sends an error code with.
func faultStatus(service, code string) int {
	switch code {
	case "InternalServerError", "InternalFailure", "ServiceException", "InternalServerErrorException":
		return 500
	case "ServiceUnavailable", "ServiceUnavailableException":
		return 503
	case "TooManyRequestsException":
		return 429
	case "ResourceNotFoundException", "NotFoundException":
		if service == ServiceLambda || service == ServiceAPIGateway {
			return 404
		}
	case "LimitExceededException":
		if service == ServiceAPIGateway {
			return 429
		}
	case "ResourceConflictException":
		if service == ServiceLambda {
			return 409
		}
	}
	return 400
}

// faultMessages are the messages AWS sends with the codes faults usually
// inject.
var faultMessages = map[string]string{
	"ThrottlingException":                    "Rate of requests exceeds the allowed throughput.",
	"ProvisionedThroughputExceededException": "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
	"RequestLimitExceeded":                   "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase",
	"InternalServerError":                    "Internal server error",
	"TransactionConflictException":           "Transaction is ongoing for the item",
	"TooManyRequestsException":               "Rate Exceeded.",
	"ServiceUnavailable":                     "Service Unavailable",
	"ServiceException":                       "An internal error occurred.",
}

// String names the kind, as logged.
func (k FaultKind) String() string {
	switch k {
	case FaultError:
		return "error"
	case FaultUnprocessed:
		return "unprocessed"
	case FaultFunctionError:
		return "function-error"
	case FaultCrash:
		return "crash"
	case FaultTimeout:
		return "timeout"
	case FaultDuplicate:
		return "duplicate"
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}
