package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/dynamo/wire"
)

// server is one run of minicloud in this process.
type server struct {
	url    string
	cancel context.CancelFunc
	done   chan error
}

// startServer runs minicloud with args on 127.0.0.1:0 and waits for it
// to print its address.
func startServer(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &server{cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw, io.Discard)
		pw.Close()
		s.done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	if err != nil {
		cancel()
		t.Fatalf("minicloud printed no address: %v (run: %v)", err, <-s.done)
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "minicloud listening on ")
	if !ok {
		t.Fatalf("unexpected first line %q", line)
	}
	s.url = addr
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop shuts the server down as SIGINT would, and waits for it.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	if err := <-s.done; err != nil {
		t.Errorf("minicloud exited with %v", err)
	}
}

// call sends one DynamoDB request and returns the status and decoded body.
func (s *server) call(t *testing.T, op, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.url+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: body: %v", op, err)
	}
	return resp.StatusCode, out
}

func (s *server) mustCall(t *testing.T, op, body string) map[string]any {
	t.Helper()
	status, out := s.call(t, op, body)
	if status != 200 {
		t.Fatalf("%s: %d %v", op, status, out)
	}
	return out
}

const createTable = `{"TableName":"notes","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"owner","AttributeType":"S"}],
	"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4},
	"GlobalSecondaryIndexes":[{"IndexName":"byOwner","KeySchema":[{"AttributeName":"owner","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["text"]},
	"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":2}}],"DeletionProtectionEnabled":true}`

const putItem = `{"TableName":"notes","Item":{"id":{"S":"n1"},"owner":{"S":"ada"},"text":{"S":"héllo"},"n":{"N":"1.50"},"b":{"B":"AAE="},"tags":{"SS":["x","y"]},"deep":{"M":{"l":{"L":[{"NULL":true},{"BOOL":false}]}}}}}`

func TestRun_StatePersistsAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, "-data", dir)
	s.mustCall(t, "CreateTable", createTable)
	s.mustCall(t, "PutItem", putItem)
	s.mustCall(t, "UpdateTimeToLive", `{"TableName":"notes","TimeToLiveSpecification":{"AttributeName":"expires","Enabled":true}}`)
	s.mustCall(t, "CreateTable", `{"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"},"TableName":"empty","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"B"}],"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`)
	s.stop(t)

	s = startServer(t, "-data", dir)
	got := s.mustCall(t, "GetItem", `{"TableName":"notes","Key":{"id":{"S":"n1"}}}`)
	var want map[string]any
	json.Unmarshal([]byte(strings.Replace(putItem, `"1.50"`, `"1.5"`, 1)), &want)
	if g, w := mustJSON(got["Item"]), mustJSON(want["Item"]); g != w {
		t.Errorf("item after restart = %s\nwant %s", g, w)
	}
	table := s.mustCall(t, "DescribeTable", `{"TableName":"notes"}`)["Table"].(map[string]any)
	if pt := mustJSON(table["ProvisionedThroughput"]); !strings.Contains(pt, `"ReadCapacityUnits":3`) || !strings.Contains(pt, `"WriteCapacityUnits":4`) {
		t.Errorf("throughput after restart = %s", pt)
	}
	if table["DeletionProtectionEnabled"] != true {
		t.Errorf("deletion protection lost: %v", table["DeletionProtectionEnabled"])
	}
	gsi := mustJSON(table["GlobalSecondaryIndexes"])
	if !strings.Contains(gsi, `"NonKeyAttributes":["text"]`) || !strings.Contains(gsi, `"ReadCapacityUnits":1`) {
		t.Errorf("index after restart = %s", gsi)
	}
	q := s.mustCall(t, "Query", `{"TableName":"notes","IndexName":"byOwner","KeyConditionExpression":"#o = :o","ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":o":{"S":"ada"}}}`)
	if q["Count"] != 1.0 {
		t.Errorf("index query after restart = %v", q)
	}
	ttl := s.mustCall(t, "DescribeTimeToLive", `{"TableName":"notes"}`)
	if got := mustJSON(ttl); got != `{"TimeToLiveDescription":{"AttributeName":"expires","TimeToLiveStatus":"ENABLED"}}` {
		t.Errorf("TTL after restart = %s", got)
	}
	stream := s.mustCall(t, "DescribeTable", `{"TableName":"empty"}`)["Table"].(map[string]any)["StreamSpecification"]
	if got := mustJSON(stream); got != `{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}` {
		t.Errorf("stream after restart = %s", got)
	}
	tables := s.mustCall(t, "ListTables", `{}`)
	if got := mustJSON(tables["TableNames"]); got != `["empty","notes"]` {
		t.Errorf("tables after restart = %s", got)
	}

	// A change after the restart is kept too, deletions included.
	s.mustCall(t, "UpdateTable", `{"TableName":"notes","DeletionProtectionEnabled":false}`)
	s.mustCall(t, "DeleteTable", `{"TableName":"empty"}`)
	s.mustCall(t, "DeleteItem", `{"TableName":"notes","Key":{"id":{"S":"n1"}}}`)
	s.stop(t)
	s = startServer(t, "-data", dir)
	if got := mustJSON(s.mustCall(t, "ListTables", `{}`)["TableNames"]); got != `["notes"]` {
		t.Errorf("tables after second restart = %s", got)
	}
	if got := s.mustCall(t, "GetItem", `{"TableName":"notes","Key":{"id":{"S":"n1"}}}`); len(got) != 0 {
		t.Errorf("deleted item came back: %v", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != stateFile {
		t.Errorf("data directory holds %v, want only %s", entries, stateFile)
	}
}

func TestStore_SavesOnlyAfterAChange(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := dynamo.New(dynamo.Options{})
	st := newStore(dir, db)
	h := st.track(wire.NewHandler(db, wire.Options{}))
	path := filepath.Join(dir, stateFile)
	send := func(op, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-amz-json-1.0")
		r.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
		h.ServeHTTP(httptest.NewRecorder(), r)
	}

	send("ListTables", `{}`)
	if err := st.saveIfChanged(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a read-only request caused a save: %v", err)
	}
	send("CreateTable", createTable)
	if err := st.saveIfChanged(ctx); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), `"TableName":"notes"`) {
		t.Fatalf("state after CreateTable = %s, %v", data, err)
	}
	os.Remove(path)
	send("GetItem", `{"TableName":"notes","Key":{"id":{"S":"x"}}}`)
	if err := st.saveIfChanged(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("saved again with nothing changed")
	}
}

func TestRun_RefusesACorruptStateFile(t *testing.T) {
	for name, content := range map[string]string{
		"truncated":     `{"Format":1,"Tables":[{"TableName":"x"`,
		"empty":         ``,
		"wrong format":  `{"Format":99,"Tables":[]}`,
		"bad item":      `{"Format":1,"Tables":[{"TableName":"abc","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","Items":[{"k":{"S":"a","N":"1"}}]}]}`,
		"unknown field": `{"Format":1,"Tables":[],"Extra":true}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, stateFile)
			os.WriteFile(path, []byte(content), 0o644)
			err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-data", dir}, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), "corrupt") {
				t.Fatalf("run = %v, want a corrupt-state error", err)
			}
			if data, _ := os.ReadFile(path); string(data) != content {
				t.Errorf("the corrupt file was changed to %q", data)
			}
		})
	}
}

func TestRun_InMemoryByDefaultAndRoutesByTarget(t *testing.T) {
	s := startServer(t)
	s.mustCall(t, "CreateTable", createTable)
	status, out := s.call(t, "NoSuchOperation", `{}`)
	if status != 400 || out["__type"] != "com.amazon.coral.service#UnknownOperationException" {
		t.Errorf("unknown operation: %d %v", status, out)
	}
	resp, err := http.Get(s.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "healthy: dynamodb.us-east-1.amazonaws.com " {
		t.Errorf("GET / = %d %q", resp.StatusCode, body)
	}
	s.stop(t)
	s = startServer(t)
	if got := mustJSON(s.mustCall(t, "ListTables", `{}`)["TableNames"]); got != `[]` {
		t.Errorf("in-memory state survived a restart: %s", got)
	}
}

func TestRun_VerifiesCredentialsWhenAsked(t *testing.T) {
	s := startServer(t, "-credentials", "AKID:secret", "-region", "eu-west-1")
	status, out := s.call(t, "ListTables", `{}`)
	if status != 400 || out["__type"] != "com.amazon.coral.service#MissingAuthenticationTokenException" {
		t.Errorf("unsigned request: %d %v", status, out)
	}
}

func TestParseFlags_RejectsBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"-credentials", "nosecret"},
		{"-save-interval", "0s"},
		{"extra"},
		{"-nosuchflag"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestRun_RoutesLambdaPaths(t *testing.T) {
	s := startServer(t)
	resp, err := http.Get(s.url + "/2015-03-31/functions/")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(raw) != `{"Functions":[]}` {
		t.Fatalf("ListFunctions: %d %s", resp.StatusCode, raw)
	}
	resp, err = http.Post(s.url+"/2015-03-31/functions/f/invocations", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 || resp.Header.Get("X-Amzn-ErrorType") != "ResourceNotFoundException" {
		t.Fatalf("Invoke of a missing function: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestRun_RoutesStepFunctionsTargets(t *testing.T) {
	s := startServer(t)
	call := func(op, body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, s.url, strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	if code, out := call("CreateStateMachine", `{"name":"m","type":"EXPRESS","roleArn":"arn:aws:iam::123456789012:role/r","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Result\":7,\"End\":true}}}"}`); code != 200 {
		t.Fatalf("CreateStateMachine: %d %s", code, out)
	}
	if code, out := call("StartSyncExecution", `{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m"}`); code != 200 || !strings.Contains(out, `"output":"7"`) {
		t.Fatalf("StartSyncExecution: %d %s", code, out)
	}
	if code, out := call("ListMapRuns", `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:x"}`); code != 400 || !strings.Contains(out, "UnknownOperationException") {
		t.Fatalf("an operation Step Functions has and minicloud does not: %d %s", code, out)
	}
}
