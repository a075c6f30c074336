package lambda

import (
	"strconv"
	"time"
)

// Limits holds Lambda's quotas. A zero field means AWS's default, given in
// its comment; set a field to simulate an account with a raised (or
// lowered) quota. Unless a comment names another page, the source is
// "Lambda quotas" in the AWS Lambda Developer Guide
// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
type Limits struct {
	// ConcurrentExecutions is the account's concurrency in the Region:
	// 1,000 (adjustable; new accounts may start lower).
	ConcurrentExecutions int
	// MinUnreservedConcurrency is the part of ConcurrentExecutions that
	// reservations and provisioned concurrency can never take: 100. Source:
	// "Configuring reserved concurrency" in the Developer Guide.
	MinUnreservedConcurrency int
	// ScalingRate is how many new execution environments a function may
	// create per ScalingPeriod: 1,000. Source: "Lambda scaling behavior"
	// in the Developer Guide.
	ScalingRate int
	// ScalingPeriod is the window of ScalingRate: 10 seconds.
	ScalingPeriod time.Duration

	// MinMemoryMB is the smallest memory size: 128 MB.
	MinMemoryMB int
	// MaxMemoryMB is the largest memory size: 10,240 MB (in 1 MB steps).
	MaxMemoryMB int
	// MemoryPerVCPU is the memory at which a function has one full vCPU:
	// 1,769 MB; CPU share grows linearly with memory up to 6 vCPUs at
	// 10,240 MB. Source: "Configuring Lambda function memory".
	MemoryPerVCPU int
	// MaxTimeout is the longest function timeout: 900 seconds (15
	// minutes). The shortest is 1 second.
	MaxTimeout time.Duration
	// MaxEnvironmentSize is the size of all environment variables together,
	// measured as their JSON: 4 KB (4,096 bytes).
	MaxEnvironmentSize int
	// MinEphemeralStorageMB is the smallest /tmp: 512 MB.
	MinEphemeralStorageMB int
	// MaxEphemeralStorageMB is the largest /tmp: 10,240 MB.
	MaxEphemeralStorageMB int
	// MaxDescription is the length of a function description: 256
	// characters. Source: CreateFunction in the Lambda API Reference.
	MaxDescription int

	// MaxZippedPackageSize is a .zip uploaded directly with the API: 50 MB
	// (52,428,800 bytes). Larger archives go through Amazon S3.
	MaxZippedPackageSize int64
	// MaxUnzippedPackageSize is a .zip once extracted, layers included:
	// 250 MB (262,144,000 bytes).
	MaxUnzippedPackageSize int64
	// MaxImageSize is a container image, uncompressed, all layers: 10 GB
	// (10,737,418,240 bytes).
	MaxImageSize int64
	// CodeStorage is the account's storage for .zip packages of all
	// functions and versions: 75 GB (80,530,636,800 bytes).
	CodeStorage int64

	// MaxSyncPayload is the request payload of a synchronous invocation:
	// 6 MB (6,291,456 bytes).
	MaxSyncPayload int
	// MaxResponsePayload is the response of a synchronous invocation:
	// 6 MB; Lambda's check lets 6,291,556 bytes through.
	MaxResponsePayload int
	// MaxAsyncPayload is the payload of an asynchronous (Event)
	// invocation: 1 MB (1,048,576 bytes), raised from 256 KB in 2025.
	MaxAsyncPayload int
	// MaxStreamedResponse is the response of InvokeWithResponseStream:
	// 200 MB (209,715,200 bytes). Source: "Response streaming".
	MaxStreamedResponse int64
	// MaxClientContext is the base64 ClientContext of Invoke: 3,583 bytes.
	// Source: Invoke in the Lambda API Reference.
	MaxClientContext int
	// LogTailSize is the log returned by LogType Tail: the last 4 KB
	// (4,096 bytes). Source: Invoke in the Lambda API Reference.
	LogTailSize int

	// MaxRetryAttempts is the highest MaximumRetryAttempts of an
	// asynchronous invocation, and its default: 2. Source: "Asynchronous
	// invocation" and PutFunctionEventInvokeConfig.
	MaxRetryAttempts int
	// MinEventAge is the lowest MaximumEventAgeInSeconds: 60 seconds.
	MinEventAge time.Duration
	// MaxEventAge is the highest MaximumEventAgeInSeconds, and its
	// default: 21,600 seconds (6 hours).
	MaxEventAge time.Duration
}

// DefaultLimits returns Lambda's default quotas.
func DefaultLimits() Limits { return Limits{}.withDefaults() }

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def64 := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.ConcurrentExecutions, 1000)
	def(&l.MinUnreservedConcurrency, 100)
	def(&l.ScalingRate, 1000)
	defDur(&l.ScalingPeriod, 10*time.Second)
	def(&l.MinMemoryMB, 128)
	def(&l.MaxMemoryMB, 10240)
	def(&l.MemoryPerVCPU, 1769)
	defDur(&l.MaxTimeout, 900*time.Second)
	def(&l.MaxEnvironmentSize, 4096)
	def(&l.MinEphemeralStorageMB, 512)
	def(&l.MaxEphemeralStorageMB, 10240)
	def(&l.MaxDescription, 256)
	def64(&l.MaxZippedPackageSize, 50<<20)
	def64(&l.MaxUnzippedPackageSize, 250<<20)
	def64(&l.MaxImageSize, 10<<30)
	def64(&l.CodeStorage, 75<<30)
	def(&l.MaxSyncPayload, 6<<20)
	def(&l.MaxResponsePayload, 6<<20+100)
	def(&l.MaxAsyncPayload, 1<<20)
	def64(&l.MaxStreamedResponse, 200<<20)
	def(&l.MaxClientContext, 3583)
	def(&l.LogTailSize, 4096)
	def(&l.MaxRetryAttempts, 2)
	defDur(&l.MinEventAge, 60*time.Second)
	defDur(&l.MaxEventAge, 6*time.Hour)
	return l
}

// VCPUs returns the vCPU share of a function with memoryMB of memory: it
// grows linearly, one full vCPU at MemoryPerVCPU (1,769 MB), and AWS
// documents 6 vCPUs at the maximum memory (10,240 MB), the most a function
// gets.
func (l Limits) VCPUs(memoryMB int) float64 {
	l = l.withDefaults()
	if memoryMB <= 0 {
		return 0
	}
	if memoryMB >= l.MaxMemoryMB {
		return 6
	}
	return min(float64(memoryMB)/float64(l.MemoryPerVCPU), 6)
}

// Function defaults Lambda applies when CreateFunction leaves a field out.
const (
	// DefaultMemoryMB is the memory of a function created without
	// MemorySize: 128 MB.
	DefaultMemoryMB = 128
	// DefaultTimeoutSeconds is the timeout of a function created without
	// Timeout: 3 seconds.
	DefaultTimeoutSeconds = 3
	// DefaultEphemeralStorageMB is the /tmp of a function created without
	// EphemeralStorage: 512 MB.
	DefaultEphemeralStorageMB = 512
)

func formatInt(v int64) string { return strconv.FormatInt(v, 10) }
