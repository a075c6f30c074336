package lambda

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

// fakeRuntimeVar makes the test binary a custom runtime: TestMain runs
// fakeRuntime instead of the tests when it is set, so that process tests
// need nothing but the binary already built.
const fakeRuntimeVar = "MINICLOUD_FAKE_RUNTIME"

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakeRuntimeVar); mode != "" {
		os.Exit(fakeRuntime(mode))
	}
	os.Exit(m.Run())
}

// fakeProcess is a Process running the test binary as a runtime in mode.
func fakeProcess(t testing.TB, mode string) Process {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Process{Command: exe, Env: []string{fakeRuntimeVar + "=" + mode}, Handler: "bootstrap"}
}

// fakeRuntime is a Runtime API client in the spirit of aws-lambda-go's
// loop. Modes:
//
//	echo       answer {"event","env","headers","pid","count"}
//	error      post the error document {"errorMessage":"bad input","errorType":"ValidationError"}
//	exit       log a line and exit with status 3 mid-invocation
//	panic      post an error, then exit with status 2, as lambda.Start after a panic
//	hang       take the event and never answer
//	initerror  post to /init/error and exit with status 1
//	initexit   exit with status 1 before asking for an event
//	big        answer 64 KB, more than the quota of newProcessService
//	meet       GET the URL of {"url":…}, then answer {"pid":…}
//	stream     stream "first second" in two writes
//	greet      answer {"greeting":"hello, <name>"} to {"name":…}
func fakeRuntime(mode string) int {
	api := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/"
	fmt.Println("init", mode, "pid", os.Getpid())
	switch mode {
	case "initexit":
		fmt.Fprintln(os.Stderr, "cannot load configuration")
		return 1
	case "initerror":
		post(api+"init/error", "Runtime.ConfigError", `{"errorMessage":"missing TABLE_NAME","errorType":"Runtime.ConfigError"}`)
		return 1
	}
	count := 0
	for {
		resp, err := http.Get(api + "invocation/next")
		if err != nil || resp.StatusCode != 200 {
			return 0
		}
		event, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
		count++
		fmt.Printf("handling %s\n", id)
		fmt.Fprintf(os.Stderr, "stderr line %d\n", count)
		switch mode {
		case "echo":
			headers := map[string]string{}
			for k := range resp.Header {
				if strings.HasPrefix(k, "Lambda-Runtime-") {
					headers[k] = resp.Header.Get(k)
				}
			}
			env := map[string]string{}
			for _, kv := range os.Environ() {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
			b, _ := json.Marshal(map[string]any{"event": json.RawMessage(event), "env": env, "headers": headers, "pid": os.Getpid(), "count": count})
			post(api+"invocation/"+id+"/response", "", string(b))
		case "error":
			post(api+"invocation/"+id+"/error", "ValidationError", `{"errorMessage":"bad input","errorType":"ValidationError"}`)
		case "exit":
			fmt.Println("about to exit")
			return 3
		case "panic":
			post(api+"invocation/"+id+"/error", "", `{"errorMessage":"boom","errorType":"string","stackTrace":[]}`)
			return 2
		case "hang":
			select {}
		case "meet":
			// Wait at the test's rendezvous (a URL in the event), then
			// answer with the process ID.
			var in struct{ URL string }
			json.Unmarshal(event, &in)
			if r, err := http.Get(in.URL); err == nil {
				r.Body.Close()
			}
			post(api+"invocation/"+id+"/response", "", fmt.Sprintf(`{"pid":%d}`, os.Getpid()))
		case "stream":
			pr, pw := io.Pipe()
			go func() {
				io.WriteString(pw, "first ")
				io.WriteString(pw, "second")
				pw.Close()
			}()
			req, _ := http.NewRequest(http.MethodPost, api+"invocation/"+id+"/response", pr)
			req.Header.Set("Lambda-Runtime-Function-Response-Mode", "streaming")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		case "greet":
			var in struct{ Name string }
			json.Unmarshal(event, &in)
			b, _ := json.Marshal(map[string]string{"greeting": "hello, " + in.Name})
			post(api+"invocation/"+id+"/response", "", string(b))
		case "big":
			post(api+"invocation/"+id+"/response", "", `"`+strings.Repeat("x", 64<<10)+`"`)
		}
	}
}

func post(url, errType, body string) {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(body)))
	if errType != "" {
		req.Header.Set("Lambda-Runtime-Function-Error-Type", errType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
