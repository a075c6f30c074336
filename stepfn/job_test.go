package stepfn

import (
	"context"
	"encoding/json"
	"testing"
	"testing/synctest"
	"time"
)

// batchJobs is a fake job service: a job started by Invoke ends after
// its "minutes" on the clock, or never when it has none.
func batchJobs(waits *int) Job {
	return Job{
		Start: func(ctx context.Context, input []byte) ([]byte, error) {
			var in struct{ JobName string }
			if err := json.Unmarshal(input, &in); err != nil || in.JobName == "" {
				return nil, &TaskError{Name: "Batch.ClientException", Cause: "JobName is required"}
			}
			return []byte(`{"JobId":"job-1","JobName":"` + in.JobName + `"}`), nil
		},
		WaitDone: func(ctx context.Context, started []byte) ([]byte, error) {
			*waits++
			var s struct {
				JobID string `json:"JobId"`
			}
			_ = json.Unmarshal(started, &s)
			select {
			case <-time.After(10 * time.Minute):
				return []byte(`{"JobId":"` + s.JobID + `","Status":"SUCCEEDED"}`), nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		},
	}
}

func TestJobResource_RequestResponseStartsAndSyncWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		s := newTestService(t, Options{})
		waits := 0
		s.RegisterResource("arn:aws:states:::batch:submitJob", batchJobs(&waits))
		def := `{"StartAt":"Submit","States":{
			"Submit":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob","Parameters":{"JobName":"nightly"},"ResultPath":"$.submitted","Next":"Run"},
			"Run":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","Parameters":{"JobName":"nightly"},"ResultPath":"$.done","End":true}}}`
		sm := mustCreate(t, s, "jobs", def, "")
		ex := mustStart(t, s, sm, "run-1", `{}`)
		d, err := s.WaitExecution(ctx, ex)
		if err != nil || d.Status != StatusSucceeded {
			t.Fatalf("execution %+v, %v", d, err)
		}
		want := `{"done":{"JobId":"job-1","Status":"SUCCEEDED"},"submitted":{"JobId":"job-1","JobName":"nightly"}}`
		if d.Output != want {
			t.Errorf("output %s, want %s", d.Output, want)
		}
		if waits != 1 {
			t.Errorf("Wait called %d times, want 1 (only the .sync Task waits)", waits)
		}
		if took := d.StopDate.Sub(d.StartDate); took != 10*time.Minute {
			t.Errorf("execution took %v, want the job's 10 minutes", took)
		}
	})
}

func TestJobResource_SyncTimeoutCoversTheWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newTestService(t, Options{})
		waits := 0
		s.RegisterResource("arn:aws:states:::batch:submitJob", batchJobs(&waits))
		def := `{"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","Parameters":{"JobName":"slow"},"TimeoutSeconds":60,"End":true}}}`
		ex := mustStart(t, s, mustCreate(t, s, "jobs", def, ""), "run-1", `{}`)
		d, err := s.WaitExecution(context.Background(), ex)
		if err != nil || d.Status != StatusFailed || d.Error != ErrorTimeout {
			t.Fatalf("execution %+v, %v", d, err)
		}
	})
}

func TestJobResource_StartErrorFailsTheTask(t *testing.T) {
	s := newTestService(t, Options{})
	waits := 0
	s.RegisterResource("arn:aws:states:::batch:submitJob", batchJobs(&waits))
	def := `{"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","End":true}}}`
	ex := mustStart(t, s, mustCreate(t, s, "jobs", def, ""), "run-1", `{}`)
	d, err := s.WaitExecution(context.Background(), ex)
	if err != nil || d.Status != StatusFailed || d.Error != "Batch.ClientException" || waits != 0 {
		t.Fatalf("execution %+v, %v, waits %d", d, err, waits)
	}
}
