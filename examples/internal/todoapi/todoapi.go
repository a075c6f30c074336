// Package todoapi is the todo-api scenario: API Gateway in front of a
// Lambda function in front of DynamoDB, with an API key, a usage plan that
// throttles, and a conditional write that prevents lost updates.
package todoapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/lambda"
)

// proxyEvent is the part of API Gateway's payload format 1.0 the function
// reads (events.APIGatewayProxyRequest in aws-lambda-go).
type proxyEvent struct {
	HTTPMethod     string            `json:"httpMethod"`
	PathParameters map[string]string `json:"pathParameters"`
	Headers        map[string]string `json:"headers"`
	Body           string            `json:"body"`
}

// proxyResponse is the function's answer (events.APIGatewayProxyResponse).
type proxyResponse struct {
	StatusCode int               `json:"statusCode"`
	Headers    map[string]string `json:"headers,omitempty"`
	Body       string            `json:"body"`
}

// todo is an item of the table as the API shows it.
type todo struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Done    bool   `json:"done"`
	Version int    `json:"version"`
}

// handler is the function's code: CRUD on the todos table, with every
// update conditional on the version the client read (optimistic locking).
func handler(db *dynamo.DB, runs *int) func(context.Context, proxyEvent) (proxyResponse, error) {
	next := 0
	reply := func(code int, v any) (proxyResponse, error) {
		b, _ := json.Marshal(v)
		return proxyResponse{StatusCode: code, Headers: map[string]string{"Content-Type": "application/json"}, Body: string(b)}, nil
	}
	return func(ctx context.Context, ev proxyEvent) (proxyResponse, error) {
		*runs++
		id := ev.PathParameters["id"]
		switch ev.HTTPMethod {
		case http.MethodPost:
			var in todo
			if err := json.Unmarshal([]byte(ev.Body), &in); err != nil || in.Title == "" {
				return reply(400, map[string]string{"error": "a todo needs a title"})
			}
			next++
			t := todo{ID: strconv.Itoa(next), Title: in.Title, Version: 1}
			_, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "todos", Item: toItem(t),
				ConditionExpression: "attribute_not_exists(id)"})
			if err != nil {
				return proxyResponse{}, err
			}
			return reply(201, t)
		case http.MethodGet:
			out, err := db.GetItem(ctx, &dynamo.GetItemInput{TableName: "todos", Key: dynamo.Item{"id": dynamo.S(id)}, ConsistentRead: true})
			if err != nil {
				return proxyResponse{}, err
			}
			if out.Item == nil {
				return reply(404, map[string]string{"error": "no todo " + id})
			}
			return reply(200, fromItem(out.Item))
		case http.MethodPut:
			var in todo
			if err := json.Unmarshal([]byte(ev.Body), &in); err != nil {
				return reply(400, map[string]string{"error": "bad body"})
			}
			read, err := strconv.Atoi(ev.Headers["If-Match"])
			if err != nil {
				return reply(428, map[string]string{"error": "send If-Match with the version you read"})
			}
			t := todo{ID: id, Title: in.Title, Done: in.Done, Version: read + 1}
			_, err = db.PutItem(ctx, &dynamo.PutItemInput{TableName: "todos", Item: toItem(t),
				ConditionExpression:       "version = :read",
				ExpressionAttributeValues: map[string]dynamo.AttributeValue{":read": dynamo.N(strconv.Itoa(read))}})
			if errors.Is(err, dynamo.ErrConditionalCheckFailed) {
				return reply(412, map[string]string{"error": "todo " + id + " changed since version " + strconv.Itoa(read)})
			}
			if err != nil {
				return proxyResponse{}, err
			}
			return reply(200, t)
		}
		return reply(405, map[string]string{"error": "method not allowed"})
	}
}

func toItem(t todo) dynamo.Item {
	return dynamo.Item{"id": dynamo.S(t.ID), "title": dynamo.S(t.Title), "done": dynamo.BOOL(t.Done), "version": dynamo.N(strconv.Itoa(t.Version))}
}

func fromItem(it dynamo.Item) todo {
	t := todo{}
	if v, ok := it["id"].(dynamo.S); ok {
		t.ID = string(v)
	}
	if v, ok := it["title"].(dynamo.S); ok {
		t.Title = string(v)
	}
	if v, ok := it["done"].(dynamo.BOOL); ok {
		t.Done = bool(v)
	}
	if v, ok := it["version"].(dynamo.N); ok {
		t.Version, _ = strconv.Atoi(string(v))
	}
	return t
}

// Run narrates the scenario to w.
func Run(w io.Writer) error {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
	cloud := minicloud.New(minicloud.Options{Clock: clk})
	defer cloud.Close()

	if _, err := cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "todos",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	}); err != nil {
		return err
	}
	runs := 0 // the function runs one invocation at a time here
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "todos", Handler: lambda.Handler(handler(cloud.Dynamo, &runs)),
	}); err != nil {
		return err
	}
	api, err := cloud.APIs.CreateAPI(apigw.APIConfig{Name: "todo-api", Kind: apigw.REST})
	if err != nil {
		return err
	}
	proxy := apigw.LambdaProxy{Function: cloud.Lambda.Function("todos")}
	for _, key := range []string{"POST /todos", "GET /todos/{id}", "PUT /todos/{id}"} {
		if err := api.Route(key, apigw.Route{Integration: proxy, APIKeyRequired: true}); err != nil {
			return err
		}
	}
	stage, err := api.Deploy("prod")
	if err != nil {
		return err
	}
	key, err := cloud.APIs.CreateAPIKey(apigw.APIKeyConfig{Name: "alice", Value: "alice-key-0123456789abcdef", Enabled: true})
	if err != nil {
		return err
	}
	plan, err := cloud.APIs.CreateUsagePlan(apigw.UsagePlanConfig{
		Name:      "free",
		APIStages: []apigw.APIStage{{APIID: api.ID(), Stage: "prod"}},
		Throttle:  apigw.Throttle{RateLimit: 1, BurstLimit: 2},
		Quota:     apigw.Quota{Limit: 1000, Period: apigw.QuotaDay},
	})
	if err != nil {
		return err
	}
	if _, err := cloud.APIs.CreateUsagePlanKey(plan.ID, key.ID); err != nil {
		return err
	}
	fmt.Fprintln(w, "REST API todo-api, stage prod: POST /todos, GET and PUT /todos/{id}, each a Lambda proxy")
	fmt.Fprintln(w, "integration with the function todos, which keeps its items in the DynamoDB table todos.")
	fmt.Fprintln(w, "Every method requires an API key; the usage plan free gives each key 1 request/s, burst 2.")

	call := func(method, path, apiKey, ifMatch, body string) (int, string) {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		if apiKey != "" {
			r.Header.Set("X-Api-Key", apiKey)
		}
		if ifMatch != "" {
			r.Header.Set("If-Match", ifMatch)
		}
		rec := httptest.NewRecorder()
		stage.ServeHTTP(rec, r)
		return rec.Code, strings.TrimSpace(rec.Body.String())
	}
	show := func(method, path, apiKey, ifMatch, body string) {
		code, out := call(method, path, apiKey, ifMatch, body)
		req := method + " " + path
		if ifMatch != "" {
			req += " (If-Match: " + ifMatch + ")"
		}
		fmt.Fprintf(w, "  %-36s -> %d %s\n", req, code, out)
	}

	fmt.Fprintln(w, "\nWithout a key, API Gateway answers before the function runs:")
	show("POST", "/todos", "", "", `{"title":"buy milk"}`)
	show("POST", "/todos", "not-a-key-0123456789", "", `{"title":"buy milk"}`)

	fmt.Fprintln(w, "\nWith alice's key:")
	show("POST", "/todos", key.Value, "", `{"title":"buy milk"}`)
	clk.Advance(time.Second)
	show("GET", "/todos/1", key.Value, "", "")

	fmt.Fprintln(w, "\nTwo clients both read version 1 and both write. The function makes each write")
	fmt.Fprintln(w, "conditional on the version read (ConditionExpression version = :read), so the")
	fmt.Fprintln(w, "second write fails instead of silently overwriting the first: no lost update.")
	clk.Advance(time.Second)
	show("PUT", "/todos/1", key.Value, "1", `{"title":"buy milk","done":true}`)
	clk.Advance(time.Second)
	show("PUT", "/todos/1", key.Value, "1", `{"title":"buy oat milk"}`)
	clk.Advance(time.Second)
	show("GET", "/todos/1", key.Value, "", "")

	fmt.Fprintln(w, "\nA burst: four requests in the same instant. The key's bucket holds 2 tokens, so the")
	fmt.Fprintln(w, "third and fourth are refused with 429 and never reach Lambda:")
	clk.Advance(5 * time.Second)
	for range 4 {
		show("GET", "/todos/1", key.Value, "", "")
	}
	clk.Advance(time.Second)
	fmt.Fprintln(w, "One second later the bucket has refilled one token:")
	show("GET", "/todos/1", key.Value, "", "")

	m := stage.Metrics()
	usage, err := cloud.APIs.GetUsage(apigw.GetUsageInput{UsagePlanID: plan.ID, KeyID: key.ID, StartDate: clk.Now(), EndDate: clk.Now()})
	if err != nil {
		return err
	}
	used := usage.Items[key.ID][0]
	fmt.Fprintf(w, "\nStage metrics: %d requests, %d 4XX, %d 5XX, %d throttled.\n", m.Count, m.Errors4XX, m.Errors5XX, m.Throttled)
	fmt.Fprintf(w, "The function ran %d times: requests refused by API Gateway never invoke it.\n", runs)
	fmt.Fprintf(w, "alice's quota today: %d used, %d remaining (throttled requests do not count).\n", used[0], used[1])
	fmt.Fprintln(w, cloud.APIs.Cost())
	return nil
}
