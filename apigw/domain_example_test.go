package apigw_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/minicloud/minicloud/apigw"
)

// A custom domain name in front of two versions of an API: the DNS record
// to create, and base paths /v1 and /v2 served side by side, so v1
// clients keep working after v2 ships.
func ExampleService_CreateDomainName() {
	gw := apigw.New(apigw.Options{Region: "eu-west-1", Seed: 3})

	_, err := gw.CreateDomainName(apigw.DomainNameConfig{
		DomainName:     "api.example.com",
		EndpointType:   apigw.EndpointEdge,
		CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e",
	})
	fmt.Println(err)

	domain, _ := gw.CreateDomainName(apigw.DomainNameConfig{
		DomainName:     "api.example.com",
		EndpointType:   apigw.EndpointRegional,
		CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e",
	})
	fmt.Println("create:", domain.DNSRecord)

	for _, v := range []string{"v1", "v2"} {
		api, _ := gw.CreateAPI(apigw.APIConfig{Name: "shop-" + v, Kind: apigw.REST,
			EndpointConfiguration: apigw.EndpointConfiguration{Types: []apigw.EndpointType{apigw.EndpointRegional}}})
		_ = api.Route("GET /orders/{id}", apigw.Route{Integration: apigw.Mock{StatusCode: 200, Body: "order from " + v}})
		_, _ = api.Deploy("prod")
		_, _ = gw.CreateBasePathMapping(apigw.BasePathMapping{DomainName: "api.example.com", BasePath: v, APIID: api.ID(), Stage: "prod"})
	}

	h := gw.Handler()
	for _, path := range []string{"/v1/orders/7", "/v2/orders/7", "/v3/orders/7"} {
		r := httptest.NewRequest("GET", "https://api.example.com"+path, nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(path, w.Code, w.Body)
	}
	// Output:
	// BadRequestException: Invalid certificate ARN: arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e. Certificate must be in 'us-east-1'.
	// create: api.example.com. CNAME d-9el1jtah61.execute-api.eu-west-1.amazonaws.com.
	// /v1/orders/7 200 order from v1
	// /v2/orders/7 200 order from v2
	// /v3/orders/7 403 {"message":"Forbidden"}
}
