package wire

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/stepfn"
)

const (
	v1Def = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"one","End":true}}}`
	v2Def = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"two","End":true}}}`
)

// wantFailure posts op and checks the error status and __type.
func wantFailure(t *testing.T, h *Handler, op, body string, status int, code string) {
	t.Helper()
	rec := post(h, op, body)
	var out struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s: %v in %s", op, err, rec.Body)
	}
	if rec.Code != status || !strings.HasSuffix(out.Type, "#"+code) || out.Message == "" {
		t.Errorf("%s %s: status %d %s %q, want %d %s", op, body, rec.Code, out.Type, out.Message, status, code)
	}
}

func TestVersionsAndAliases_OverTheWire(t *testing.T) {
	h, svc, _ := newTestHandler(t)
	created := call(t, h, "CreateStateMachine", mustJSON(map[string]any{"name": "orders", "definition": v1Def, "roleArn": role,
		"publish": true, "versionDescription": "first", "tags": []map[string]string{{"key": "team", "value": "a"}}}))
	sm, v1 := created["stateMachineArn"].(string), created["stateMachineVersionArn"].(string)
	if v1 != smArn+"orders:1" {
		t.Fatalf("create: %v", created)
	}
	upd := call(t, h, "UpdateStateMachine", mustJSON(map[string]any{"stateMachineArn": sm, "definition": v2Def, "publish": true}))
	v2 := upd["stateMachineVersionArn"].(string)
	if v2 != smArn+"orders:2" {
		t.Fatalf("update: %v", upd)
	}
	wantFailure(t, h, "PublishStateMachineVersion", mustJSON(map[string]string{"stateMachineArn": sm, "revisionId": "INITIAL"}), 409, "ConflictException")
	pub := call(t, h, "PublishStateMachineVersion", mustJSON(map[string]string{"stateMachineArn": sm, "revisionId": upd["revisionId"].(string)}))
	if pub["stateMachineVersionArn"] != v2 || pub["creationDate"] != float64(testEpoch.Unix()) {
		t.Errorf("publish of a published revision: %v", pub)
	}

	list := call(t, h, "ListStateMachineVersions", mustJSON(map[string]any{"stateMachineArn": sm, "maxResults": 1}))
	items := list["stateMachineVersions"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["stateMachineVersionArn"] != v2 || list["nextToken"] == nil {
		t.Errorf("first page of versions: %v", list)
	}
	list = call(t, h, "ListStateMachineVersions", mustJSON(map[string]any{"stateMachineArn": sm, "nextToken": list["nextToken"]}))
	if items := list["stateMachineVersions"].([]any); len(items) != 1 || items[0].(map[string]any)["stateMachineVersionArn"] != v1 || list["nextToken"] != nil {
		t.Errorf("second page of versions: %v", list)
	}
	d := call(t, h, "DescribeStateMachine", mustJSON(map[string]string{"stateMachineArn": v1}))
	if d["stateMachineArn"] != v1 || d["definition"] != v1Def || d["description"] != "first" || d["name"] != "orders" {
		t.Errorf("describe version 1: %v", d)
	}

	routing := []map[string]any{{"stateMachineVersionArn": v1, "weight": 0}, {"stateMachineVersionArn": v2, "weight": 100}}
	al := call(t, h, "CreateStateMachineAlias", mustJSON(map[string]any{"name": "live", "description": "prod", "routingConfiguration": routing}))
	aliasArn := al["stateMachineAliasArn"].(string)
	if aliasArn != sm+":live" || al["creationDate"] == nil {
		t.Fatalf("create alias: %v", al)
	}
	da := call(t, h, "DescribeStateMachineAlias", mustJSON(map[string]string{"stateMachineAliasArn": aliasArn}))
	wantRouting := []any{map[string]any{"stateMachineVersionArn": v1, "weight": float64(0)}, map[string]any{"stateMachineVersionArn": v2, "weight": float64(100)}}
	if da["name"] != "live" || da["description"] != "prod" || !reflect.DeepEqual(da["routingConfiguration"], wantRouting) || da["updateDate"] == nil {
		t.Errorf("describe alias: %v", da)
	}

	start := call(t, h, "StartExecution", mustJSON(map[string]string{"stateMachineArn": aliasArn}))
	exec := start["executionArn"].(string)
	if _, err := svc.WaitExecution(context.Background(), exec); err != nil {
		t.Fatal(err)
	}
	de := call(t, h, "DescribeExecution", mustJSON(map[string]string{"executionArn": exec}))
	if de["stateMachineArn"] != sm || de["stateMachineAliasArn"] != aliasArn || de["stateMachineVersionArn"] != v2 || de["output"] != `"two"` {
		t.Errorf("describe execution: %v", de)
	}
	fe := call(t, h, "DescribeStateMachineForExecution", mustJSON(map[string]string{"executionArn": exec}))
	if fe["definition"] != v2Def || fe["stateMachineArn"] != sm || fe["revisionId"] != upd["revisionId"] || fe["updateDate"] == nil || fe["loggingConfiguration"] == nil {
		t.Errorf("describe state machine for execution: %v", fe)
	}
	le := call(t, h, "ListExecutions", mustJSON(map[string]string{"stateMachineArn": aliasArn}))
	if items := le["executions"].([]any); len(items) != 1 || items[0].(map[string]any)["stateMachineAliasArn"] != aliasArn || items[0].(map[string]any)["stateMachineVersionArn"] != v2 {
		t.Errorf("executions of the alias: %v", le)
	}
	hist := call(t, h, "GetExecutionHistory", mustJSON(map[string]string{"executionArn": exec}))
	started := hist["events"].([]any)[0].(map[string]any)["executionStartedEventDetails"].(map[string]any)
	if started["stateMachineAliasArn"] != aliasArn || started["stateMachineVersionArn"] != v2 {
		t.Errorf("ExecutionStarted details %v", started)
	}

	call(t, h, "UpdateStateMachineAlias", mustJSON(map[string]any{"stateMachineAliasArn": aliasArn, "description": ""}))
	if da := call(t, h, "DescribeStateMachineAlias", mustJSON(map[string]string{"stateMachineAliasArn": aliasArn})); da["description"] != nil {
		t.Errorf("description after clearing it: %v", da)
	}
	aliases := call(t, h, "ListStateMachineAliases", mustJSON(map[string]string{"stateMachineArn": v1}))
	if items := aliases["stateMachineAliases"].([]any); len(items) != 1 || items[0].(map[string]any)["stateMachineAliasArn"] != aliasArn {
		t.Errorf("aliases of version 1: %v", aliases)
	}
	wantFailure(t, h, "DeleteStateMachineVersion", mustJSON(map[string]string{"stateMachineVersionArn": v1}), 409, "ConflictException")
	wantFailure(t, h, "UpdateStateMachineAlias", mustJSON(map[string]string{"stateMachineAliasArn": aliasArn}), 400, "ValidationException")
	wantFailure(t, h, "CreateStateMachineAlias", mustJSON(map[string]any{"name": "x", "routingConfiguration": []map[string]any{{"stateMachineVersionArn": v1, "weight": 50}}}), 400, "ValidationException")
	wantFailure(t, h, "CreateStateMachineAlias", `{"name":"x","routingConfiguration":[{"stateMachineVersionArn":"`+v1+`","weight":"100"}]}`, 400, "SerializationException")
	call(t, h, "DeleteStateMachineAlias", mustJSON(map[string]string{"stateMachineAliasArn": aliasArn}))
	wantFailure(t, h, "DescribeStateMachineAlias", mustJSON(map[string]string{"stateMachineAliasArn": aliasArn}), 400, "ResourceNotFound")
	if out := call(t, h, "DeleteStateMachineVersion", mustJSON(map[string]string{"stateMachineVersionArn": v1})); len(out) != 0 {
		t.Errorf("delete version answered %v", out)
	}
	wantFailure(t, h, "DescribeStateMachine", mustJSON(map[string]string{"stateMachineArn": v1}), 400, "StateMachineDoesNotExist")
}

func TestTags_OverTheWire(t *testing.T) {
	h, _, _ := newTestHandler(t)
	sm := call(t, h, "CreateStateMachine", mustJSON(map[string]any{"name": "orders", "definition": passDef, "roleArn": role,
		"tags": []map[string]string{{"key": "team", "value": "a"}}}))["stateMachineArn"].(string)
	act := call(t, h, "CreateActivity", mustJSON(map[string]any{"name": "review", "tags": []map[string]string{{"key": "k", "value": ""}}}))["activityArn"].(string)

	if out := call(t, h, "TagResource", mustJSON(map[string]any{"resourceArn": sm, "tags": []map[string]string{{"key": "env", "value": "prod"}}})); len(out) != 0 {
		t.Errorf("TagResource answered %v", out)
	}
	call(t, h, "UntagResource", mustJSON(map[string]any{"resourceArn": sm, "tagKeys": []string{"team"}}))
	got := call(t, h, "ListTagsForResource", mustJSON(map[string]string{"resourceArn": sm}))
	if want := []any{map[string]any{"key": "env", "value": "prod"}}; !reflect.DeepEqual(got["tags"], want) {
		t.Errorf("state machine tags %v", got)
	}
	got = call(t, h, "ListTagsForResource", mustJSON(map[string]string{"resourceArn": act}))
	if want := []any{map[string]any{"key": "k", "value": ""}}; !reflect.DeepEqual(got["tags"], want) {
		t.Errorf("activity tags %v", got)
	}

	var many []map[string]string
	for i := 0; i < 51; i++ {
		many = append(many, map[string]string{"key": "k" + strings.Repeat("x", i), "value": "v"})
	}
	wantFailure(t, h, "TagResource", mustJSON(map[string]any{"resourceArn": sm, "tags": many}), 400, "TooManyTags")
	wantFailure(t, h, "TagResource", mustJSON(map[string]any{"resourceArn": sm + "x", "tags": []any{}}), 400, "ResourceNotFound")
	wantFailure(t, h, "TagResource", mustJSON(map[string]any{"resourceArn": sm, "tags": []map[string]string{{"key": strings.Repeat("k", 129)}}}), 400, "ValidationException")
	wantFailure(t, h, "ListTagsForResource", `{"resourceArn":"nope"}`, 400, "InvalidArn")
}

// FuzzVersionOps sends arbitrary bodies to the version, alias and tag
// operations of a service holding a state machine with two versions and
// an alias. Whatever the input, the answer is 200, 400 or 409 with a JSON
// object: never a panic or an error without an AWS code.
func FuzzVersionOps(f *testing.F) {
	ops := []string{"PublishStateMachineVersion", "ListStateMachineVersions", "DeleteStateMachineVersion", "CreateStateMachineAlias",
		"DescribeStateMachineAlias", "UpdateStateMachineAlias", "DeleteStateMachineAlias", "ListStateMachineAliases",
		"DescribeStateMachineForExecution", "TagResource", "UntagResource", "ListTagsForResource", "StartExecution", "DescribeStateMachine"}
	f.Add(uint8(0), []byte(`{"stateMachineArn":"`+smArn+`m","revisionId":"INITIAL"}`))
	f.Add(uint8(3), []byte(`{"name":"a","routingConfiguration":[{"stateMachineVersionArn":"`+smArn+`m:1","weight":30},{"stateMachineVersionArn":"`+smArn+`m:2","weight":70}]}`))
	f.Add(uint8(5), []byte(`{"stateMachineAliasArn":"`+smArn+`m:live","description":"d","routingConfiguration":[]}`))
	f.Add(uint8(9), []byte(`{"resourceArn":"`+smArn+`m","tags":[{"key":"k","value":"v"}]}`))
	f.Add(uint8(12), []byte(`{"stateMachineArn":"`+smArn+`m:live"}`))
	f.Add(uint8(2), []byte(`{"stateMachineVersionArn":"`+smArn+`m:1"}`))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		svc := stepfn.New(stepfn.Options{Clock: clock.NewManual(testEpoch)})
		defer svc.Close()
		h := NewHandler(svc, Options{Logger: discardLogger})
		for _, setup := range [][2]string{
			{"CreateStateMachine", mustJSON(map[string]any{"name": "m", "definition": v1Def, "roleArn": role, "publish": true})},
			{"UpdateStateMachine", mustJSON(map[string]any{"stateMachineArn": smArn + "m", "definition": v2Def, "publish": true})},
			{"CreateStateMachineAlias", `{"name":"live","routingConfiguration":[{"stateMachineVersionArn":"` + smArn + `m:1","weight":100}]}`},
		} {
			if rec := post(h, setup[0], setup[1]); rec.Code != 200 {
				t.Fatalf("setup %s: %s", setup[0], rec.Body)
			}
		}
		op := ops[int(which)%len(ops)]
		rec := post(h, op, string(body))
		if rec.Code != 200 && rec.Code != 400 && rec.Code != 409 {
			t.Fatalf("%s %q: status %d %s", op, body, rec.Code, rec.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %q: response %q is not a JSON object: %v", op, body, rec.Body, err)
		}
	})
}
