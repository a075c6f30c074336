package minicloud_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/apigw"
)

// ordersStage deploys a REST API with GET /orders/{id} answering 200, and
// returns its stage and the API's ID.
func ordersStage(t *testing.T, cloud *minicloud.Cloud) (*apigw.Stage, string) {
	t.Helper()
	api, err := cloud.APIs.CreateAPI(apigw.APIConfig{Name: "orders", Kind: apigw.REST})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /orders/{id}", apigw.Route{Integration: apigw.IntegrationFunc(func(context.Context, *apigw.Request) (*apigw.Response, error) {
		return &apigw.Response{StatusCode: 200, Body: []byte(`{"id":"o-1"}`)}, nil
	})}); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	return st, api.ID()
}

func get(st *apigw.Stage) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	st.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/orders/o-1", nil))
	return w
}

func TestFaults_APIGatewayIntegrationRules(t *testing.T) {
	tests := []struct {
		name   string
		rule   minicloud.Fault
		status int
		body   string
	}{
		{"throttle", minicloud.Fault{Code: "TooManyRequestsException"}, 429, `{"message": "Too Many Requests"}`},
		{"backend 503", minicloud.Fault{Code: "ServiceUnavailable", Message: "down for maintenance"}, 503, `{"message":"down for maintenance"}`},
		{"backend status", minicloud.Fault{Code: "BackendError", StatusCode: 502, Message: "bad gateway"}, 502, `{"message":"bad gateway"}`},
		{"integration fails to run", minicloud.Fault{Kind: minicloud.FaultCrash}, 500, `{"message": "Internal server error"}`},
		{"rule aimed at another route", minicloud.Fault{Resource: "* POST /orders", Code: "TooManyRequestsException"}, 200, `{"id":"o-1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cloud, _ := minicloud.NewTest(t)
			st, id := ordersStage(t, cloud)
			tt.rule.Service, tt.rule.Operation = minicloud.ServiceAPIGateway, "Integration"
			if tt.rule.Resource == "" {
				tt.rule.Resource = id + " GET /orders/{id}"
			}
			tt.rule.Times = 1
			cloud.Faults.Add(tt.rule)
			if w := get(st); w.Code != tt.status || w.Body.String() != tt.body {
				t.Fatalf("got %d %s, want %d %s", w.Code, w.Body, tt.status, tt.body)
			}
			if w := get(st); w.Code != 200 {
				t.Fatalf("the next request: %d %s", w.Code, w.Body)
			}
		})
	}
}

func TestFaults_APIGatewayIntegrationTimeoutAnswers504OnTheClock(t *testing.T) {
	for _, rule := range []minicloud.Fault{
		{Service: minicloud.ServiceAPIGateway, Kind: minicloud.FaultTimeout},
		{Service: minicloud.ServiceAPIGateway, Latency: time.Minute},
	} {
		cloud, clk := minicloud.NewTest(t)
		st, _ := ordersStage(t, cloud)
		cloud.Faults.Add(rule)
		done := make(chan *httptest.ResponseRecorder)
		go func() { done <- get(st) }()
		if err := clk.BlockUntil(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		clk.Advance(29 * time.Second)
		if w := <-done; w.Code != 504 || w.Body.String() != `{"message": "Endpoint request timed out"}` {
			t.Fatalf("%+v: got %d %s", rule, w.Code, w.Body)
		}
	}
}
