package apigw_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/clock"
)

// A method that requires an API key, a usage plan with a daily quota of
// two requests, and the quota coming back at midnight UTC.
func ExampleService_CreateUsagePlan() {
	clk := clock.NewManual(time.Date(2026, 3, 10, 22, 0, 0, 0, time.UTC))
	gw := apigw.New(apigw.Options{Clock: clk})
	api, _ := gw.CreateAPI(apigw.APIConfig{Name: "reports", Kind: apigw.REST})
	_ = api.Route("GET /reports/{id}", apigw.Route{
		Integration:    apigw.Mock{Body: "report"},
		APIKeyRequired: true,
	})
	stage, _ := api.Deploy("prod")

	plan, err := gw.CreateUsagePlan(apigw.UsagePlanConfig{
		Name:      "basic",
		APIStages: []apigw.APIStage{{APIID: api.ID(), Stage: "prod"}},
		Throttle:  apigw.Throttle{RateLimit: 10, BurstLimit: 20},
		Quota:     apigw.Quota{Limit: 2, Period: apigw.QuotaDay},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	key, _ := gw.CreateAPIKey(apigw.APIKeyConfig{Name: "alice", Value: "alice-0123456789abcdef", Enabled: true})
	if _, err := gw.CreateUsagePlanKey(plan.ID, key.ID); err != nil {
		fmt.Println(err)
		return
	}

	call := func(apiKey string) {
		r := httptest.NewRequest(http.MethodGet, "/reports/7", nil)
		if apiKey != "" {
			r.Header.Set("x-api-key", apiKey)
		}
		w := httptest.NewRecorder()
		stage.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Body.String())
	}
	call("")
	call(key.Value)
	call(key.Value)
	call(key.Value)
	clk.Advance(2 * time.Hour) // past midnight UTC: a new day
	call(key.Value)

	usage, _ := gw.GetUsage(apigw.GetUsageInput{UsagePlanID: plan.ID, StartDate: clk.Now().AddDate(0, 0, -1), EndDate: clk.Now()})
	fmt.Println(usage.StartDate, usage.EndDate, usage.Items[key.ID])
	// Output:
	// 403 {"message": "Forbidden"}
	// 200 report
	// 200 report
	// 429 {"message": "Limit Exceeded"}
	// 200 report
	// 2026-03-10 2026-03-11 [[2 0] [1 1]]
}
