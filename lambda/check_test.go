package lambda

import (
	"strings"
	"testing"
	"time"
)

func TestCheck_SeedExample30GB30Minutes3GBFile(t *testing.T) {
	f := Check(Workload{MemoryMB: 30 * 1024, Duration: 30 * time.Minute, FileSize: 3 << 30})
	if f.Fits {
		t.Fatal("Fits = true, want false")
	}
	limits := map[string]*LimitError{}
	for _, v := range f.Violations {
		limits[v.Limit] = v
	}
	if len(limits) != 2 || limits["MemorySize"] == nil || limits["Timeout"] == nil {
		t.Fatalf("violations = %v, want MemorySize and Timeout", f.Violations)
	}
	if m := limits["MemorySize"]; m.Value != 30720 || m.Max != 10240 {
		t.Fatalf("memory violation = %+v", m)
	}
	if d := limits["Timeout"]; d.Value != 1800 || d.Max != 900 {
		t.Fatalf("timeout violation = %+v", d)
	}
	text := f.String()
	for _, want := range []string{
		"Lambda does not fit",
		"MemorySize 30720 MB exceeds the maximum of 10240 MB",
		"Timeout 1800 seconds exceeds the maximum of 900 seconds",
		"3 GB file cannot go in the deployment package",
		"fits in /tmp: set EphemeralStorage to at least 3072 MB (up to 10240 MB)",
		"Fargate",
		"Step Functions",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("answer lacks %q:\n%s", want, text)
		}
	}
	if f.VCPUs != 6 {
		t.Errorf("VCPUs = %v, want 6 (the most Lambda gives)", f.VCPUs)
	}
}

func TestCheck_Answers(t *testing.T) {
	for _, tc := range []struct {
		name       string
		w          Workload
		fits       bool
		violations []string
		note       string
	}{
		{"small api", Workload{MemoryMB: 512, Duration: time.Second, PackageSize: 5 << 20}, true, nil, "0.29 vCPU"},
		{"one vcpu", Workload{MemoryMB: 1769}, true, nil, "1.00 vCPU"},
		{"max", Workload{MemoryMB: 10240, Duration: 15 * time.Minute}, true, nil, ""},
		{"big zip via s3", Workload{PackageSize: 60 << 20, UnzippedSize: 200 << 20}, true, nil, "through Amazon S3"},
		{"big package as image", Workload{UnzippedSize: 1 << 30}, true, nil, "container image"},
		{"image too big", Workload{ImageSize: 11 << 30, UnzippedSize: 11 << 30}, false, []string{"UnzippedSize", "ImageSize"}, ""},
		{"file in package", Workload{FileSize: 10 << 20}, true, nil, "fits in the .zip package"},
		{"file too big for tmp", Workload{FileSize: 11 << 30}, false, []string{"EphemeralStorage"}, "Amazon EFS"},
		{"big event", Workload{RequestPayload: 7 << 20}, false, []string{"Payload"}, "Amazon S3"},
		{"big async event", Workload{RequestPayload: 2 << 20, Async: true}, false, []string{"Payload"}, "asynchronous"},
		{"big response streams", Workload{ResponsePayload: 100 << 20}, true, nil, "InvokeWithResponseStream"},
		{"huge response", Workload{ResponsePayload: 300 << 20}, false, []string{"ResponsePayload"}, ""},
		{"too concurrent", Workload{Concurrency: 5000}, false, []string{"ConcurrentExecutions"}, "quota increase"},
	} {
		f := Check(tc.w)
		if f.Fits != tc.fits {
			t.Errorf("%s: Fits = %v:\n%s", tc.name, f.Fits, f)
		}
		var got []string
		for _, v := range f.Violations {
			got = append(got, v.Limit)
		}
		if strings.Join(got, ",") != strings.Join(tc.violations, ",") {
			t.Errorf("%s: violations %v, want %v", tc.name, got, tc.violations)
		}
		if tc.note != "" && !strings.Contains(f.String(), tc.note) {
			t.Errorf("%s: answer lacks %q:\n%s", tc.name, tc.note, f)
		}
	}
}

func TestCheck_UsesOverriddenLimits(t *testing.T) {
	f := Limits{MaxTimeout: time.Minute}.Check(Workload{Duration: 2 * time.Minute})
	if f.Fits || f.Violations[0].Max != 60 {
		t.Fatalf("fit = %s", f)
	}
}
