package stepfn

import "context"

// JobResource is a resource that runs a job, for the integrations whose
// .sync pattern waits for one (AWS Batch submitJob, ECS runTask, Glue
// startJobRun, CodeBuild startBuild, an on-premises worker): Invoke
// starts the job and returns at once with what starting it answers,
// which is all a request-response Task gets; Wait blocks until the job
// that answer describes ends and returns its final description, which is
// what a .sync (or .sync:2) Task gets, or fails the Task with the job's
// error. Register one under the integration's ARN without the pattern
// (arn:aws:states:::batch:submitJob) and Tasks of both patterns find it.
//
// A .sync Task's TimeoutSeconds and HeartbeatSeconds cover the whole
// job, start and wait: the context passed to both methods ends when
// they expire, and [SendTaskHeartbeat] with it reports a heartbeat.
type JobResource interface {
	Resource
	Wait(ctx context.Context, started []byte) ([]byte, error)
}

// Job adapts two functions to [JobResource].
type Job struct {
	// Start starts the job; its answer goes to a request-response Task
	// and to Wait.
	Start func(ctx context.Context, input []byte) ([]byte, error)
	// WaitDone blocks until the started job ends and returns its final
	// description.
	WaitDone func(ctx context.Context, started []byte) ([]byte, error)
}

// Invoke calls Start.
func (j Job) Invoke(ctx context.Context, input []byte) ([]byte, error) { return j.Start(ctx, input) }

// Wait calls WaitDone.
func (j Job) Wait(ctx context.Context, started []byte) ([]byte, error) {
	return j.WaitDone(ctx, started)
}

// syncJob runs a JobResource for a .sync Task: start, then wait.
type syncJob struct{ job JobResource }

func (s syncJob) Invoke(ctx context.Context, input []byte) ([]byte, error) {
	started, err := s.job.Invoke(ctx, input)
	if err != nil {
		return nil, err
	}
	return s.job.Wait(ctx, started)
}
