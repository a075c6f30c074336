package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/minicloud/minicloud/lambda/runtimeapi"
)

// Process describes a function that is a program rather than a Go
// handler: the bootstrap of a custom runtime (provided.al2023), the entry
// point of a container image, or any executable that speaks the Lambda
// Runtime API — a Go binary whose main calls aws-lambda-go's lambda.Start
// runs unchanged. Pass it through [ProcessHandler].
type Process struct {
	// Command is the executable: a path, or a name looked up in PATH.
	// Required.
	Command string
	// Args are the arguments after the command.
	Args []string
	// Dir is the working directory and LAMBDA_TASK_ROOT (in Lambda,
	// /var/task, where the package is extracted). Default: the directory
	// of Command.
	Dir string
	// Env adds "KEY=value" entries to the process's environment after
	// Lambda's variables and the function's own (for a test: GOCOVERDIR,
	// GOTRACEBACK…). The process does not inherit minicloud's environment.
	Env []string
	// Handler is the function's Handler setting, which the runtime reads
	// in _HANDLER. Default: the base name of Command ("bootstrap").
	Handler string
}

// ProcessHandler returns the code of a function run as a separate
// process, one per execution environment, as Lambda runs a custom
// runtime:
//
//   - A new environment starts Command with Lambda's variables
//     (AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_VERSION,
//     AWS_LAMBDA_FUNCTION_MEMORY_SIZE, AWS_LAMBDA_LOG_GROUP_NAME,
//     AWS_LAMBDA_LOG_STREAM_NAME, AWS_REGION, AWS_DEFAULT_REGION, _HANDLER,
//     LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR, TZ=:UTC, AWS_EXECUTION_ENV for a
//     managed runtime) and the function's Environment, and with
//     AWS_LAMBDA_RUNTIME_API naming a loopback Runtime API of its own
//     (package runtimeapi). TMPDIR is the environment's /tmp directory.
//     The init phase ends when the process first asks for an event.
//   - Each invocation is handed to the process through that API; it ends
//     when the process has answered and asks for the next event. The
//     deadline it reads (Lambda-Runtime-Deadline-Ms) is on the service's
//     clock.
//   - At the timeout the process is killed and the invocation fails with
//     "Task timed out after N.NN seconds". A process that exits during an
//     invocation fails it with errorType Runtime.ExitError and "RequestId:
//     … Error: Runtime exited with error: exit status 1" (or keeps the
//     error it posted before exiting, as a panicking aws-lambda-go binary
//     does), and its environment is discarded; one that exits while idle
//     is discarded too. A failed init is the document posted to
//     /runtime/init/error, or Runtime.ExitError if the process exited, or
//     Runtime.InvalidEntrypoint if it could not start.
//   - Every line the process writes to stdout or stderr is a line of the
//     function's log, as in CloudWatch Logs.
//
// A Process whose Command cannot be found gives a Code whose Err says so,
// and CreateFunction refuses it.
func ProcessHandler(p Process) *Code {
	name := p.Handler
	if name == "" {
		name = filepath.Base(p.Command)
	}
	if p.Command == "" {
		return &Code{name: name, err: errors.New("Process.Command is required")}
	}
	path, err := exec.LookPath(p.Command)
	if err != nil {
		return &Code{name: name, err: err}
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	p.Command = path
	if p.Dir == "" {
		p.Dir = filepath.Dir(path)
	}
	p.Args = append([]string(nil), p.Args...)
	p.Env = append([]string(nil), p.Env...)
	return &Code{name: name, init: func(ctx context.Context) (invokeFunc, error) {
		st := stateOf(ctx)
		if st == nil || st.env == nil {
			return nil, errors.New("a process runs only in an execution environment")
		}
		rt, err := startProcess(ctx, p, st)
		if err != nil {
			return nil, err
		}
		return rt.invoke, nil
	}}
}

// procRuntime is the runtime process of one execution environment and
// the Runtime API it talks to.
type procRuntime struct {
	e      *environment
	api    *runtimeapi.Server
	cmd    *exec.Cmd
	out    *procOutput
	exited chan struct{} // closed once the process has been waited for
	once   sync.Once
}

// startProcess starts the process and waits for the end of its init
// phase. On failure everything it started is stopped.
func startProcess(ctx context.Context, p Process, st *invokeState) (*procRuntime, error) {
	e := st.env
	s := e.pool.s
	rt := &procRuntime{e: e, exited: make(chan struct{})}
	rt.api = runtimeapi.New(runtimeapi.Options{MaxResponse: s.limits.MaxResponsePayload})
	addr, err := rt.api.Listen()
	if err != nil {
		return nil, &FunctionError{ErrorType: "Runtime.Unknown", ErrorMessage: "cannot serve the Runtime API: " + err.Error()}
	}
	r, w, err := os.Pipe()
	if err != nil {
		rt.api.Close()
		return nil, &FunctionError{ErrorType: "Runtime.Unknown", ErrorMessage: "cannot capture the runtime's output: " + err.Error()}
	}
	cmd := exec.Command(p.Command, p.Args...)
	cmd.Dir = p.Dir
	cmd.Env = processEnv(e, p, addr)
	cmd.Stdout, cmd.Stderr = w, w
	rt.cmd = cmd
	rt.out = newProcOutput(r, w, e)
	rt.out.setLog(st.log)
	if err := cmd.Start(); err != nil {
		w.Close()
		r.Close()
		rt.api.Close()
		return nil, &FunctionError{ErrorType: "Runtime.InvalidEntrypoint", ErrorMessage: requestPrefix(st.initRequestID) + err.Error()}
	}
	go rt.out.pump()
	go rt.wait()
	e.stop = rt.stop

	err = rt.api.WaitInit(ctx)
	rt.out.flush()
	rt.out.setLog(nil)
	if err == nil {
		return rt, nil
	}
	rt.stop()
	var ie *runtimeapi.InitError
	var ee *runtimeapi.ExitError
	switch {
	case errors.As(err, &ie):
		return nil, resultError(&ie.Result)
	case errors.As(err, &ee):
		return nil, &FunctionError{ErrorType: "Runtime.ExitError", ErrorMessage: requestPrefix(st.initRequestID) + "Error: " + ee.Error(), exit: ee.Error()}
	}
	return nil, &FunctionError{ErrorType: "Runtime.Unknown", ErrorMessage: "init interrupted: " + err.Error()}
}

func requestPrefix(id string) string {
	if id == "" {
		return ""
	}
	return "RequestId: " + id + " "
}

// processEnv is the process's environment: the execution environment's
// variables with the real Runtime API address, then Process.Env.
func processEnv(e *environment, p Process, api string) []string {
	vars := make(map[string]string, len(e.vars)+4)
	for k, v := range e.vars {
		vars[k] = v
	}
	vars["AWS_LAMBDA_RUNTIME_API"] = api
	vars["LAMBDA_TASK_ROOT"] = p.Dir
	if dir := e.tmp.Path(); dir != "" {
		vars["TMPDIR"] = dir
	}
	// Lambda leaves AWS_EXECUTION_ENV unset for OS-only runtimes.
	if rt := e.pool.v.cfg.runtime; rt != "" && !strings.HasPrefix(rt, "provided") {
		vars["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + rt
	}
	env := make([]string, 0, len(vars)+len(p.Env))
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return append(env, p.Env...)
}

// wait reaps the process, tells the Runtime API, and discards the
// environment if it was idle (a busy one learns it from its invocation).
func (rt *procRuntime) wait() {
	err := rt.cmd.Wait()
	rt.api.Exit(err)
	close(rt.exited)
	rt.e.pool.evict(rt.e)
}

// stop kills the process if it still runs, closes the Runtime API and
// waits for the process to be reaped.
func (rt *procRuntime) stop() {
	rt.once.Do(func() {
		select {
		case <-rt.exited:
		default:
			rt.cmd.Process.Kill()
		}
		rt.api.Close()
		<-rt.exited
		rt.out.close()
	})
}

// invoke hands one invocation to the process.
func (rt *procRuntime) invoke(ctx context.Context, payload []byte, w io.Writer) ([]byte, io.Reader, error) {
	st := stateOf(ctx)
	if st == nil {
		return nil, nil, errors.New("a process runs only in an execution environment")
	}
	inv := &runtimeapi.Invocation{
		RequestID:          st.lc.AwsRequestID,
		InvokedFunctionArn: st.lc.InvokedFunctionArn,
		TraceID:            st.traceID(),
		Payload:            payload,
		Stream:             w,
	}
	inv.Deadline, _ = ctx.Deadline()
	if cc := st.lc.ClientContext; cc.Client != (ClientApplication{}) || len(cc.Env) > 0 || len(cc.Custom) > 0 {
		inv.ClientContext, _ = json.Marshal(cc)
	}
	if id := st.lc.Identity; id != (CognitoIdentity{}) {
		inv.CognitoIdentity, _ = json.Marshal(map[string]string{
			"cognitoIdentityId":     id.CognitoIdentityID,
			"cognitoIdentityPoolId": id.CognitoIdentityPoolID,
		})
	}
	rt.out.setLog(st.log)
	res, err := rt.api.Invoke(ctx, inv)
	if st.log != nil {
		// Without a log to write to, there is nothing to wait for.
		rt.out.flush()
	}
	rt.out.setLog(nil)

	var ee *runtimeapi.ExitError
	switch {
	case errors.As(err, &ee):
		x := &runtimeExit{status: ee.Error()}
		switch {
		case res == nil:
			x.doc = &FunctionError{ErrorType: "Runtime.ExitError", ErrorMessage: "RequestId: " + inv.RequestID + " Error: " + ee.Error()}
		case res.Error:
			x.doc = resultError(res)
		default:
			x.out = res.Payload
		}
		return nil, nil, x
	case err != nil:
		return nil, nil, err
	case res.Error:
		return nil, nil, resultError(res)
	}
	return res.Payload, nil, nil
}

// resultError is the function error of an error the runtime posted: its
// document as posted, its type from the header or the document.
func resultError(res *runtimeapi.Result) *FunctionError {
	fe := &FunctionError{FunctionError: FunctionErrorUnhandled, Payload: res.Payload}
	json.Unmarshal(res.Payload, fe)
	fe.Payload = res.Payload
	if res.ErrorType != "" {
		fe.ErrorType = res.ErrorType
	}
	return fe
}

// runtimeExit is what a process invocation returns when the process
// exited: the function error to report (nil if it answered before
// exiting) and how it exited.
type runtimeExit struct {
	doc    *FunctionError
	out    []byte
	status string
}

func (x *runtimeExit) Error() string { return x.status }

// evict discards an idle environment whose runtime process exited.
func (p *pool) evict(e *environment) {
	p.mu.Lock()
	found := false
	for _, list := range []*[]*environment{&p.idle, &p.provIdle} {
		for i, x := range *list {
			if x == e {
				*list = append((*list)[:i], (*list)[i+1:]...)
				found = true
				break
			}
		}
	}
	if !found || e.dead {
		p.mu.Unlock()
		return
	}
	e.idle = false
	p.removeLocked(e)
	refill := e.provisioned && !p.retired && p.provAlive < p.provTargetLocked()
	p.mu.Unlock()
	destroyEnv(e)
	if refill {
		p.fillProvisioned()
	}
}
