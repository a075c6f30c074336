package sdktest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/lambda"
)

// The proxy events unmarshal into aws-lambda-go's types field by field,
// and the types' responses are read back as API Gateway reads them.
func TestAPIGateway_RESTProxyEventIsAwsLambdaGos(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx := context.Background()
	got := make(chan events.APIGatewayProxyRequest, 1)
	_, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "rest",
		Handler: lambda.Handler(func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
			got <- ev
			return events.APIGatewayProxyResponse{
				StatusCode:        201,
				Headers:           map[string]string{"Content-Type": "text/plain"},
				MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1", "b=2"}},
				Body:              base64.StdEncoding.EncodeToString([]byte("created " + ev.PathParameters["id"])),
				IsBase64Encoded:   true,
			}, nil
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	api, err := cloud.APIs.CreateAPI(apigw.APIConfig{Name: "rest", Kind: apigw.REST})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Route("PUT /items/{id}", apigw.Route{Integration: apigw.LambdaProxy{Function: cloud.Lambda.Function("rest")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateDeployment("v1"); err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateStage(apigw.StageConfig{Name: "prod", Variables: map[string]string{"env": "production"}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(cloud.Handler())
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest("PUT", srv.URL+"/restapis/"+api.ID()+"/prod/_user_request_/items/7?color=red&color=blue", strings.NewReader(`{"name":"seven"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "sdktest")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 201 || string(body) != "created 7" || len(res.Header.Values("Set-Cookie")) != 2 {
		t.Fatalf("response %d %q %v", res.StatusCode, body, res.Header)
	}
	ev := <-got
	checks := map[string][2]any{
		"Resource":            {ev.Resource, "/items/{id}"},
		"Path":                {ev.Path, "/items/7"},
		"HTTPMethod":          {ev.HTTPMethod, "PUT"},
		"Header":              {ev.Headers["Content-Type"], "application/json"},
		"Query":               {ev.QueryStringParameters["color"], "blue"},
		"MultiQuery":          {strings.Join(ev.MultiValueQueryStringParameters["color"], ","), "red,blue"},
		"PathParameters":      {ev.PathParameters["id"], "7"},
		"StageVariables":      {ev.StageVariables["env"], "production"},
		"Body":                {ev.Body, `{"name":"seven"}`},
		"RC.Stage":            {ev.RequestContext.Stage, "prod"},
		"RC.ResourcePath":     {ev.RequestContext.ResourcePath, "/items/{id}"},
		"RC.HTTPMethod":       {ev.RequestContext.HTTPMethod, "PUT"},
		"RC.APIID":            {ev.RequestContext.APIID, api.ID()},
		"RC.AccountID":        {ev.RequestContext.AccountID, "123456789012"},
		"RC.Identity.Agent":   {ev.RequestContext.Identity.UserAgent, "sdktest"},
		"RC.Identity.IP":      {ev.RequestContext.Identity.SourceIP, "127.0.0.1"},
		"RC.Path":             {ev.RequestContext.Path, "/prod/items/7"},
		"RC.RequestTimeEpoch": {ev.RequestContext.RequestTimeEpoch, minicloud.TestEpoch.UnixMilli()},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %v, want %v", name, c[0], c[1])
		}
	}
	if ev.RequestContext.RequestID == "" || ev.RequestContext.RequestID != res.Header.Get("X-Amzn-Requestid") {
		t.Errorf("requestId %q, x-amzn-RequestId %q", ev.RequestContext.RequestID, res.Header.Get("X-Amzn-Requestid"))
	}
}

func TestAPIGateway_HTTPProxyEventIsAwsLambdaGos(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx := context.Background()
	got := make(chan events.APIGatewayV2HTTPRequest, 1)
	_, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "http",
		Handler: lambda.Handler(func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			got <- ev
			return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "hello " + ev.PathParameters["name"], Cookies: []string{"seen=1"}}, nil
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	api, _ := cloud.APIs.CreateAPI(apigw.APIConfig{Name: "http", Kind: apigw.HTTP})
	if err := api.Route("GET /hello/{name}", apigw.Route{Integration: apigw.LambdaProxy{Function: cloud.Lambda.Function("http")}}); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("$default")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(st)
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest("GET", srv.URL+"/hello/ann?x=1", nil)
	req.Header.Set("Cookie", "theme=dark; lang=en")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "hello ann" || res.Header.Get("Set-Cookie") != "seen=1" {
		t.Fatalf("response %d %q %v", res.StatusCode, body, res.Header)
	}
	ev := <-got
	raw, _ := json.Marshal(ev)
	checks := map[string][2]any{
		"Version":         {ev.Version, "2.0"},
		"RouteKey":        {ev.RouteKey, "GET /hello/{name}"},
		"RawPath":         {ev.RawPath, "/hello/ann"},
		"RawQueryString":  {ev.RawQueryString, "x=1"},
		"Cookies":         {strings.Join(ev.Cookies, ";"), "theme=dark;lang=en"},
		"PathParameters":  {ev.PathParameters["name"], "ann"},
		"Query":           {ev.QueryStringParameters["x"], "1"},
		"RC.Stage":        {ev.RequestContext.Stage, "$default"},
		"RC.HTTP.Method":  {ev.RequestContext.HTTP.Method, "GET"},
		"RC.HTTP.Path":    {ev.RequestContext.HTTP.Path, "/hello/ann"},
		"RC.HTTP.Proto":   {ev.RequestContext.HTTP.Protocol, "HTTP/1.1"},
		"RC.HTTP.IP":      {ev.RequestContext.HTTP.SourceIP, "127.0.0.1"},
		"RC.RouteKey":     {ev.RequestContext.RouteKey, "GET /hello/{name}"},
		"RC.TimeEpoch":    {ev.RequestContext.TimeEpoch, minicloud.TestEpoch.UnixMilli()},
		"RC.Time":         {ev.RequestContext.Time, "01/Jan/2025:00:00:00 +0000"},
		"IsBase64Encoded": {ev.IsBase64Encoded, false},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %v, want %v (event %s)", name, c[0], c[1], raw)
		}
	}
	if ev.RequestContext.RequestID == "" || ev.RequestContext.RequestID != res.Header.Get("Apigw-Requestid") {
		t.Errorf("requestId %q, apigw-requestid %q", ev.RequestContext.RequestID, res.Header.Get("Apigw-Requestid"))
	}
}
