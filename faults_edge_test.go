package minicloud_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/edge"
)

// siteDistribution creates a distribution in front of an origin "site"
// that answers 200 "home".
func siteDistribution(t *testing.T, cloud *minicloud.Cloud) *edge.Distribution {
	t.Helper()
	created, err := cloud.Edge.CreateDistribution(context.Background(), &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: "site",
		Origins: []edge.Origin{{Id: "site", Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte("home"))
		})}},
		DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "site"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return created.Distribution
}

func TestFaults_CloudFrontOriginRules(t *testing.T) {
	tests := []struct {
		name   string
		rule   minicloud.Fault
		status int
		body   string
	}{
		{"origin 503", minicloud.Fault{Code: "ServiceUnavailable", Message: "maintenance"}, 503, "maintenance"},
		{"origin 500 by status", minicloud.Fault{Code: "Boom", StatusCode: 500, Message: "boom"}, 500, "boom"},
		{"unreachable origin", minicloud.Fault{Kind: minicloud.FaultCrash}, 502, "CloudFront wasn't able to connect to the origin."},
		{"other origin", minicloud.Fault{Resource: "* api", Code: "ServiceUnavailable"}, 200, "home"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cloud, _ := minicloud.NewTest(t)
			dist := siteDistribution(t, cloud)
			tt.rule.Service, tt.rule.Operation = minicloud.ServiceCloudFront, "Origin"
			if tt.rule.Resource == "" {
				tt.rule.Resource = dist.Id + " site"
			}
			cloud.Faults.Add(tt.rule)
			w := httptest.NewRecorder()
			dist.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
				t.Fatalf("got %d %q, want %d containing %q", w.Code, w.Body, tt.status, tt.body)
			}
		})
	}
}

func TestFaults_CloudFrontOriginTimeoutIs504OnTheClock(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	dist := siteDistribution(t, cloud)
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceCloudFront, Kind: minicloud.FaultTimeout, Times: 1})
	done := make(chan *httptest.ResponseRecorder)
	go func() {
		w := httptest.NewRecorder()
		dist.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
		done <- w
	}()
	if err := clk.BlockUntil(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	clk.Advance(30 * time.Second)
	if w := <-done; w.Code != 504 {
		t.Fatalf("got %d %q, want 504", w.Code, w.Body)
	}
	if inj := cloud.Faults.Injected(); len(inj) != 1 || inj[0].Resource != dist.Id+" site" || inj[0].Operation != "Origin" {
		t.Fatalf("Injected = %+v", inj)
	}
}
