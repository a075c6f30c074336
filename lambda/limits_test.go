package lambda

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func createErr(s *Service, in *CreateFunctionInput) error {
	if in.Handler == nil {
		in.Handler = Handler(echo)
	}
	_, err := s.CreateFunction(context.Background(), in)
	return err
}

func TestLimits_Defaults(t *testing.T) {
	l := DefaultLimits()
	for _, tc := range []struct {
		name      string
		got, want int64
	}{
		{"ConcurrentExecutions", int64(l.ConcurrentExecutions), 1000},
		{"MinUnreservedConcurrency", int64(l.MinUnreservedConcurrency), 100},
		{"ScalingRate", int64(l.ScalingRate), 1000},
		{"ScalingPeriod s", int64(l.ScalingPeriod.Seconds()), 10},
		{"MinMemoryMB", int64(l.MinMemoryMB), 128},
		{"MaxMemoryMB", int64(l.MaxMemoryMB), 10240},
		{"MemoryPerVCPU", int64(l.MemoryPerVCPU), 1769},
		{"MaxTimeout s", int64(l.MaxTimeout.Seconds()), 900},
		{"MaxEnvironmentSize", int64(l.MaxEnvironmentSize), 4096},
		{"MinEphemeralStorageMB", int64(l.MinEphemeralStorageMB), 512},
		{"MaxEphemeralStorageMB", int64(l.MaxEphemeralStorageMB), 10240},
		{"MaxZippedPackageSize", l.MaxZippedPackageSize, 52428800},
		{"MaxUnzippedPackageSize", l.MaxUnzippedPackageSize, 262144000},
		{"MaxImageSize", l.MaxImageSize, 10737418240},
		{"CodeStorage", l.CodeStorage, 80530636800},
		{"MaxSyncPayload", int64(l.MaxSyncPayload), 6291456},
		{"MaxResponsePayload", int64(l.MaxResponsePayload), 6291556},
		{"MaxAsyncPayload", int64(l.MaxAsyncPayload), 1048576},
		{"MaxStreamedResponse", l.MaxStreamedResponse, 209715200},
		{"MaxClientContext", int64(l.MaxClientContext), 3583},
		{"LogTailSize", int64(l.LogTailSize), 4096},
		{"MaxRetryAttempts", int64(l.MaxRetryAttempts), 2},
		{"MinEventAge s", int64(l.MinEventAge.Seconds()), 60},
		{"MaxEventAge s", int64(l.MaxEventAge.Seconds()), 21600},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %d, want %d", tc.name, tc.got, tc.want)
		}
	}
}

func TestLimits_OverridesKeepOtherDefaults(t *testing.T) {
	s, _ := newTestService(t, Options{Limits: Limits{ConcurrentExecutions: 50, MaxMemoryMB: 3008}})
	l := s.Limits()
	if l.ConcurrentExecutions != 50 || l.MaxMemoryMB != 3008 || l.MaxTimeout.Seconds() != 900 {
		t.Fatalf("limits = %+v", l)
	}
	if err := createErr(s, &CreateFunctionInput{FunctionName: "f", MemorySize: 3009}); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("memory over an overridden maximum: %v", err)
	}
}

// TestLimits_FunctionConfigurationQuotas checks every configuration quota
// at its edges: the last value in range is accepted, the first out of range
// refused with a LimitError naming the quota.
func TestLimits_FunctionConfigurationQuotas(t *testing.T) {
	s, _ := newTestService(t, Options{})
	env := func(size int) *Environment {
		// {"K":"vvv…"} is 8 bytes of JSON around the value
		return &Environment{Variables: map[string]string{"K1": strings.Repeat("v", size-9)}}
	}
	for _, tc := range []struct {
		name  string
		in    CreateFunctionInput
		limit string // "" means accepted
		code  *Error
	}{
		{"memory min", CreateFunctionInput{MemorySize: 128}, "", nil},
		{"memory below min", CreateFunctionInput{MemorySize: 127}, "MemorySize", ErrInvalidParameterValue},
		{"memory max", CreateFunctionInput{MemorySize: 10240}, "", nil},
		{"memory over max", CreateFunctionInput{MemorySize: 10241}, "MemorySize", ErrInvalidParameterValue},
		{"memory 1 MB steps", CreateFunctionInput{MemorySize: 1769}, "", nil},
		{"timeout 1 s", CreateFunctionInput{Timeout: 1}, "", nil},
		{"timeout negative", CreateFunctionInput{Timeout: -1}, "Timeout", ErrInvalidParameterValue},
		{"timeout 900 s", CreateFunctionInput{Timeout: 900}, "", nil},
		{"timeout 901 s", CreateFunctionInput{Timeout: 901}, "Timeout", ErrInvalidParameterValue},
		{"tmp 512", CreateFunctionInput{EphemeralStorage: &EphemeralStorage{Size: 512}}, "", nil},
		{"tmp 511", CreateFunctionInput{EphemeralStorage: &EphemeralStorage{Size: 511}}, "EphemeralStorage", ErrInvalidParameterValue},
		{"tmp 10240", CreateFunctionInput{EphemeralStorage: &EphemeralStorage{Size: 10240}}, "", nil},
		{"tmp 10241", CreateFunctionInput{EphemeralStorage: &EphemeralStorage{Size: 10241}}, "EphemeralStorage", ErrInvalidParameterValue},
		{"env 4096 bytes", CreateFunctionInput{Environment: env(4096)}, "", nil},
		{"env 4097 bytes", CreateFunctionInput{Environment: env(4097)}, "Environment", ErrInvalidParameterValue},
		{"description 256", CreateFunctionInput{Description: strings.Repeat("d", 256)}, "", nil},
		{"description 257", CreateFunctionInput{Description: strings.Repeat("d", 257)}, "Description", ErrInvalidParameterValue},
		{"zip 50 MB declared", CreateFunctionInput{Code: &FunctionCode{ZipSize: 50 << 20}}, "", nil},
		{"zip over 50 MB direct", CreateFunctionInput{Code: &FunctionCode{ZipSize: 50<<20 + 1}}, "ZipFile", ErrRequestTooLarge},
		{"zip over 50 MB via S3", CreateFunctionInput{Code: &FunctionCode{S3Bucket: "b", S3Key: "k", ZipSize: 60 << 20, UnzippedSize: 100 << 20}}, "", nil},
		{"unzipped 250 MB", CreateFunctionInput{Code: &FunctionCode{UnzippedSize: 250 << 20}}, "", nil},
		{"unzipped over 250 MB", CreateFunctionInput{Code: &FunctionCode{UnzippedSize: 250<<20 + 1}}, "UnzippedSize", ErrInvalidParameterValue},
		{"image 10 GB", CreateFunctionInput{PackageType: PackageTypeImage, Code: &FunctionCode{ImageUri: "r/i:1", ImageSize: 10 << 30}}, "", nil},
		{"image over 10 GB", CreateFunctionInput{PackageType: PackageTypeImage, Code: &FunctionCode{ImageUri: "r/i:1", ImageSize: 10<<30 + 1}}, "ImageSize", ErrInvalidParameterValue},
	} {
		in := tc.in
		in.FunctionName = "f" + strings.NewReplacer(" ", "-").Replace(tc.name)
		err := createErr(s, &in)
		if tc.limit == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if !errors.Is(err, tc.code) {
			t.Errorf("%s: err = %v, want %s", tc.name, err, tc.code.Code)
			continue
		}
		var le *LimitError
		if !errors.As(err, &le) || le.Limit != tc.limit {
			t.Errorf("%s: LimitError = %+v, want limit %s", tc.name, le, tc.limit)
			continue
		}
		if !strings.Contains(err.Error(), formatInt(le.Value)) || !strings.Contains(err.Error(), tc.limit) {
			t.Errorf("%s: message %q does not name the limit and the value", tc.name, err)
		}
	}
}

func TestLimits_ZipFileSizesAreRead(t *testing.T) {
	s, _ := newTestService(t, Options{Limits: Limits{MaxUnzippedPackageSize: 1000}})
	mk := func(n int) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create("bootstrap")
		w.Write(bytes.Repeat([]byte{'a'}, n))
		zw.Close()
		return b.Bytes()
	}
	if err := createErr(s, &CreateFunctionInput{FunctionName: "small", Code: &FunctionCode{ZipFile: mk(1000)}}); err != nil {
		t.Fatal(err)
	}
	err := createErr(s, &CreateFunctionInput{FunctionName: "big", Code: &FunctionCode{ZipFile: mk(1001)}})
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != "UnzippedSize" || le.Value != 1001 {
		t.Fatalf("err = %v", err)
	}
	err = createErr(s, &CreateFunctionInput{FunctionName: "junk", Code: &FunctionCode{ZipFile: []byte("not a zip")}})
	if !errors.Is(err, ErrInvalidParameterValue) || !strings.Contains(err.Error(), "Could not unzip") {
		t.Fatalf("err = %v", err)
	}
	out, _ := s.GetFunction(context.Background(), &GetFunctionInput{FunctionName: "small"})
	if out.Configuration.CodeSize != int64(len(mk(1000))) || out.Configuration.CodeSha256 == "" {
		t.Fatalf("config = %+v", out.Configuration)
	}
}

func TestLimits_CodeStorageCountsEveryVersion(t *testing.T) {
	s, _ := newTestService(t, Options{Limits: Limits{CodeStorage: 250}})
	if err := createErr(s, &CreateFunctionInput{FunctionName: "a", Code: &FunctionCode{ZipSize: 100}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "a"}); err != nil {
		t.Fatal(err)
	}
	err := createErr(s, &CreateFunctionInput{FunctionName: "b", Code: &FunctionCode{ZipSize: 51}})
	var le *LimitError
	if !errors.Is(err, ErrCodeStorageExceeded) || !errors.As(err, &le) || le.Value != 251 || le.Max != 250 {
		t.Fatalf("err = %v", err)
	}
	settings, _ := s.GetAccountSettings(context.Background())
	if settings.AccountUsage.TotalCodeSize != 200 || settings.AccountUsage.FunctionCount != 1 {
		t.Fatalf("usage = %+v", settings.AccountUsage)
	}
}

func TestLimits_EnvironmentVariablesRules(t *testing.T) {
	s, _ := newTestService(t, Options{})
	err := createErr(s, &CreateFunctionInput{FunctionName: "r", Environment: &Environment{Variables: map[string]string{"AWS_REGION": "x", "OK": "1"}}})
	if !errors.Is(err, ErrInvalidParameterValue) || !strings.Contains(err.Error(), "reserved keys") || !strings.Contains(err.Error(), "AWS_REGION") {
		t.Fatalf("reserved key: %v", err)
	}
	err = createErr(s, &CreateFunctionInput{FunctionName: "k", Environment: &Environment{Variables: map[string]string{"1BAD": "x"}}})
	if !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("bad key: %v", err)
	}
}

func TestLimits_PayloadQuotas(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(json.RawMessage) error { return nil })})
	str := func(n int) []byte { return []byte(`"` + strings.Repeat("p", n-2) + `"`) }
	for _, tc := range []struct {
		name string
		typ  string
		size int
		ok   bool
	}{
		{"sync 6 MB", InvocationTypeRequestResponse, 6 << 20, true},
		{"sync over 6 MB", InvocationTypeRequestResponse, 6<<20 + 1, false},
		{"async 1 MB", InvocationTypeEvent, 1 << 20, true},
		{"async over 1 MB", InvocationTypeEvent, 1<<20 + 1, false},
	} {
		_, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f", InvocationType: tc.typ, Payload: str(tc.size)})
		if tc.ok != (err == nil) {
			t.Errorf("%s: err = %v", tc.name, err)
			continue
		}
		if !tc.ok {
			var le *LimitError
			var e *Error
			if !errors.As(err, &e) || e.Code != "RequestTooLargeException" || e.StatusCode != 413 || !errors.As(err, &le) || le.Value != int64(tc.size) {
				t.Errorf("%s: err = %#v", tc.name, err)
			}
		}
	}
	s.WaitAsync(context.Background())
}

func TestLimits_ClientContextQuota(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	_, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f", ClientContext: strings.Repeat("A", 3584)})
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != "ClientContext" || le.Max != 3583 {
		t.Fatalf("err = %v", err)
	}
}

func TestLimits_AsyncConfigurationQuotas(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	ip := func(v int) *int { return &v }
	for _, tc := range []struct {
		name       string
		retries    *int
		age        *int
		wantLimit  string
		wantReject bool
	}{
		{"retries 0", ip(0), nil, "", false},
		{"retries 2", ip(2), nil, "", false},
		{"retries 3", ip(3), nil, "MaximumRetryAttempts", true},
		{"retries -1", ip(-1), nil, "MaximumRetryAttempts", true},
		{"age 60", nil, ip(60), "", false},
		{"age 59", nil, ip(59), "MaximumEventAgeInSeconds", true},
		{"age 21600", nil, ip(21600), "", false},
		{"age 21601", nil, ip(21601), "MaximumEventAgeInSeconds", true},
	} {
		_, err := s.PutFunctionEventInvokeConfig(context.Background(), &FunctionEventInvokeConfigInput{FunctionName: "f", MaximumRetryAttempts: tc.retries, MaximumEventAgeInSeconds: tc.age})
		if !tc.wantReject {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var le *LimitError
		if !errors.Is(err, ErrInvalidParameterValue) || !errors.As(err, &le) || le.Limit != tc.wantLimit {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}

func TestLimits_VCPUShareGrowsWithMemory(t *testing.T) {
	l := DefaultLimits()
	for _, tc := range []struct {
		mb   int
		want float64
	}{{128, 128.0 / 1769}, {1769, 1}, {3538, 2}, {10239, 10239.0 / 1769}, {10240, 6}, {20000, 6}} {
		if got := l.VCPUs(tc.mb); got != tc.want {
			t.Errorf("VCPUs(%d) = %v, want %v", tc.mb, got, tc.want)
		}
	}
}
