package lambda

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestErrors_Texts(t *testing.T) {
	if got := (&ThrottleError{Reason: "X"}).Error(); got != "throttled: X" {
		t.Errorf("ThrottleError = %q", got)
	}
	if got := (&FunctionError{ErrorMessage: "m"}).Error(); got != "m" {
		t.Errorf("FunctionError without type = %q", got)
	}
	if got := (&LimitError{Limit: "MemorySize", Value: 64, Min: 128, Max: 10240, Unit: "MB"}).Error(); got != "MemorySize 64 MB is below the minimum of 128 MB" {
		t.Errorf("LimitError = %q", got)
	}
	if ThrottleReason(errors.New("x")) != "" {
		t.Error("ThrottleReason of a plain error")
	}
	fe := parseFunctionError("Unhandled", []byte("not json"))
	if fe.ErrorMessage != "not json" {
		t.Errorf("parseFunctionError = %+v", fe)
	}
}

func TestService_IdentityAndBillText(t *testing.T) {
	s, _ := newTestService(t, Options{Region: "eu-central-1", AccountID: "111122223333"})
	if s.Region() != "eu-central-1" || s.AccountID() != "111122223333" {
		t.Fatal("region or account")
	}
	b := DefaultPrices().Estimate(Usage{Requests: 2_000_000, X86GBSeconds: 500_000, EphemeralGBSeconds: 10})
	if got := b.String(); !strings.Contains(got, "2000000 requests (1000000 free): $0.200000") || !strings.Contains(got, "/tmp") || !strings.Contains(got, "total $") {
		t.Errorf("bill = %s", got)
	}
	for n, want := range map[int64]string{512: "512 bytes", 2048: "2 KB", 3 << 20: "3 MB", 3<<20 + 1<<19: "3.5 MB", 2 << 30: "2 GB", 5<<29 + 1: "2.5 GB"} {
		if got := bytesText(n); got != want {
			t.Errorf("bytesText(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestAsync_NonJSONResponseIsQuotedInTheRecord(t *testing.T) {
	s, _ := newTestService(t, Options{})
	dst := &sink{}
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(rawText{})})
	s.PutFunctionEventInvokeConfig(context.Background(), &FunctionEventInvokeConfigInput{FunctionName: "f",
		DestinationConfig: &DestinationConfig{OnSuccess: &OnSuccess{Destination: dst}}})
	sendEvent(t, s, `{}`)
	if r := dst.record(t, 0); string(r.ResponsePayload) != `"plain text"` {
		t.Fatalf("responsePayload = %s", r.ResponsePayload)
	}
}

type rawText struct{}

func (rawText) Invoke(context.Context, []byte) ([]byte, error) { return []byte("plain text"), nil }
