package stepfn

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

// This file extends the conformance harness with activity workers and
// API Gateway endpoints.

// scriptedWorker polls an activity and answers its nth task as step n of
// its script says (the last step repeats): after some seconds, with
// heartbeats, SendTaskSuccess with Output or SendTaskFailure with Error
// and Cause, or never.
type scriptedWorker struct {
	mu     sync.Mutex
	steps  []scriptedCallback
	calls  int
	inputs []json.RawMessage
}

// work polls the activity until ctx ends.
func (w *scriptedWorker) work(ctx context.Context, s *Service, arn string) {
	for ctx.Err() == nil {
		task, err := s.GetActivityTask(ctx, &GetActivityTaskInput{ActivityArn: arn, WorkerName: "conformance-worker"})
		if err != nil || task.TaskToken == "" {
			continue
		}
		w.mu.Lock()
		step := w.steps[min(w.calls, len(w.steps)-1)]
		w.calls++
		w.inputs = append(w.inputs, json.RawMessage(task.Input))
		w.mu.Unlock()
		w.answer(ctx, s, task.TaskToken, step)
	}
}

func (w *scriptedWorker) answer(ctx context.Context, s *Service, token string, cb scriptedCallback) {
	if cb.Never {
		return
	}
	left := time.Duration(cb.After * float64(time.Second))
	for cb.HeartbeatEvery > 0 && left > 0 {
		step := min(left, time.Duration(cb.HeartbeatEvery*float64(time.Second)))
		time.Sleep(step)
		left -= step
		if left > 0 {
			if _, err := s.SendTaskHeartbeat(ctx, &SendTaskHeartbeatInput{TaskToken: token}); err != nil {
				return
			}
		}
	}
	time.Sleep(left)
	if cb.Output != nil {
		_, _ = s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: token, Output: string(cb.Output)})
		return
	}
	_, _ = s.SendTaskFailure(ctx, &SendTaskFailureInput{TaskToken: token, Error: cb.Error, Cause: cb.Cause})
}

// scriptedResponse is one answer of a scripted API behind an
// apigateway:invoke endpoint.
type scriptedResponse struct {
	Status      int             `json:"status"`
	ContentType string          `json:"contentType"`
	Body        json.RawMessage `json:"body"` // a JSON string is sent as its text
}

// scriptedAPI answers requests with its steps and records them as
// {"method", "path", "query", "body"} under "apigateway:<endpoint>".
func scriptedAPI(steps []scriptedResponse, rec *script) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen, _ := json.Marshal(map[string]any{"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery, "body": string(body)})
		rec.mu.Lock()
		st := steps[min(rec.calls, len(steps)-1)]
		rec.calls++
		rec.inputs = append(rec.inputs, seen)
		rec.mu.Unlock()
		if st.ContentType != "" {
			w.Header().Set("Content-Type", st.ContentType)
		}
		if st.Status != 0 {
			w.WriteHeader(st.Status)
		}
		var text string
		if json.Unmarshal(st.Body, &text) != nil {
			text = string(st.Body)
		}
		_, _ = io.WriteString(w, text)
	})
}

// withWorkers sets up a case's activities and API endpoints on a service
// about to be created, and returns what starts the workers. Worker calls
// and task inputs are recorded in scripts under "activity:<name>".
func withWorkers(c conformanceCase, opts *Options, scripts map[string]*script) func(ctx context.Context, s *Service, wg *sync.WaitGroup) {
	if len(c.APIGateway) > 0 {
		handlers := map[string]http.Handler{}
		for endpoint, steps := range c.APIGateway {
			rec := &script{}
			scripts["apigateway:"+endpoint] = rec
			handlers[endpoint] = scriptedAPI(steps, rec)
		}
		opts.APIGateway = func(endpoint string) (http.Handler, bool) {
			h, ok := handlers[endpoint]
			return h, ok
		}
	}
	return func(ctx context.Context, s *Service, wg *sync.WaitGroup) {
		for name, steps := range c.Activities {
			out, err := s.CreateActivity(ctx, &CreateActivityInput{Name: name})
			if err != nil {
				panic(err)
			}
			w := &scriptedWorker{steps: steps}
			rec := &script{}
			scripts["activity:"+name] = rec
			wg.Add(1)
			go func() {
				defer wg.Done()
				w.work(ctx, s, out.ActivityArn)
				w.mu.Lock()
				rec.calls, rec.inputs = w.calls, w.inputs
				w.mu.Unlock()
			}()
		}
	}
}
