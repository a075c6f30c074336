package lambda

import (
	"fmt"
	"strings"
	"time"
)

// Workload describes a job to run, for [Check] to say whether Lambda can
// run it. Zero fields are not checked.
type Workload struct {
	// MemoryMB is the memory the job needs.
	MemoryMB int
	// Duration is how long one run takes.
	Duration time.Duration
	// PackageSize is the .zip deployment package, in bytes.
	PackageSize int64
	// UnzippedSize is the package once extracted, in bytes.
	UnzippedSize int64
	// ImageSize is a container image, uncompressed, in bytes.
	ImageSize int64
	// FileSize is the largest file the job must hold on disk at once, in
	// bytes.
	FileSize int64
	// RequestPayload and ResponsePayload are the event and the response,
	// in bytes.
	RequestPayload  int64
	ResponsePayload int64
	// Async says the job is invoked asynchronously (1 MB payloads).
	Async bool
	// Concurrency is how many runs happen at once.
	Concurrency int
}

// Fit is Check's answer.
type Fit struct {
	// Fits is true when the workload breaks no quota.
	Fits bool
	// Violations names each broken quota, the value and the limit.
	Violations []*LimitError
	// VCPUs is the CPU share at the workload's memory (capped at the
	// maximum memory): one vCPU per 1,769 MB, up to 6.
	VCPUs float64
	// Notes say where things go and what to configure.
	Notes []string
	// Alternatives are the AWS services suggested for what does not fit.
	Alternatives []string
}

// Check answers, with Lambda's default quotas, whether Lambda can run the
// workload, which quotas it breaks, and what to use instead.
func Check(w Workload) Fit { return DefaultLimits().Check(w) }

// Check answers, with these quotas, whether Lambda can run the workload.
func (l Limits) Check(w Workload) Fit {
	l = l.withDefaults()
	var f Fit
	violate := func(le *LimitError) { f.Violations = append(f.Violations, le) }
	note := func(format string, args ...any) { f.Notes = append(f.Notes, fmt.Sprintf(format, args...)) }
	tooBigOrLong := false

	mem := w.MemoryMB
	switch {
	case mem > l.MaxMemoryMB:
		violate(&LimitError{Limit: "MemorySize", Value: int64(mem), Min: int64(l.MinMemoryMB), Max: int64(l.MaxMemoryMB), Unit: "MB"})
		tooBigOrLong = true
		f.VCPUs = l.VCPUs(l.MaxMemoryMB)
	case mem > 0:
		f.VCPUs = l.VCPUs(max(mem, l.MinMemoryMB))
		note("MemorySize %d MB gives %.2f vCPU (one full vCPU at %d MB)", max(mem, l.MinMemoryMB), f.VCPUs, l.MemoryPerVCPU)
	}
	if maxD := l.MaxTimeout; w.Duration > maxD {
		violate(&LimitError{Limit: "Timeout", Value: int64((w.Duration + time.Second - 1) / time.Second), Min: 1, Max: int64(maxD / time.Second), Unit: "seconds"})
		tooBigOrLong = true
	}

	if w.PackageSize > l.MaxZippedPackageSize {
		note("a %s .zip is over the %s direct-upload quota: upload it through Amazon S3", bytesText(w.PackageSize), bytesText(l.MaxZippedPackageSize))
	}
	if w.UnzippedSize > l.MaxUnzippedPackageSize {
		if w.UnzippedSize <= l.MaxImageSize {
			note("a package of %s unzipped is over the %s .zip quota: ship it as a container image (up to %s)", bytesText(w.UnzippedSize), bytesText(l.MaxUnzippedPackageSize), bytesText(l.MaxImageSize))
		} else {
			violate(&LimitError{Limit: "UnzippedSize", Value: w.UnzippedSize, Max: l.MaxUnzippedPackageSize, Unit: "bytes"})
		}
	}
	if w.ImageSize > l.MaxImageSize {
		violate(&LimitError{Limit: "ImageSize", Value: w.ImageSize, Max: l.MaxImageSize, Unit: "bytes"})
	}

	if fs := w.FileSize; fs > 0 {
		room := l.MaxUnzippedPackageSize - w.UnzippedSize
		if fs <= room {
			note("a %s file fits in the .zip package (%s unzipped in all)", bytesText(fs), bytesText(l.MaxUnzippedPackageSize))
		} else {
			note("a %s file cannot go in the deployment package (%s unzipped, including code and layers)", bytesText(fs), bytesText(l.MaxUnzippedPackageSize))
		}
		maxTmp := int64(l.MaxEphemeralStorageMB) << 20
		if fs <= maxTmp {
			need := int((fs + 1<<20 - 1) >> 20)
			need = max(need, l.MinEphemeralStorageMB)
			note("it fits in /tmp: set EphemeralStorage to at least %d MB (up to %d MB) and download it from Amazon S3 in the function", need, l.MaxEphemeralStorageMB)
		} else {
			violate(&LimitError{Limit: "EphemeralStorage", Value: (fs + 1<<20 - 1) >> 20, Min: int64(l.MinEphemeralStorageMB), Max: int64(l.MaxEphemeralStorageMB), Unit: "MB"})
			note("a %s file is over /tmp's %d MB: mount Amazon EFS or stream it from Amazon S3", bytesText(fs), l.MaxEphemeralStorageMB)
		}
	}

	reqMax, what := int64(l.MaxSyncPayload), "synchronous"
	if w.Async {
		reqMax, what = int64(l.MaxAsyncPayload), "asynchronous"
	}
	if w.RequestPayload > reqMax {
		violate(&LimitError{Limit: "Payload", Value: w.RequestPayload, Max: reqMax, Unit: "bytes"})
		note("a %s event is over the %s %s payload quota: put the data in Amazon S3 and pass its key", bytesText(w.RequestPayload), bytesText(reqMax), what)
	}
	if w.ResponsePayload > int64(l.MaxResponsePayload) {
		if w.ResponsePayload <= l.MaxStreamedResponse && !w.Async {
			note("a %s response is over the 6 MB buffered quota: stream it with InvokeWithResponseStream (up to %s)", bytesText(w.ResponsePayload), bytesText(l.MaxStreamedResponse))
		} else {
			violate(&LimitError{Limit: "ResponsePayload", Value: w.ResponsePayload, Max: l.MaxStreamedResponse, Unit: "bytes"})
		}
	}
	if w.Concurrency > l.ConcurrentExecutions {
		violate(&LimitError{Limit: "ConcurrentExecutions", Value: int64(w.Concurrency), Max: int64(l.ConcurrentExecutions)})
		note("concurrency over %d needs a quota increase (the quota is adjustable)", l.ConcurrentExecutions)
	}

	if tooBigOrLong {
		f.Alternatives = append(f.Alternatives, "Amazon ECS on AWS Fargate: up to 16 vCPU and 120 GB of memory per task, no run-time limit, up to 200 GiB of ephemeral storage")
	}
	for _, v := range f.Violations {
		if v.Limit == "Timeout" {
			f.Alternatives = append(f.Alternatives, "AWS Step Functions: split the job into steps of at most 15 minutes each")
		}
	}
	f.Fits = len(f.Violations) == 0
	return f
}

// String renders the answer in a few lines.
func (f Fit) String() string {
	var b strings.Builder
	if f.Fits {
		b.WriteString("Lambda fits.")
	} else {
		b.WriteString("Lambda does not fit:")
		for _, v := range f.Violations {
			b.WriteString("\n  - " + v.Error())
		}
	}
	for _, n := range f.Notes {
		b.WriteString("\n  * " + n)
	}
	for _, a := range f.Alternatives {
		b.WriteString("\n  → " + a)
	}
	return b.String()
}

// bytesText writes a size in the largest binary unit that keeps it whole
// or short: 3 GB, 250 MB, 6 MB.
func bytesText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
