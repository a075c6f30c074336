package edge

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

func TestFaults_HookBreaksTheOrigin(t *testing.T) {
	tests := []struct {
		name   string
		fault  Fault
		status int
		called bool
	}{
		{"none", Fault{}, 200, true},
		{"unreachable", Fault{Unreachable: true}, 502, false},
		{"status", Fault{StatusCode: 503, Body: []byte("busy")}, 503, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotDist, gotOrigin string
			s := New(Options{Clock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)),
				Faults: func(_ context.Context, d, o string) Fault { gotDist, gotOrigin = d, o; return tt.fault }})
			t.Cleanup(func() { s.Close() })
			called := false
			out, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
				CallerReference: "x",
				Origins: []Origin{{Id: "o1", Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					called = true
					w.Write([]byte("ok"))
				})}},
				DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o1"},
			}})
			if err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			out.Distribution.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
			if w.Code != tt.status || called != tt.called {
				t.Fatalf("got %d %q (origin called %v), want %d (%v)", w.Code, w.Body, called, tt.status, tt.called)
			}
			if gotDist != out.Distribution.Id || gotOrigin != "o1" {
				t.Fatalf("hook saw %q %q", gotDist, gotOrigin)
			}
		})
	}
}
