package apigw_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/minicloud/minicloud/apigw"
)

// A private REST API: reachable only through its VPC endpoint (the
// x-amzn-vpce-id header that the endpoint adds), and deployable only with
// a resource policy.
func ExampleEndpointConfiguration_private() {
	gw := apigw.New(apigw.Options{})
	private := apigw.EndpointConfiguration{
		Types:          []apigw.EndpointType{apigw.EndpointPrivate},
		VpcEndpointIds: []string{"vpce-0a1b2c3d"},
	}

	noPolicy, _ := gw.CreateAPI(apigw.APIConfig{Name: "internal", Kind: apigw.REST, EndpointConfiguration: private})
	_ = noPolicy.Route("GET /health", apigw.Route{Integration: apigw.Mock{StatusCode: 200, Body: "ok"}})
	_, err := noPolicy.Deploy("prod")
	fmt.Println(err)

	api, _ := gw.CreateAPI(apigw.APIConfig{
		Name: "internal", Kind: apigw.REST, EndpointConfiguration: private,
		Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
		  "Action":"execute-api:Invoke","Resource":"execute-api:/*",
		  "Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0a1b2c3d"}}}]}`,
	})
	_ = api.Route("GET /health", apigw.Route{Integration: apigw.Mock{StatusCode: 200, Body: "ok"}})
	stage, _ := api.Deploy("prod")

	for _, vpce := range []string{"vpce-0a1b2c3d", "vpce-99999999", ""} {
		r := httptest.NewRequest("GET", "/health", nil)
		if vpce != "" {
			r.Header.Set(apigw.HeaderSourceVpce, vpce)
		}
		w := httptest.NewRecorder()
		stage.ServeHTTP(w, r)
		fmt.Printf("%q: %d %s\n", vpce, w.Code, w.Body)
	}
	// Output:
	// BadRequestException: Private REST API doesn't have a resource policy attached to it
	// "vpce-0a1b2c3d": 200 ok
	// "vpce-99999999": 403 {"message":"Forbidden"}
	// "": 403 {"message":"Forbidden"}
}
