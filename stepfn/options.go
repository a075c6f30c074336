package stepfn

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// Options configures a [Service]. The zero value is Step Functions in
// us-east-1 of account 123456789012 on the real clock, with AWS's
// default quotas and a random source seeded with 1.
type Options struct {
	// Clock is the time source for Wait states, retries, timeouts,
	// heartbeats and every timestamp. Nil means clock.Real().
	Clock clock.Clock
	// Region names the simulated region in ARNs. Default "us-east-1".
	Region string
	// AccountID is the account in ARNs. Default "123456789012".
	AccountID string
	// Rand is the source of every random choice: execution names and
	// UUIDs, States.UUID, States.MathRandom without a seed and the FULL
	// jitter of retries. Nil means a PCG source seeded with 1, so that a
	// run on a manual clock is reproducible.
	Rand rand.Source
	// Limits overrides Step Functions quotas; zero fields keep AWS's
	// defaults.
	Limits Limits
	// Resolve, when set, finds the resource of a Task whose ARN was not
	// registered with RegisterResource: minicloud.New uses it so that a
	// Task finds the account's Lambda functions by ARN.
	Resolve func(arn string) (Resource, bool)
	// DynamoDB, when set, serves the optimized DynamoDB integrations
	// (arn:aws:states:::dynamodb:putItem, getItem, updateItem and
	// deleteItem) of Tasks that have no resource registered under those
	// ARNs: minicloud.New points it at the account's DynamoDB.
	DynamoDB DynamoDB
	// APIGateway, when set, serves the optimized API Gateway integration
	// (arn:aws:states:::apigateway:invoke and its .waitForTaskToken) of
	// Tasks that have no resource registered under that ARN: it finds the
	// http.Handler answering a Task's ApiEndpoint.
	APIGateway APIGatewayFunc
	// Prices overrides the prices and free tier of the cost meter; nil
	// means [DefaultPrices] (us-east-1).
	Prices *Prices
}

// Limits holds Step Functions quotas. A zero field means AWS's default,
// given in its comment. Source: "Step Functions service quotas" in the
// AWS Step Functions Developer Guide.
type Limits struct {
	// MaxPayloadSize is the largest execution input, state input or
	// output and task result, in bytes of UTF-8: 256 KiB (262,144).
	// Over it a state fails with States.DataLimitExceeded.
	MaxPayloadSize int
	// MaxHistoryEvents is the number of events a Standard execution's
	// history may hold: 25,000. The execution fails when it would write
	// more.
	MaxHistoryEvents int
	// MaxStandardDuration is the longest a Standard execution may run:
	// one year (365 days).
	MaxStandardDuration time.Duration
	// MaxExpressDuration is the longest an Express execution may run:
	// five minutes.
	MaxExpressDuration time.Duration
	// ExecutionRetention is how long a closed Standard execution stays
	// visible and keeps its name reserved: 90 days.
	ExecutionRetention time.Duration
	// MaxOpenExecutions is the number of Standard executions running at
	// once per account: 1,000,000.
	MaxOpenExecutions int
	// MaxStateMachines is the number of state machines per account per
	// region: 10,000.
	MaxStateMachines int
	// MaxDefinitionSize is the largest definition, in bytes: 1 MiB
	// (1,048,576).
	MaxDefinitionSize int
	// MaxInlineMapConcurrency is how many iterations an inline Map state
	// runs at once when MaxConcurrency is 0 (no limit): AWS documents
	// "up to 40". A distributed Map runs up to 10,000.
	MaxInlineMapConcurrency int
	// MaxActivities is the number of activities per account per region:
	// 10,000, as for state machines (the "Maximum number of registered
	// activities" quota).
	MaxActivities int
	// MaxActivityPollers is how many GetActivityTask calls may wait on
	// one activity at once before ActivityWorkerLimitExceeded. AWS
	// publishes no number; minicloud allows 1,000.
	MaxActivityPollers int
	// MaxVersions is the number of versions one state machine may have
	// published and not deleted: 1,000.
	MaxVersions int
	// MaxAliases is the number of aliases one state machine may have:
	// 100.
	MaxAliases int
}

func (l Limits) withDefaults() Limits {
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt(&l.MaxPayloadSize, 256*1024)
	defInt(&l.MaxHistoryEvents, 25000)
	defDur(&l.MaxStandardDuration, 365*24*time.Hour)
	defDur(&l.MaxExpressDuration, 5*time.Minute)
	defDur(&l.ExecutionRetention, 90*24*time.Hour)
	defInt(&l.MaxOpenExecutions, 1000000)
	defInt(&l.MaxStateMachines, 10000)
	defInt(&l.MaxDefinitionSize, 1<<20)
	defInt(&l.MaxInlineMapConcurrency, 40)
	defInt(&l.MaxActivities, 10000)
	defInt(&l.MaxActivityPollers, 1000)
	defInt(&l.MaxVersions, 1000)
	defInt(&l.MaxAliases, 100)
	return l
}

// Quotas of the States Language itself, fixed by AWS.
const (
	// maxNameLength is the longest state machine, execution or state
	// name: 80 characters.
	maxNameLength = 80
	// maxTimeoutSeconds is the largest TimeoutSeconds, HeartbeatSeconds,
	// Wait Seconds and retry interval: 99,999,999.
	maxTimeoutSeconds = 99999999
	// defaultTaskTimeout is a Task's timeout when it sets none: 60 seconds
	// for activities and 99,999,999 seconds otherwise; minicloud applies
	// the second.
	defaultTaskTimeout = 99999999 * time.Second
	// maxIntrinsicInput is the longest string States.Base64Encode,
	// States.Base64Decode and States.Hash accept: 10,000 characters.
	maxIntrinsicInput = 10000
	// maxArrayRange is the most items States.ArrayRange may return: 1,000.
	maxArrayRange = 1000
	// maxDistributedConcurrency is a distributed Map's concurrency when
	// MaxConcurrency is 0: 10,000.
	maxDistributedConcurrency = 10000
)

// lockedRand makes a rand.Source safe for concurrent use.
type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func newLockedRand(src rand.Source) *lockedRand {
	if src == nil {
		src = rand.NewPCG(1, 1)
	}
	return &lockedRand{r: rand.New(src)}
}

// int64n returns a number in [0, n).
func (l *lockedRand) int64n(n int64) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Int64N(n)
}

// float64 returns a number in [0, 1).
func (l *lockedRand) float64() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Float64()
}

// uuid returns a random (version 4) UUID.
func (l *lockedRand) uuid() string {
	l.mu.Lock()
	a, b := l.r.Uint64(), l.r.Uint64()
	l.mu.Unlock()
	return formatUUID(a, b)
}

func formatUUID(a, b uint64) string {
	var u [16]byte
	for i := 0; i < 8; i++ {
		u[i] = byte(a >> (56 - 8*i))
		u[8+i] = byte(b >> (56 - 8*i))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	const hexd = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hexd[c>>4], hexd[c&0xf])
	}
	return string(out)
}
