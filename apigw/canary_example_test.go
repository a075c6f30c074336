package apigw_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/minicloud/minicloud/apigw"
)

// A canary release: the stage sends 10% of its requests to the new
// deployment (chosen with the service's seed, so the run is
// reproducible), counts them apart, and the canary is then promoted.
func ExampleAPI_PromoteCanary() {
	gw := apigw.New(apigw.Options{Seed: 1})
	api, _ := gw.CreateAPI(apigw.APIConfig{Name: "prices", Kind: apigw.REST})
	_ = api.Route("GET /price", apigw.Route{Integration: apigw.Mock{StatusCode: 200, Body: "v1"}})
	stage, _ := api.Deploy("prod")

	_ = api.RemoveRoute("GET /price")
	_ = api.Route("GET /price", apigw.Route{Integration: apigw.Mock{StatusCode: 200, Body: "v2"}})
	v2, _ := api.CreateDeployment("new pricing")
	_, _ = api.UpdateStage("prod", func(c *apigw.StageConfig) {
		c.Canary = &apigw.CanarySettings{DeploymentID: v2.ID, PercentTraffic: 10}
	})

	call := func(n int) map[string]int {
		seen := map[string]int{}
		for range n {
			w := httptest.NewRecorder()
			stage.ServeHTTP(w, httptest.NewRequest("GET", "/price", nil))
			seen[w.Body.String()]++
		}
		return seen
	}
	seen := call(1000)
	fmt.Println("served:", seen)
	fmt.Println("stage metrics:", stage.Metrics().Count, "canary metrics:", stage.CanaryMetrics().Count)

	_, _ = api.PromoteCanary("prod")
	fmt.Println("after promotion:", call(100), "canary:", stage.Config().Canary)
	// Output:
	// served: map[v1:883 v2:117]
	// stage metrics: 883 canary metrics: 117
	// after promotion: map[v2:100] canary: <nil>
}
