package minicloud_test

import (
	"context"
	"math"
	"net/http/httptest"
	"testing"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/lambda"
)

func TestCloud_CostAddsUpEveryMeter(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx := context.Background()
	if _, err := cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "tab",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "f",
		Handler: lambda.Handler(func(ctx context.Context) (map[string]int, error) {
			_, err := cloud.Dynamo.PutItem(ctx, &dynamo.PutItemInput{TableName: "tab", Item: dynamo.Item{"id": dynamo.S("x")}})
			return map[string]int{"statusCode": 200}, err
		})}); err != nil {
		t.Fatal(err)
	}
	api, _ := cloud.APIs.CreateAPI(apigw.APIConfig{Name: "a", Kind: apigw.HTTP})
	_ = api.Route("GET /", apigw.Route{Integration: apigw.LambdaProxy{Function: cloud.Lambda.Function("f")}})
	st, err := api.Deploy("$default")
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		w := httptest.NewRecorder()
		st.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	r, err := cloud.Cost(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Lambda.Requests != 10 || r.APIGateway.HTTP <= 0 || r.DynamoDB.Gross <= 0 {
		t.Errorf("meters: lambda %d requests, API Gateway $%g, DynamoDB gross $%g", r.Lambda.Requests, r.APIGateway.HTTP, r.DynamoDB.Gross)
	}
	if sum := r.Lambda.Total + r.DynamoDB.Total + r.StepFunctions.Total + r.APIGateway.Total + r.WebSocket.Total + r.CloudFront.Total; math.Abs(sum-r.Total) > 1e-12 {
		t.Errorf("total %g, sum %g", r.Total, sum)
	}
	if want := 10 / 1e6 * 1.00; math.Abs(r.APIGateway.Total-want) > 1e-12 {
		t.Errorf("API Gateway %g, want %g", r.APIGateway.Total, want)
	}
}
