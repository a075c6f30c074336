package stepfn

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/minicloud/minicloud/internal/awserr"
)

// Errors of the activity API.
var (
	// ErrActivityDoesNotExist is ActivityDoesNotExist: no activity has
	// that ARN.
	ErrActivityDoesNotExist = awserr.New("ActivityDoesNotExist", 400, "")
	// ErrActivityLimitExceeded is ActivityLimitExceeded: the account
	// holds the maximum number of activities (Limits.MaxActivities).
	ErrActivityLimitExceeded = awserr.New("ActivityLimitExceeded", 400, "")
	// ErrActivityWorkerLimitExceeded is ActivityWorkerLimitExceeded: too
	// many GetActivityTask calls are waiting on one activity at once
	// (Limits.MaxActivityPollers).
	ErrActivityWorkerLimitExceeded = awserr.New("ActivityWorkerLimitExceeded", 400, "")
)

// Quotas of the activity calls, from the GetActivityTask page of the Step
// Functions API Reference.
const (
	// activityPollTime is how long GetActivityTask waits for a task
	// before it answers with no task: 60 seconds.
	activityPollTime = 60 * time.Second
	// maxWorkerName is the longest workerName: 80 characters.
	maxWorkerName = 80
)

// activity is a created activity: a queue of scheduled tasks that workers
// take with GetActivityTask.
type activity struct {
	arn, name string
	created   time.Time
	queue     []*activityTask // scheduled, not yet taken, oldest first
	pollers   int
	wake      chan struct{} // closed when a task is queued or the activity deleted
	deleted   bool
	tags      []Tag
}

// activityTask is one scheduled attempt of a Task state whose Resource is
// an activity.
type activityTask struct {
	token string
	input string
	taken chan string // the worker name, once a worker takes it
}

// isActivityArn reports whether a Task's Resource names an activity:
// arn:aws:states:<region>:<account>:activity:<name>.
func isActivityArn(arn string) bool {
	parts := strings.SplitN(arn, ":", 7)
	return len(parts) == 7 && parts[0] == "arn" && parts[2] == "states" && parts[3] != "" && parts[5] == "activity"
}

func (s *Service) activityArn(name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:activity:%s", s.region, s.account, name)
}

// CreateActivityInput is the request of CreateActivity.
type CreateActivityInput struct {
	// Name of the activity: 1 to 80 characters, under the same rules as a
	// state machine's name. Required.
	Name string
	// Tags to put on the activity: at most 50. A repeated call ignores
	// them, as on AWS.
	Tags []Tag
}

// CreateActivityOutput is the response of CreateActivity.
type CreateActivityOutput struct {
	ActivityArn  string
	CreationDate time.Time
}

// CreateActivity creates an activity: a queue of tasks that a Task state
// naming its ARN schedules and that workers outside Step Functions take
// with [Service.GetActivityTask]. It is idempotent, as on AWS: creating
// an activity that exists returns it unchanged. Past Limits.MaxActivities
// it fails with ActivityLimitExceeded.
func (s *Service) CreateActivity(ctx context.Context, in *CreateActivityInput) (*CreateActivityOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !validName(in.Name) {
		return nil, ErrInvalidName.Newf("Invalid Name: '%s'", in.Name)
	}
	if err := checkTags(in.Tags, "tags"); err != nil {
		return nil, err
	}
	tags, err := mergeTags(nil, in.Tags, s.activityArn(in.Name))
	if err != nil {
		return nil, err
	}
	arn := s.activityArn(in.Name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	if a, ok := s.activities[arn]; ok {
		return &CreateActivityOutput{ActivityArn: arn, CreationDate: a.created}, nil
	}
	if len(s.activities) >= s.limits.MaxActivities {
		return nil, ErrActivityLimitExceeded.Newf("Activity limit exceeded: %d activities exist, the maximum is %d", len(s.activities), s.limits.MaxActivities)
	}
	if s.activities == nil {
		s.activities = map[string]*activity{}
	}
	a := &activity{arn: arn, name: in.Name, created: s.clock.Now(), wake: make(chan struct{}), tags: tags}
	s.activities[arn] = a
	return &CreateActivityOutput{ActivityArn: arn, CreationDate: a.created}, nil
}

// DescribeActivityOutput is the response of DescribeActivity.
type DescribeActivityOutput struct {
	ActivityArn  string
	Name         string
	CreationDate time.Time
}

// DescribeActivity returns an activity's name and creation date, or
// ActivityDoesNotExist.
func (s *Service) DescribeActivity(ctx context.Context, activityArn string) (*DescribeActivityOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkArn(activityArn, "activity"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.activities[activityArn]
	if !ok {
		return nil, activityMissing(activityArn)
	}
	return &DescribeActivityOutput{ActivityArn: a.arn, Name: a.name, CreationDate: a.created}, nil
}

func activityMissing(arn string) error {
	return ErrActivityDoesNotExist.Newf("Activity Does Not Exist: '%s'", arn)
}

// DeleteActivity deletes an activity. Workers waiting in GetActivityTask
// get an empty answer; Tasks still waiting on it go on waiting until
// their timeout. Deleting an activity that does not exist succeeds.
func (s *Service) DeleteActivity(ctx context.Context, activityArn string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkArn(activityArn, "activity"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.activities[activityArn]
	if !ok {
		return nil
	}
	delete(s.activities, activityArn)
	a.deleted = true
	close(a.wake)
	return nil
}

// ActivityListItem is one activity of ListActivities.
type ActivityListItem struct {
	ActivityArn  string
	Name         string
	CreationDate time.Time
}

// ListActivitiesInput is the request of ListActivities.
type ListActivitiesInput struct {
	// MaxResults is the page size, 1 to 1,000; 0 means 100.
	MaxResults int
	// NextToken continues a previous call.
	NextToken string
}

// ListActivitiesOutput is the response of ListActivities.
type ListActivitiesOutput struct {
	Activities []ActivityListItem
	NextToken  string
}

// ListActivities lists the activities by name.
func (s *Service) ListActivities(ctx context.Context, in *ListActivitiesInput) (*ListActivitiesOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	items := make([]ActivityListItem, 0, len(s.activities))
	for _, a := range s.activities {
		items = append(items, ActivityListItem{ActivityArn: a.arn, Name: a.name, CreationDate: a.created})
	}
	s.mu.Unlock()
	slices.SortFunc(items, func(a, b ActivityListItem) int { return strings.Compare(a.Name, b.Name) })
	items, next, err := page(items, size, in.NextToken, "activities")
	if err != nil {
		return nil, err
	}
	return &ListActivitiesOutput{Activities: items, NextToken: next}, nil
}

// GetActivityTaskInput is the request of GetActivityTask.
type GetActivityTaskInput struct {
	// ActivityArn names the activity. Required.
	ActivityArn string
	// WorkerName names the worker in the ActivityStarted event, up to 80
	// characters.
	WorkerName string
}

// GetActivityTaskOutput is the response of GetActivityTask: the task
// token to answer with SendTaskSuccess, SendTaskFailure and
// SendTaskHeartbeat, and the Task's input as JSON. Both are empty when no
// task came within 60 seconds.
type GetActivityTaskOutput struct {
	TaskToken string
	Input     string
}

// GetActivityTask takes the oldest task scheduled on an activity. When
// none is waiting it long-polls, as AWS does: it waits on the clock for
// up to 60 seconds for a Task state to schedule one, and then answers
// with an empty TaskToken. It returns ctx's error when ctx ends first.
// More than Limits.MaxActivityPollers calls waiting on one activity fail
// with ActivityWorkerLimitExceeded; an unknown activity is
// ActivityDoesNotExist.
//
// The worker answers with [Service.SendTaskSuccess] or
// [Service.SendTaskFailure] and keeps a Task with HeartbeatSeconds alive
// with [Service.SendTaskHeartbeat].
func (s *Service) GetActivityTask(ctx context.Context, in *GetActivityTaskInput) (*GetActivityTaskOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkArn(in.ActivityArn, "activity"); err != nil {
		return nil, err
	}
	if len(in.WorkerName) > maxWorkerName {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'workerName' failed to satisfy constraint: Member must have length less than or equal to %d", maxWorkerName)
	}
	s.mu.Lock()
	a, ok := s.activities[in.ActivityArn]
	switch {
	case !ok:
		s.mu.Unlock()
		return nil, activityMissing(in.ActivityArn)
	case a.pollers >= s.limits.MaxActivityPollers:
		s.mu.Unlock()
		return nil, ErrActivityWorkerLimitExceeded.Newf("Activity Worker Limit Exceeded: %d workers are polling '%s', the maximum is %d", a.pollers, a.arn, s.limits.MaxActivityPollers)
	}
	a.pollers++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		a.pollers--
		s.mu.Unlock()
	}()

	var timer interface {
		C() <-chan time.Time
		Stop() bool
	}
	for {
		s.mu.Lock()
		if len(a.queue) > 0 {
			t := a.queue[0]
			a.queue = a.queue[1:]
			s.mu.Unlock()
			if timer != nil {
				timer.Stop()
			}
			t.taken <- in.WorkerName
			return &GetActivityTaskOutput{TaskToken: t.token, Input: t.input}, nil
		}
		wake, gone := a.wake, a.deleted || s.shut
		s.mu.Unlock()
		if gone {
			return &GetActivityTaskOutput{}, nil
		}
		if timer == nil {
			timer = s.clock.NewTimer(activityPollTime)
		}
		select {
		case <-wake:
		case <-timer.C():
			return &GetActivityTaskOutput{}, nil
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-s.rootCtx.Done():
			timer.Stop()
			return &GetActivityTaskOutput{}, nil
		}
	}
}

// schedule queues a task on the activity named by arn and wakes its
// pollers. It reports false when the activity does not exist.
func (s *Service) schedule(arn string, t *activityTask) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.activities[arn]
	if !ok {
		return false
	}
	a.queue = append(a.queue, t)
	close(a.wake)
	a.wake = make(chan struct{})
	return true
}

// unschedule takes back a task no worker has taken yet.
func (s *Service) unschedule(arn string, t *activityTask) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.activities[arn]; ok {
		if i := slices.Index(a.queue, t); i >= 0 {
			a.queue = slices.Delete(a.queue, i, i+1)
		}
	}
}
