package minicloud_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

// faultTables creates on-demand tables with a string key "id".
func faultTables(t *testing.T, cloud *minicloud.Cloud, names ...string) {
	t.Helper()
	for _, name := range names {
		if _, err := cloud.Dynamo.CreateTable(context.Background(), &dynamo.CreateTableInput{
			TableName:            name,
			AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
			KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
			BillingMode:          dynamo.BillingModePayPerRequest,
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// put writes {"id": id} to table and returns the error code ("" for none).
func put(cloud *minicloud.Cloud, table, id string) string {
	_, err := cloud.Dynamo.PutItem(context.Background(), &dynamo.PutItemInput{TableName: table, Item: dynamo.Item{"id": dynamo.S(id)}})
	var e *dynamo.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestFaults_AimByServiceOperationAndResourceGlob(t *testing.T) {
	tests := []struct {
		name  string
		rule  minicloud.Fault
		table string
		hit   bool
	}{
		{"any call", minicloud.Fault{}, "orders", true},
		{"service", minicloud.Fault{Service: minicloud.ServiceDynamoDB}, "orders", true},
		{"other service", minicloud.Fault{Service: minicloud.ServiceLambda}, "orders", false},
		{"operation", minicloud.Fault{Operation: "PutItem"}, "orders", true},
		{"operation glob", minicloud.Fault{Operation: "*Item"}, "orders", true},
		{"other operation", minicloud.Fault{Operation: "GetItem"}, "orders", false},
		{"table", minicloud.Fault{Resource: "orders"}, "orders", true},
		{"table prefix glob", minicloud.Fault{Resource: "ord*"}, "orders", true},
		{"table middle glob", minicloud.Fault{Resource: "o*r*s"}, "orders", true},
		{"glob needs the whole name", minicloud.Fault{Resource: "ord"}, "orders", false},
		{"other table", minicloud.Fault{Resource: "users"}, "orders", false},
		{"predicate", minicloud.Fault{Match: func(c minicloud.Call) bool { return c.Resource == "orders" }}, "orders", true},
		{"predicate refuses", minicloud.Fault{Match: func(minicloud.Call) bool { return false }}, "orders", false},
		{"unprocessed rules never fail a PutItem", minicloud.Fault{Kind: minicloud.FaultUnprocessed}, "orders", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cloud, _ := minicloud.NewTest(t)
			faultTables(t, cloud, "orders", "users")
			tt.rule.Code = "InternalServerError"
			cloud.Faults.Add(tt.rule)
			got := put(cloud, tt.table, "1")
			if want := map[bool]string{true: "InternalServerError", false: ""}[tt.hit]; got != want {
				t.Fatalf("PutItem error code = %q, want %q", got, want)
			}
			if n := len(cloud.Faults.Injected()); n != map[bool]int{true: 1}[tt.hit] {
				t.Fatalf("Injected has %d faults", n)
			}
		})
	}
}

func TestFaults_NextNCallsThenTheRuleIsSpent(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	faultTables(t, cloud, "orders")
	id := cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceDynamoDB, Operation: "PutItem", Resource: "orders",
		Code: "ThrottlingException", Times: 2})
	var got []string
	for i := 0; i < 4; i++ {
		got = append(got, put(cloud, "orders", "1"))
	}
	if diff := cmp.Diff([]string{"ThrottlingException", "ThrottlingException", "", ""}, got); diff != "" {
		t.Fatalf("codes (-want +got):\n%s", diff)
	}
	want := minicloud.InjectedFault{Rule: id, Time: clk.Now(), Service: "dynamodb", Operation: "PutItem", Resource: "orders", Code: "ThrottlingException"}
	if diff := cmp.Diff([]minicloud.InjectedFault{want, want}, cloud.Faults.Injected()); diff != "" {
		t.Fatalf("Injected (-want +got):\n%s", diff)
	}
}

func TestFaults_ErrorsCarryAWSStatusAndMessage(t *testing.T) {
	tests := []struct {
		code   string
		status int
		msg    string
	}{
		{"ThrottlingException", 400, "Rate of requests exceeds the allowed throughput."},
		{"ProvisionedThroughputExceededException", 400, "The level of configured provisioned throughput for the table was exceeded."},
		{"RequestLimitExceeded", 400, "Throughput exceeds the current throughput limit for your account."},
		{"TransactionConflictException", 400, "Transaction is ongoing for the item"},
		{"InternalServerError", 500, "Internal server error"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			cloud, _ := minicloud.NewTest(t)
			faultTables(t, cloud, "orders")
			cloud.Faults.Add(minicloud.Fault{Code: tt.code})
			_, err := cloud.Dynamo.GetItem(context.Background(), &dynamo.GetItemInput{TableName: "orders", Key: dynamo.Item{"id": dynamo.S("1")}})
			var e *dynamo.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.StatusCode != tt.status || !strings.HasPrefix(e.Message, tt.msg) {
				t.Fatalf("error = %#v, want %s %d %q", err, tt.code, tt.status, tt.msg)
			}
			if tt.code == "ProvisionedThroughputExceededException" && !errors.Is(err, dynamo.ErrProvisionedThroughputExceeded) {
				t.Fatal("errors.Is does not match the dynamo sentinel")
			}
		})
	}
}

func TestFaults_WireAnswersWithAWSStatusAndType(t *testing.T) {
	tests := []struct {
		code, typ string
		status    int
	}{
		{"ProvisionedThroughputExceededException", "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", 400},
		{"ThrottlingException", "com.amazon.coral.availability#ThrottlingException", 400},
		{"InternalServerError", "com.amazonaws.dynamodb.v20120810#InternalServerError", 500},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			cloud, _ := minicloud.NewTest(t)
			faultTables(t, cloud, "orders")
			cloud.Faults.Add(minicloud.Fault{Operation: "PutItem", Code: tt.code, Message: "injected"})
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"TableName":"orders","Item":{"id":{"S":"1"}}}`))
			r.Header.Set("X-Amz-Target", "DynamoDB_20120810.PutItem")
			r.Header.Set("Content-Type", "application/x-amz-json-1.0")
			w := httptest.NewRecorder()
			cloud.Handler().ServeHTTP(w, r)
			var body struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != tt.status || body.Type != tt.typ || body.Message != "injected" {
				t.Fatalf("got %d %s, want %d %s", w.Code, w.Body, tt.status, tt.typ)
			}
		})
	}
}

// hits runs n GetItems against a fresh account with the given seed and a
// rule of probability p, and returns which were hit.
func hits(t *testing.T, seed uint64, p float64, n int) string {
	cloud := minicloud.New(minicloud.Options{Clock: clock.NewManual(minicloud.TestEpoch), Seed: seed})
	t.Cleanup(func() { cloud.Close() })
	faultTables(t, cloud, "orders")
	cloud.Faults.Add(minicloud.Fault{Operation: "GetItem", Code: "InternalServerError", Probability: p})
	var b strings.Builder
	for i := 0; i < n; i++ {
		_, err := cloud.Dynamo.GetItem(context.Background(), &dynamo.GetItemInput{TableName: "orders", Key: dynamo.Item{"id": dynamo.S("1")}})
		b.WriteByte(map[bool]byte{true: 'x', false: '.'}[err != nil])
	}
	return b.String()
}

func TestFaults_ProbabilityIsReproducibleUnderTheSeed(t *testing.T) {
	a, b, other := hits(t, 7, 0.3, 200), hits(t, 7, 0.3, 200), hits(t, 8, 0.3, 200)
	if a != b {
		t.Fatalf("same seed, different faults:\n%s\n%s", a, b)
	}
	if a == other {
		t.Fatal("seeds 7 and 8 hit the same calls")
	}
	if n := strings.Count(a, "x"); n < 40 || n > 80 {
		t.Fatalf("%d of 200 calls hit at probability 0.3", n)
	}
}

func TestFaults_WindowBoundsTheRuleInClockTime(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	faultTables(t, cloud, "orders")
	from := clk.Now().Add(time.Minute)
	cloud.Faults.Add(minicloud.Fault{Code: "InternalServerError", From: from, Until: from.Add(time.Minute)})
	var got []string
	for _, at := range []time.Duration{0, time.Minute, 90 * time.Second, 2 * time.Minute} {
		clk.Set(minicloud.TestEpoch.Add(at))
		got = append(got, put(cloud, "orders", "1"))
	}
	if diff := cmp.Diff([]string{"", "InternalServerError", "InternalServerError", ""}, got); diff != "" {
		t.Fatalf("codes at 0, 1m, 1m30s, 2m (-want +got):\n%s", diff)
	}
}

func TestFaults_FirstRuleAddedWinsAndRemoveAndClearStopRules(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	faultTables(t, cloud, "orders")
	first := cloud.Faults.Add(minicloud.Fault{Code: "ThrottlingException"})
	cloud.Faults.Add(minicloud.Fault{Code: "InternalServerError"})
	got := []string{put(cloud, "orders", "1")}
	if !cloud.Faults.Remove(first) || cloud.Faults.Remove(first) {
		t.Fatal("Remove must report the rule once")
	}
	got = append(got, put(cloud, "orders", "1"))
	cloud.Faults.Clear()
	got = append(got, put(cloud, "orders", "1"))
	if diff := cmp.Diff([]string{"ThrottlingException", "InternalServerError", ""}, got); diff != "" {
		t.Fatalf("codes (-want +got):\n%s", diff)
	}
	if n := len(cloud.Faults.Injected()); n != 2 {
		t.Fatalf("Injected has %d faults after Clear, want the 2 injected", n)
	}
}

func TestFaults_LatencyWaitsOnTheClockThenFails(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	faultTables(t, cloud, "orders")
	cloud.Faults.Add(minicloud.Fault{Operation: "PutItem", Latency: 3 * time.Second, Code: "InternalServerError", Times: 1})
	cloud.Faults.Add(minicloud.Fault{Operation: "GetItem", Latency: 2 * time.Second})
	done := make(chan string)
	go func() { done <- put(cloud, "orders", "1") }()
	if err := clk.BlockUntil(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		t.Fatalf("PutItem returned %q before its latency passed", code)
	default:
	}
	clk.Advance(3 * time.Second)
	if code := <-done; code != "InternalServerError" {
		t.Fatalf("code = %q", code)
	}
	got := make(chan error)
	go func() {
		_, err := cloud.Dynamo.GetItem(context.Background(), &dynamo.GetItemInput{TableName: "orders", Key: dynamo.Item{"id": dynamo.S("1")}})
		got <- err
	}()
	if err := clk.BlockUntil(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Second)
	if err := <-got; err != nil {
		t.Fatalf("a latency-only rule must let the call run: %v", err)
	}
}

func TestFaults_EveryInjectionIsLogged(t *testing.T) {
	var buf bytes.Buffer
	cloud := minicloud.New(minicloud.Options{Clock: clock.NewManual(minicloud.TestEpoch), Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	t.Cleanup(func() { cloud.Close() })
	faultTables(t, cloud, "orders")
	id := cloud.Faults.Add(minicloud.Fault{Operation: "PutItem", Code: "ThrottlingException"})
	put(cloud, "orders", "1")
	for _, want := range []string{`msg="fault injected"`, "rule=" + id, "service=dynamodb", "operation=PutItem", "resource=orders", "code=ThrottlingException"} {
		if !strings.Contains(buf.String(), want) {
			t.Fatalf("log lacks %s:\n%s", want, buf.String())
		}
	}
}

func TestFaults_BatchWriteLeavesChosenItemsUnprocessed(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	faultTables(t, cloud, "orders", "users")
	cloud.Faults.Add(minicloud.Fault{Kind: minicloud.FaultUnprocessed, Operation: "BatchWriteItem", Resource: "orders",
		Match: func(c minicloud.Call) bool { return c.Item["id"] == dynamo.S("b") }})
	req := func(id string) dynamo.WriteRequest {
		return dynamo.WriteRequest{PutRequest: &dynamo.PutRequest{Item: dynamo.Item{"id": dynamo.S(id)}}}
	}
	out, err := cloud.Dynamo.BatchWriteItem(context.Background(), &dynamo.BatchWriteItemInput{RequestItems: map[string][]dynamo.WriteRequest{
		"orders": {req("a"), req("b")}, "users": {req("b")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][]dynamo.WriteRequest{"orders": {req("b")}}, out.UnprocessedItems); diff != "" {
		t.Fatalf("UnprocessedItems (-want +got):\n%s", diff)
	}
	inj := cloud.Faults.Injected()
	if len(inj) != 1 || inj[0].Kind != minicloud.FaultUnprocessed || inj[0].Resource != "orders" {
		t.Fatalf("Injected = %+v", inj)
	}
}

// BenchmarkFaults_PutItem measures what the fault hook costs a DynamoDB
// write: a DB without the hook (the peer), the account with no rules, and
// with ten rules that aim elsewhere (each checked and passed over).
func BenchmarkFaults_PutItem(b *testing.B) {
	ctx := context.Background()
	in := &dynamo.PutItemInput{TableName: "orders", Item: dynamo.Item{"id": dynamo.S("o-1"), "total": dynamo.N("42")}}
	create := &dynamo.CreateTableInput{
		TableName:            "orders",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	}
	run := func(b *testing.B, db *dynamo.DB) {
		if _, err := db.CreateTable(ctx, create); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := db.PutItem(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("dynamo-without-hook", func(b *testing.B) {
		db := dynamo.New(dynamo.Options{Clock: clock.NewManual(minicloud.TestEpoch)})
		defer db.Close()
		run(b, db)
	})
	for _, rules := range []int{0, 10} {
		b.Run(map[int]string{0: "minicloud-no-rules", 10: "minicloud-10-rules-elsewhere"}[rules], func(b *testing.B) {
			cloud := minicloud.New(minicloud.Options{Clock: clock.NewManual(minicloud.TestEpoch)})
			defer cloud.Close()
			for i := 0; i < rules; i++ {
				cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceDynamoDB, Resource: "users-*", Code: "InternalServerError"})
			}
			run(b, cloud.Dynamo)
		})
	}
}
