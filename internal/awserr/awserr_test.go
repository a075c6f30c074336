package awserr

import (
	"errors"
	"fmt"
	"testing"
)

func TestError_IsMatchesByCode(t *testing.T) {
	sentinel := New("ResourceNotFoundException", 400, "")
	err := sentinel.Newf("Requested resource not found: Table: %s not found", "orders")
	wrapped := fmt.Errorf("loading: %w", err)

	if !errors.Is(wrapped, sentinel) {
		t.Fatalf("errors.Is(%v, sentinel) = false, want true", wrapped)
	}
	if errors.Is(wrapped, New("ValidationException", 400, "")) {
		t.Fatalf("errors.Is matched a different code")
	}
	var e *Error
	if !errors.As(wrapped, &e) {
		t.Fatal("errors.As found no *Error")
	}
	if e.Code != "ResourceNotFoundException" || e.StatusCode != 400 {
		t.Fatalf("got code %q status %d", e.Code, e.StatusCode)
	}
	if got, want := e.Error(), "ResourceNotFoundException: Requested resource not found: Table: orders not found"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	if Code(wrapped) != "ResourceNotFoundException" || Code(errors.New("plain")) != "" {
		t.Fatal("Code did not read the code")
	}
}

func TestError_NewKeepsPercentWithoutArgs(t *testing.T) {
	e := New("ValidationException", 400, "").New("100% sure")
	if e.Message != "100% sure" {
		t.Fatalf("message = %q", e.Message)
	}
}

func TestError_UnwrapCause(t *testing.T) {
	cause := errors.New("disk full")
	e := &Error{Code: "InternalServerError", StatusCode: 500, Err: cause}
	if !errors.Is(e, cause) {
		t.Fatal("cause not reachable through Unwrap")
	}
}
