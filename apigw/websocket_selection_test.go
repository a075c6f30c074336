package apigw

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSelectionExpression_Evaluates(t *testing.T) {
	body := `{"service":"chat","action":"join","n":7,"ok":true,"data":{"room":"r1","tags":["a","b"]},"nothing":null}`
	tests := []struct {
		expr, want string
		ok         bool
	}{
		{"$request.body.action", "join", true},
		{"${request.body.action}", "join", true},
		{"${request.body.service}/${request.body.action}", "chat/join", true},
		{"$request.body.service-$request.body.action", "chat-join", true},
		{"${request.body.action}-beta", "join-beta", true},
		{"$request.body.data.room", "r1", true},
		{"$request.body.data.tags[1]", "b", true},
		{"$request.body.data.tags", `["a","b"]`, true},
		{"$request.body.n", "7", true},
		{"$request.body.ok", "true", true},
		{"static", "static", true},
		{`\$default`, "$default", true},
		{"$request.body.missing", "", false},
		{"$request.body.nothing", "", false},
		{"$request.body.data.tags[5]", "", false},
		{"$request.body.action.deeper", "", false},
	}
	for _, tc := range tests {
		e, err := parseSelectionExpression(tc.expr)
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		got, ok := e.eval([]byte(body))
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s = %q %v, want %q %v", tc.expr, got, ok, tc.want, tc.ok)
		}
	}
	e, _ := parseSelectionExpression("$request.body.action")
	for _, notJSON := range []string{"", "join", `{"action":"join"} trailing`, `{"action":`} {
		if got, ok := e.eval([]byte(notJSON)); ok {
			t.Errorf("eval(%q) = %q, want no route", notJSON, got)
		}
	}
}

func TestSelectionExpression_RejectsOtherVariables(t *testing.T) {
	for _, expr := range []string{"", "$request.header.x", "${request.body.action", "$request.body..x", "$request.body.a[x]", "$context.routeKey", "$"} {
		if _, err := parseSelectionExpression(expr); err == nil {
			t.Errorf("%q parsed, want an error", expr)
		}
	}
}

func FuzzSelectionExpression(f *testing.F) {
	f.Add("$request.body.action", `{"action":"join"}`)
	f.Add("${request.body.service}/${request.body.action}", `{"service":"chat","action":"x"}`)
	f.Add(`\$default`, `{}`)
	f.Add("$request.body.a[0].b", `{"a":[{"b":1}]}`)
	f.Add("${request.body.}", `[]`)
	f.Fuzz(func(t *testing.T, expr, body string) {
		e, err := parseSelectionExpression(expr)
		if err != nil {
			return
		}
		got, ok := e.eval([]byte(body))
		if !ok && got != "" {
			t.Fatalf("a failed evaluation returned %q", got)
		}
		// An expression of literal text alone evaluates to that text,
		// whatever the message.
		hasVar := false
		for _, p := range e.parts {
			hasVar = hasVar || p.isVar
		}
		if !hasVar && (!ok || got != strings.ReplaceAll(expr, `\$`, "$")) {
			t.Fatalf("literal %q evaluated to %q %v", expr, got, ok)
		}
	})
}

func FuzzSelectionExpression_Action(f *testing.F) {
	f.Add("join")
	f.Add("")
	f.Add("$connect")
	f.Fuzz(func(t *testing.T, action string) {
		body, err := json.Marshal(map[string]string{"action": action})
		if err != nil {
			return
		}
		e, _ := parseSelectionExpression("$request.body.action")
		got, ok := e.eval(body)
		// Invalid UTF-8 is replaced by encoding/json on the way in.
		var want map[string]string
		_ = json.Unmarshal(body, &want)
		if !ok || got != want["action"] {
			t.Fatalf("action %q evaluated to %q %v", action, got, ok)
		}
	})
}
