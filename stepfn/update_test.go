package stepfn

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

const (
	oldDef = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"Next":"P"},
		"P":{"Type":"Pass","Parameters":{"v":"old","role.$":"$$.Execution.RoleArn"},"End":true}}}`
	newDef  = `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v":"new","role.$":"$$.Execution.RoleArn"},"End":true}}}`
	newRole = "arn:aws:iam::123456789012:role/updated"
)

func TestUpdateStateMachine_RunningExecutionsKeepTheirDefinitionAndRole(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	sm := mustCreate(t, s, "orders", oldDef, "")
	before := mustStart(t, s, sm, "before", `{}`)
	if err := c.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Second)
	out, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm, Definition: newDef, RoleArn: newRole})
	if err != nil {
		t.Fatal(err)
	}
	if !out.UpdateDate.Equal(epoch.Add(time.Second)) || len(out.RevisionId) != 36 || out.StateMachineVersionArn != "" {
		t.Fatalf("update output %+v", out)
	}
	after := mustStart(t, s, sm, "after", `{}`)
	got, err := s.WaitExecution(ctx, after)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"role":"` + newRole + `","v":"new"}`; got.Output != want {
		t.Errorf("new execution output %s, want %s", got.Output, want)
	}
	c.Advance(time.Minute)
	got, err = s.WaitExecution(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"role":"` + testRole + `","v":"old"}`; got.Output != want {
		t.Errorf("running execution output %s, want %s", got.Output, want)
	}
	d, err := s.DescribeStateMachine(ctx, sm)
	if err != nil {
		t.Fatal(err)
	}
	if d.Definition != newDef || d.RoleArn != newRole || d.RevisionId != out.RevisionId || d.LoggingConfiguration.Level != LogLevelOff {
		t.Errorf("describe %+v", d)
	}
	// Creating again with the first definition no longer matches.
	_, err = s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "orders", Definition: oldDef, RoleArn: testRole})
	wantCode(t, err, "StateMachineAlreadyExists")
}

func TestUpdateStateMachine_RecordsLoggingAndTracing(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	sm := mustCreate(t, s, "logged", passDef, "")
	logGroup := "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*"
	first, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm,
		LoggingConfiguration: &LoggingConfiguration{Level: LogLevelError, IncludeExecutionData: true, Destinations: []LogDestination{{logGroup}}}})
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm, TracingConfiguration: &TracingConfiguration{Enabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	if first.RevisionId == second.RevisionId {
		t.Errorf("two updates share revision %s", first.RevisionId)
	}
	d, _ := s.DescribeStateMachine(ctx, sm)
	l := d.LoggingConfiguration
	if l.Level != LogLevelError || !l.IncludeExecutionData || len(l.Destinations) != 1 || l.Destinations[0].CloudWatchLogsLogGroupArn != logGroup ||
		!d.TracingConfiguration.Enabled || d.Definition != passDef || d.RoleArn != testRole {
		t.Fatalf("describe %+v", d)
	}
}

func TestUpdateStateMachine_RejectsWhatAWSRejectsWithoutChangingAnything(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	sm := mustCreate(t, s, "std", passDef, "")
	express := mustCreate(t, s, "fast", passDef, TypeExpress)
	deleting := mustCreate(t, s, "going", waitDef, "")
	mustStart(t, s, deleting, "holds-it", `{}`)
	if err := s.DeleteStateMachine(ctx, deleting); err != nil {
		t.Fatal(err)
	}
	callback := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}`
	logs := func(level string, arns ...string) *LoggingConfiguration {
		l := &LoggingConfiguration{Level: level}
		for _, a := range arns {
			l.Destinations = append(l.Destinations, LogDestination{a})
		}
		return l
	}
	good := "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*"
	cases := []struct {
		name string
		in   UpdateStateMachineInput
		code string
		msg  string
	}{
		{"nothing to change", UpdateStateMachineInput{StateMachineArn: sm}, "MissingRequiredParameter", "must be specified"},
		{"no arn", UpdateStateMachineInput{Definition: passDef}, "ValidationException", "stateMachineArn"},
		{"bad arn", UpdateStateMachineInput{StateMachineArn: "orders", Definition: passDef}, "InvalidArn", "Invalid ARN prefix"},
		{"unknown machine", UpdateStateMachineInput{StateMachineArn: sm + "x", Definition: passDef}, "StateMachineDoesNotExist", ""},
		{"being deleted", UpdateStateMachineInput{StateMachineArn: deleting, Definition: passDef}, "StateMachineDeleting", ""},
		{"bad definition", UpdateStateMachineInput{StateMachineArn: sm, Definition: `{"StartAt":"X","States":{}}`}, "InvalidDefinition", ""},
		{"express rules", UpdateStateMachineInput{StateMachineArn: express, Definition: callback}, "InvalidDefinition", "Express"},
		{"bad role", UpdateStateMachineInput{StateMachineArn: sm, RoleArn: "role/x"}, "InvalidArn", ""},
		{"bad level", UpdateStateMachineInput{StateMachineArn: sm, LoggingConfiguration: logs("DEBUG")}, "ValidationException", "loggingConfiguration.level"},
		{"level without destination", UpdateStateMachineInput{StateMachineArn: sm, LoggingConfiguration: logs(LogLevelAll)}, "InvalidLoggingConfiguration", "exactly one"},
		{"two destinations", UpdateStateMachineInput{StateMachineArn: sm, LoggingConfiguration: logs(LogLevelAll, good, good)}, "InvalidLoggingConfiguration", "exactly one"},
		{"not a log group", UpdateStateMachineInput{StateMachineArn: sm, LoggingConfiguration: logs(LogLevelAll, "arn:aws:s3:::bucket")}, "InvalidLoggingConfiguration", "log group"},
		{"description without publish", UpdateStateMachineInput{StateMachineArn: sm, Definition: passDef, VersionDescription: "v2"}, "ValidationException", "publish"},
		{"long version description", UpdateStateMachineInput{StateMachineArn: sm, Definition: passDef, Publish: true, VersionDescription: strings.Repeat("d", 257)}, "ValidationException", "versionDescription"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.UpdateStateMachine(ctx, &tc.in)
			wantCode(t, err, tc.code)
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message %q lacks %q", err, tc.msg)
			}
		})
	}
	for _, arn := range []string{sm, express} {
		d, err := s.DescribeStateMachine(ctx, arn)
		if err != nil || d.Definition != passDef || d.RoleArn != testRole || d.RevisionId != "" {
			t.Errorf("after refused updates: %+v %v", d, err)
		}
	}
}
