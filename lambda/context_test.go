package lambda

import (
	"context"
	"encoding/base64"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"
)

type ctxKey struct{}

func TestContext_LambdaContextValues(t *testing.T) {
	s, _ := newTestService(t, Options{})
	seen := make(chan LambdaContext, 1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Publish: true, Handler: Handler(func(ctx context.Context) error {
		lc, ok := FromContext(ctx)
		if !ok {
			t.Error("no LambdaContext")
		}
		seen <- *lc
		return nil
	})})
	s.CreateAlias(context.Background(), &CreateAliasInput{FunctionName: "f", Name: "live", FunctionVersion: "1"})
	cc := base64.StdEncoding.EncodeToString([]byte(`{"client":{"installation_id":"i-1","app_title":"Shop","app_version_code":"7","app_package_name":"com.shop"},"env":{"locale":"fr"},"custom":{"k":"v"}}`))
	invoke(t, s, &InvokeInput{FunctionName: "f", Qualifier: "live", ClientContext: cc,
		Identity: &CognitoIdentity{CognitoIdentityID: "us-east-1:abc", CognitoIdentityPoolID: "us-east-1:pool"}})
	lc := <-seen
	if len(lc.AwsRequestID) != 36 || lc.AwsRequestID[14] != '4' {
		t.Errorf("AwsRequestID = %q, want a v4 UUID", lc.AwsRequestID)
	}
	if lc.InvokedFunctionArn != "arn:aws:lambda:us-east-1:123456789012:function:f:live" {
		t.Errorf("InvokedFunctionArn = %q", lc.InvokedFunctionArn)
	}
	if lc.Identity.CognitoIdentityID != "us-east-1:abc" || lc.Identity.CognitoIdentityPoolID != "us-east-1:pool" {
		t.Errorf("Identity = %+v", lc.Identity)
	}
	if lc.ClientContext.Client.AppTitle != "Shop" || lc.ClientContext.Client.InstallationID != "i-1" ||
		lc.ClientContext.Env["locale"] != "fr" || lc.ClientContext.Custom["k"] != "v" {
		t.Errorf("ClientContext = %+v", lc.ClientContext)
	}
	invoke(t, s, &InvokeInput{FunctionName: "f"})
	if lc := <-seen; lc.InvokedFunctionArn != "arn:aws:lambda:us-east-1:123456789012:function:f" {
		t.Errorf("unqualified InvokedFunctionArn = %q", lc.InvokedFunctionArn)
	}
}

func TestContext_EnvironmentVariablesWithoutTouchingProcess(t *testing.T) {
	s, _ := newTestService(t, Options{Region: "eu-west-1"})
	seen := make(chan map[string]string, 1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "orders", MemorySize: 256, Handler: Handler(func(ctx context.Context) error {
		m := map[string]string{}
		for _, kv := range Environ(ctx) {
			k, v, _ := strings.Cut(kv, "=")
			m[k] = v
		}
		if Getenv(ctx, "TABLE") != m["TABLE"] {
			t.Error("Getenv and Environ disagree")
		}
		seen <- m
		return nil
	}), Environment: &Environment{Variables: map[string]string{"TABLE": "orders-prod"}}})
	invoke(t, s, &InvokeInput{FunctionName: "orders"})
	env := <-seen
	for k, want := range map[string]string{
		"TABLE":                           "orders-prod",
		"AWS_LAMBDA_FUNCTION_NAME":        "orders",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/orders",
		"AWS_REGION":                      "eu-west-1",
		"AWS_DEFAULT_REGION":              "eu-west-1",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"LAMBDA_TASK_ROOT":                "/var/task",
		"TZ":                              ":UTC",
	} {
		if env[k] != want {
			t.Errorf("%s = %q, want %q", k, env[k], want)
		}
	}
	if !strings.HasPrefix(env["AWS_LAMBDA_LOG_STREAM_NAME"], "2025/01/01/[$LATEST]") || len(env["AWS_LAMBDA_LOG_STREAM_NAME"]) != len("2025/01/01/[$LATEST]")+32 {
		t.Errorf("log stream = %q", env["AWS_LAMBDA_LOG_STREAM_NAME"])
	}
	if !strings.HasPrefix(env["_X_AMZN_TRACE_ID"], "Root=1-") {
		t.Errorf("trace id = %q", env["_X_AMZN_TRACE_ID"])
	}
	if _, ok := os.LookupEnv("AWS_LAMBDA_FUNCTION_NAME"); ok {
		t.Error("the process environment was changed")
	}
	if Getenv(context.Background(), "AWS_LAMBDA_FUNCTION_NAME") != "" {
		t.Error("outside an invocation Getenv should read the (unset) process variable")
	}
}

func TestContext_DeadlineAndValues(t *testing.T) {
	s, _ := newTestService(t, Options{})
	type seenT struct {
		deadline time.Time
		value    any
		err      error
	}
	seen := make(chan seenT, 1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Timeout: 10, Handler: Handler(func(ctx context.Context) error {
		dl, _ := ctx.Deadline()
		child, cancel := context.WithCancel(ctx)
		defer cancel()
		seen <- seenT{dl, child.Value(ctxKey{}), child.Err()}
		return nil
	})})
	ctx := context.WithValue(context.Background(), ctxKey{}, "trace-1")
	if _, err := s.Invoke(ctx, &InvokeInput{FunctionName: "f"}); err != nil {
		t.Fatal(err)
	}
	got := <-seen
	if !got.deadline.Equal(epoch.Add(10*time.Second)) || got.value != "trace-1" || got.err != nil {
		t.Fatalf("seen %+v", got)
	}
}

func TestContext_ChildContextsFollowTheDeadline(t *testing.T) {
	s, c := newTestService(t, Options{})
	errc := make(chan error, 1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Timeout: 1, Handler: Handler(func(ctx context.Context) error {
		child, cancel := context.WithCancel(ctx)
		defer cancel()
		<-child.Done()
		errc <- child.Err()
		return nil
	})})
	done := make(chan struct{})
	go func() { invoke(t, s, &InvokeInput{FunctionName: "f"}); close(done) }()
	waitFor(t, c, 1)
	c.Advance(time.Second)
	<-done
	if err := <-errc; err != context.DeadlineExceeded {
		t.Fatalf("child err = %v, want DeadlineExceeded", err)
	}
}

// TestContext_HookFeedsLambdacontext shows the hook a user installs to
// give a handler written against aws-lambda-go's lambdacontext the same
// values: here a stand-in key plays lambdacontext's.
func TestContext_HookFeedsLambdacontext(t *testing.T) {
	type lambdacontextKey struct{}
	s, _ := newTestService(t, Options{ContextHook: func(ctx context.Context, lc *LambdaContext) context.Context {
		return context.WithValue(ctx, lambdacontextKey{}, lc.AwsRequestID)
	}})
	seen := make(chan [2]string, 1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context) error {
		lc, _ := FromContext(ctx)
		id, _ := ctx.Value(lambdacontextKey{}).(string)
		seen <- [2]string{id, lc.AwsRequestID}
		return nil
	})})
	invoke(t, s, &InvokeInput{FunctionName: "f"})
	got := <-seen
	if got[0] == "" || got[0] != got[1] {
		t.Fatalf("hook saw %q, FromContext %q", got[0], got[1])
	}
}

func TestContext_NewContextForDirectCalls(t *testing.T) {
	ctx := NewContext(context.Background(), &LambdaContext{AwsRequestID: "req"})
	lc, ok := FromContext(ctx)
	if !ok || lc.AwsRequestID != "req" {
		t.Fatalf("lc = %+v", lc)
	}
	if _, ok := FromContext(context.Background()); ok {
		t.Fatal("FromContext found a context in Background")
	}
	if Logger(context.Background()) != slog.Default() || LogWriter(context.Background()) != os.Stderr || TmpFS(context.Background()) != nil || TmpDir(context.Background()) != "" {
		t.Fatal("outside an invocation the helpers fall back to the process")
	}
}

func TestContext_HandlerLogsAreTaggedAndForwarded(t *testing.T) {
	buf := &logBuffer{}
	s, _ := newTestService(t, Options{Logger: slog.New(buf)})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context) error {
		Logger(ctx).With("order", "o-1").WithGroup("pay").Warn("slow card", "ms", 900)
		LogWriter(ctx).Write([]byte("line one\nline two\n"))
		return nil
	})})
	out := invoke(t, s, &InvokeInput{FunctionName: "f", LogType: LogTypeTail})
	tail, _ := base64.StdEncoding.DecodeString(out.LogResult)
	if !strings.Contains(string(tail), "WARN slow card order=o-1 pay.ms=900") {
		t.Fatalf("tail = %s", tail)
	}
	got := buf.text()
	for _, want := range []string{"slow card", "line one", "line two", "START RequestId: ", "END RequestId: ", "REPORT RequestId: "} {
		if !strings.Contains(got, want) {
			t.Errorf("logger lacks %q:\n%s", want, got)
		}
	}
	buf.mu.Lock()
	defer buf.mu.Unlock()
	for i, l := range buf.lines {
		if strings.HasPrefix(l, "INIT_START") {
			continue
		}
		a := buf.attrs[i]
		if a["function"] != "f" || a["version"] != "$LATEST" || a["requestId"] == "" || a["logStream"] == "" {
			t.Errorf("line %q attrs %v", l, a)
		}
	}
}
