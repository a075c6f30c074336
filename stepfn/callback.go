package stepfn

import (
	"context"
	"encoding/base64"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/minicloud/minicloud/internal/awserr"
)

// ErrInvalidOutput is InvalidOutput: SendTaskSuccess was given an Output
// that is not JSON.
var ErrInvalidOutput = awserr.New("InvalidOutput", 400, "")

// Integration patterns, as the suffix of a Task's Resource names them.
const (
	// patternCallback (.waitForTaskToken) calls the service with a task
	// token and waits for SendTaskSuccess or SendTaskFailure.
	patternCallback = ".waitForTaskToken"
	// patternSync (.sync) starts a job and waits for it to end.
	patternSync = ".sync"
	// patternSync2 (.sync:2) is .sync whose result is parsed JSON.
	patternSync2 = ".sync:2"
)

// Quotas of the task-token calls, from the SendTaskSuccess,
// SendTaskFailure and SendTaskHeartbeat pages of the Step Functions API
// Reference.
const (
	// maxTaskTokenLength is the longest task token: 2,048 characters.
	maxTaskTokenLength = 2048
	// maxErrorLength is the longest Error of SendTaskFailure: 256.
	maxErrorLength = 256
	// maxCauseLength is the longest Cause of SendTaskFailure: 32,768.
	maxCauseLength = 32768
)

// integrationPattern splits an optimized integration's Resource
// (arn:aws:states:::service:action[.pattern]) into the ARN without its
// pattern and the pattern ("" for request-response).
func integrationPattern(resource string) (base, pattern string) {
	if !strings.HasPrefix(resource, "arn:") {
		return resource, ""
	}
	for _, p := range []string{patternSync2, patternSync, patternCallback} {
		if strings.HasSuffix(resource, p) {
			return strings.TrimSuffix(resource, p), p
		}
	}
	return resource, ""
}

// submitGuard records a Task's TaskSubmitted event from the goroutine of
// its resource, and never after the Task has ended.
type submitGuard struct {
	mu    sync.Mutex
	ended bool
	emit  func(output string)
}

// submitted records TaskSubmitted with the service's response.
func (g *submitGuard) submitted(output []byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.ended {
		g.emit(string(output))
	}
}

// end stops the guard from recording.
func (g *submitGuard) end() {
	g.mu.Lock()
	g.ended = true
	g.mu.Unlock()
}

// waitingTask is a .waitForTaskToken Task waiting for its callback.
type waitingTask struct {
	token string
	beat  atomic.Pointer[taskBeat]
	done  chan struct{}

	mu       sync.Mutex
	ended    bool
	finished bool
	output   []byte
	failure  *TaskError
	early    time.Time // a heartbeat sent before the Task's heartbeat line existed
}

// setBeat connects the Task's heartbeat line, passing on a heartbeat the
// worker sent before it existed (a worker may heartbeat the instant it
// holds the token).
func (w *waitingTask) setBeat(b *taskBeat) {
	w.mu.Lock()
	w.beat.Store(b)
	early := w.early
	w.mu.Unlock()
	if !early.IsZero() {
		b.sendAt(early)
	}
}

// heartbeat records a heartbeat sent at now.
func (w *waitingTask) heartbeat(now time.Time) {
	w.mu.Lock()
	b := w.beat.Load()
	if b == nil {
		w.early = now
	}
	w.mu.Unlock()
	if b != nil {
		b.sendAt(now)
	}
}

// newTaskToken makes the opaque token of one Task attempt. It names the
// execution, so that a token whose execution is gone is told apart from
// one that was never issued.
func (s *Service) newTaskToken(executionArn string) string {
	raw := "sfn1|" + executionArn + "|" + s.rnd.uuid()
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// parseTaskToken returns the execution a token belongs to.
func parseTaskToken(token string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", false
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 || parts[0] != "sfn1" || !strings.HasPrefix(parts[1], "arn:") {
		return "", false
	}
	return parts[1], true
}

// waitFor registers a Task's token until the Task ends.
func (s *Service) waitFor(token string) *waitingTask {
	w := &waitingTask{token: token, done: make(chan struct{})}
	s.mu.Lock()
	s.tokens[token] = w
	s.mu.Unlock()
	return w
}

// release forgets a Task's token: later calls with it answer
// TaskTimedOut, as AWS answers for a task that has ended.
func (s *Service) release(w *waitingTask) {
	w.mu.Lock()
	w.ended = true
	w.mu.Unlock()
	s.mu.Lock()
	delete(s.tokens, w.token)
	s.mu.Unlock()
}

// callback wraps the service call of a .waitForTaskToken Task: it calls
// res, records TaskSubmitted with its response, then waits for the
// token's SendTaskSuccess or SendTaskFailure. The heartbeat line of the
// Task is kept so that SendTaskHeartbeat reaches it.
func callback(res Resource, w *waitingTask, g *submitGuard, wrap func([]byte) []byte) Resource {
	return ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		if b, ok := ctx.Value(heartbeatKey{}).(*taskBeat); ok {
			w.setBeat(b)
		}
		out, err := res.Invoke(ctx, input)
		if err != nil {
			return nil, err
		}
		if len(strings.TrimSpace(string(out))) == 0 {
			out = []byte("null")
		}
		g.submitted(wrap(out))
		select {
		case <-w.done:
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.failure != nil {
				return nil, w.failure
			}
			return w.output, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
}

// SendTaskSuccessInput is the request of SendTaskSuccess.
type SendTaskSuccessInput struct {
	// TaskToken is the $$.Task.Token the Task handed out. Required, up to
	// 2,048 characters.
	TaskToken string
	// Output is the Task's JSON result, at most 256 KiB. Required.
	Output string
}

// SendTaskSuccessOutput is the response of SendTaskSuccess.
type SendTaskSuccessOutput struct{}

// SendTaskFailureInput is the request of SendTaskFailure.
type SendTaskFailureInput struct {
	// TaskToken is the $$.Task.Token the Task handed out. Required.
	TaskToken string
	// Error is the error name Retry and Catch see, up to 256
	// characters. Empty fails the Task with States.TaskFailed.
	Error string
	// Cause describes the failure, up to 32,768 characters.
	Cause string
}

// SendTaskFailureOutput is the response of SendTaskFailure.
type SendTaskFailureOutput struct{}

// SendTaskHeartbeatInput is the request of SendTaskHeartbeat.
type SendTaskHeartbeatInput struct {
	// TaskToken is the $$.Task.Token the Task handed out. Required.
	TaskToken string
}

// SendTaskHeartbeatOutput is the response of SendTaskHeartbeat.
type SendTaskHeartbeatOutput struct{}

// SendTaskSuccess completes the .waitForTaskToken Task that handed out
// the token, with Output as its result. A token that is not one Step
// Functions issued answers InvalidToken; the token of a Task that has
// ended (completed, failed, timed out, or its execution stopped)
// answers TaskTimedOut ("Provided task does not exist anymore"), so a
// token works once; a well-formed token of an execution the service does
// not know answers TaskDoesNotExist.
func (s *Service) SendTaskSuccess(ctx context.Context, in *SendTaskSuccessInput) (*SendTaskSuccessOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.Output == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null")
	}
	if len(in.Output) > s.limits.MaxPayloadSize {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to %d", s.limits.MaxPayloadSize)
	}
	w, err := s.lookupToken(in.TaskToken)
	if err != nil {
		return nil, err
	}
	v, jerr := decodeJSON([]byte(in.Output))
	if jerr != nil {
		return nil, ErrInvalidOutput.Newf("Invalid Output: '%s'", jerr.Error())
	}
	if err := s.complete(w, []byte(encodeJSON(v)), nil); err != nil {
		return nil, err
	}
	return &SendTaskSuccessOutput{}, nil
}

// SendTaskFailure fails the .waitForTaskToken Task that handed out the
// token with Error and Cause, which its Retry and Catch see. It answers
// the same errors as [Service.SendTaskSuccess].
func (s *Service) SendTaskFailure(ctx context.Context, in *SendTaskFailureInput) (*SendTaskFailureOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(in.Error) > maxErrorLength {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to %d", maxErrorLength)
	}
	if len(in.Cause) > maxCauseLength {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to %d", maxCauseLength)
	}
	w, err := s.lookupToken(in.TaskToken)
	if err != nil {
		return nil, err
	}
	name := in.Error
	if name == "" {
		name = ErrorTaskFailed
	}
	if err := s.complete(w, nil, &TaskError{Name: name, Cause: in.Cause}); err != nil {
		return nil, err
	}
	return &SendTaskFailureOutput{}, nil
}

// SendTaskHeartbeat reports that the worker holding the token is still
// working: the Task's HeartbeatSeconds count again from now. It answers
// the same errors as [Service.SendTaskSuccess].
func (s *Service) SendTaskHeartbeat(ctx context.Context, in *SendTaskHeartbeatInput) (*SendTaskHeartbeatOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w, err := s.lookupToken(in.TaskToken)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	over := w.ended || w.finished
	w.mu.Unlock()
	if over {
		return nil, taskGone()
	}
	w.heartbeat(s.clock.Now())
	return &SendTaskHeartbeatOutput{}, nil
}

func taskGone() error {
	return ErrTaskTimedOut.New("Task Timed Out: 'Provided task does not exist anymore'")
}

// lookupToken finds the waiting Task of a token.
func (s *Service) lookupToken(token string) (*waitingTask, error) {
	if token == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'taskToken' failed to satisfy constraint: Member must not be null")
	}
	if len(token) > maxTaskTokenLength {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length less than or equal to %d", maxTaskTokenLength)
	}
	arn, ok := parseTaskToken(token)
	if !ok {
		return nil, ErrInvalidToken.New("Invalid Token: 'Invalid token'")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.purgeLocked()
	if w, ok := s.tokens[token]; ok {
		return w, nil
	}
	if _, ok := s.execs[arn]; ok {
		return nil, taskGone()
	}
	return nil, ErrTaskDoesNotExist.New("Task Does Not Exist: 'Provided task does not exist'")
}

// complete hands a Task its callback result, once.
func (s *Service) complete(w *waitingTask, output []byte, failure *TaskError) error {
	w.mu.Lock()
	if w.ended || w.finished {
		w.mu.Unlock()
		return taskGone()
	}
	w.finished = true
	w.output, w.failure = output, failure
	close(w.done)
	w.mu.Unlock()
	s.mu.Lock()
	delete(s.tokens, w.token)
	s.mu.Unlock()
	return nil
}
