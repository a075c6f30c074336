package lambda

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestFunction_CreateAppliesDefaults(t *testing.T) {
	s, _ := newTestService(t, Options{})
	out, err := s.CreateFunction(context.Background(), &CreateFunctionInput{FunctionName: "orders", Handler: Handler(echo)})
	if err != nil {
		t.Fatal(err)
	}
	c := out.FunctionConfiguration
	if c.FunctionArn != "arn:aws:lambda:us-east-1:123456789012:function:orders" || c.Runtime != "provided.al2023" ||
		c.MemorySize != 128 || c.Timeout != 3 || c.EphemeralStorage.Size != 512 || c.Architectures[0] != "x86_64" ||
		c.PackageType != "Zip" || c.Version != "$LATEST" || c.State != "Active" || c.LastUpdateStatus != "Successful" ||
		c.Role != "arn:aws:iam::123456789012:role/minicloud-lambda-role" || c.LastModified != "2025-01-01T00:00:00.000+0000" ||
		!strings.HasSuffix(c.Handler, "lambda.echo") || c.RevisionId == "" || c.CodeSha256 == "" {
		t.Fatalf("config = %+v", c)
	}
	if out.Function.Name() != "orders" {
		t.Fatalf("handle = %q", out.Function.Name())
	}
	if _, err := s.CreateFunction(context.Background(), &CreateFunctionInput{FunctionName: "orders", Handler: Handler(echo)}); !errors.Is(err, ErrResourceConflict) || !strings.Contains(err.Error(), "Function already exist: orders") {
		t.Fatalf("duplicate: %v", err)
	}
}

func TestFunction_CreateValidates(t *testing.T) {
	s, _ := newTestService(t, Options{})
	for _, tc := range []struct {
		name string
		in   CreateFunctionInput
		want string
	}{
		{"name with space", CreateFunctionInput{FunctionName: "a b"}, "functionName"},
		{"name too long", CreateFunctionInput{FunctionName: strings.Repeat("a", 65)}, "functionName"},
		{"deprecated runtime", CreateFunctionInput{FunctionName: "f", Runtime: "go1.x"}, "go1.x is no longer supported"},
		{"unknown runtime", CreateFunctionInput{FunctionName: "f", Runtime: "cobol"}, "enum value set"},
		{"bad role", CreateFunctionInput{FunctionName: "f", Role: "admin"}, "'role'"},
		{"two architectures", CreateFunctionInput{FunctionName: "f", Architectures: []string{"x86_64", "arm64"}}, "exactly one"},
		{"unknown architecture", CreateFunctionInput{FunctionName: "f", Architectures: []string{"riscv"}}, "x86_64, arm64"},
		{"unknown package type", CreateFunctionInput{FunctionName: "f", PackageType: "Tar"}, "packageType"},
		{"image without uri", CreateFunctionInput{FunctionName: "f", PackageType: "Image"}, "ImageUri is required"},
		{"uri for zip", CreateFunctionInput{FunctionName: "f", Code: &FunctionCode{ImageUri: "x"}}, "only valid"},
	} {
		err := createErr(s, &tc.in)
		if !errors.Is(err, ErrInvalidParameterValue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	if err := createErr(s, &CreateFunctionInput{FunctionName: "arm", Architectures: []string{"arm64"}, Runtime: "provided.al2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateFunction(context.Background(), nil); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatal(err)
	}
}

func TestFunction_UpdateConfiguration(t *testing.T) {
	s, c := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo), Description: "old"})
	before, _ := s.GetFunctionConfiguration(context.Background(), &GetFunctionInput{FunctionName: "f"})
	c.Advance(time.Hour)
	desc := "new"
	cfg, err := s.UpdateFunctionConfiguration(context.Background(), &UpdateFunctionConfigurationInput{
		FunctionName: "f", MemorySize: 1024, Timeout: 30, Description: &desc, RevisionId: before.RevisionId,
		EphemeralStorage: &EphemeralStorage{Size: 2048}, Runtime: "provided.al2",
		Role: "arn:aws:iam::123456789012:role/other",
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MemorySize != 1024 || cfg.Timeout != 30 || cfg.Description != "new" || cfg.EphemeralStorage.Size != 2048 ||
		cfg.Runtime != "provided.al2" || cfg.RevisionId == before.RevisionId || cfg.LastModified != "2025-01-01T01:00:00.000+0000" {
		t.Fatalf("cfg = %+v", cfg)
	}
	for _, tc := range []struct {
		name string
		in   UpdateFunctionConfigurationInput
		want *Error
	}{
		{"stale revision", UpdateFunctionConfigurationInput{RevisionId: before.RevisionId}, ErrPreconditionFailed},
		{"memory", UpdateFunctionConfigurationInput{MemorySize: 99999}, ErrInvalidParameterValue},
		{"timeout", UpdateFunctionConfigurationInput{Timeout: 1000}, ErrInvalidParameterValue},
		{"runtime", UpdateFunctionConfigurationInput{Runtime: "go1.x"}, ErrInvalidParameterValue},
		{"role", UpdateFunctionConfigurationInput{Role: "x"}, ErrInvalidParameterValue},
		{"env", UpdateFunctionConfigurationInput{Environment: &Environment{Variables: map[string]string{"_HANDLER": "x"}}}, ErrInvalidParameterValue},
	} {
		in := tc.in
		in.FunctionName = "f"
		if _, err := s.UpdateFunctionConfiguration(context.Background(), &in); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
	if _, err := s.UpdateFunctionConfiguration(context.Background(), &UpdateFunctionConfigurationInput{FunctionName: "nope"}); !errors.Is(err, ErrResourceNotFound) {
		t.Fatal(err)
	}
}

func TestFunction_DeleteAndList(t *testing.T) {
	s, _ := newTestService(t, Options{})
	for _, n := range []string{"c", "a", "b"} {
		mustCreate(t, s, &CreateFunctionInput{FunctionName: n, Handler: Handler(echo), Publish: n == "a"})
	}
	page, err := s.ListFunctions(context.Background(), &ListFunctionsInput{MaxItems: 2})
	if err != nil || len(page.Functions) != 2 || page.Functions[0].FunctionName != "a" || page.NextMarker == "" {
		t.Fatalf("page 1 = %+v, %v", page, err)
	}
	page2, _ := s.ListFunctions(context.Background(), &ListFunctionsInput{MaxItems: 2, Marker: page.NextMarker})
	if len(page2.Functions) != 1 || page2.Functions[0].FunctionName != "c" || page2.NextMarker != "" {
		t.Fatalf("page 2 = %+v", page2)
	}
	all, _ := s.ListFunctions(context.Background(), &ListFunctionsInput{FunctionVersion: "ALL"})
	if len(all.Functions) != 4 {
		t.Fatalf("with versions: %d", len(all.Functions))
	}
	if _, err := s.ListFunctions(context.Background(), &ListFunctionsInput{Marker: "x"}); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatal(err)
	}
	if err := s.DeleteFunction(context.Background(), &DeleteFunctionInput{FunctionName: "a", Qualifier: "$LATEST"}); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("delete $LATEST: %v", err)
	}
	if err := s.DeleteFunction(context.Background(), &DeleteFunctionInput{FunctionName: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetFunction(context.Background(), &GetFunctionInput{FunctionName: "a"}); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := s.DeleteFunction(context.Background(), &DeleteFunctionInput{FunctionName: "a"}); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := s.Function("a").Invoke(context.Background(), nil); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("handle on a deleted function: %v", err)
	}
}

func TestFunction_DeleteReleasesReservation(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "a", Handler: Handler(echo)})
	s.PutFunctionConcurrency(context.Background(), &PutFunctionConcurrencyInput{FunctionName: "a", ReservedConcurrentExecutions: 500})
	s.DeleteFunction(context.Background(), &DeleteFunctionInput{FunctionName: "a"})
	if got := s.AccountMetrics().UnreservedConcurrentExecutions; got != 1000 {
		t.Fatalf("unreserved = %d after deleting the reserving function", got)
	}
}

func TestService_ClosedServiceRefusesCalls(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	s.Close()
	if _, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f"}); !errors.Is(err, ErrService) {
		t.Fatalf("invoke after close: %v", err)
	}
	if err := createErr(s, &CreateFunctionInput{FunctionName: "g"}); !errors.Is(err, ErrService) {
		t.Fatalf("create after close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
