package stepfn

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

const (
	v1Def = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"old","End":true}}}`
	v2Def = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"new","End":true}}}`
	smArn = "arn:aws:states:us-east-1:123456789012:stateMachine:"
)

// runTo starts an execution of arn and waits for its end.
func runTo(t *testing.T, s *Service, arn string) *DescribeExecutionOutput {
	t.Helper()
	ctx := context.Background()
	out, err := s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.WaitExecution(ctx, out.ExecutionArn)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestVersions_FreezeTheRevisionTheyWerePublishedFrom(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	created, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "orders", Definition: v1Def, RoleArn: testRole,
		Publish: true, VersionDescription: "first"})
	if err != nil {
		t.Fatal(err)
	}
	sm, v1 := created.StateMachineArn, created.StateMachineVersionArn
	if v1 != smArn+"orders:1" {
		t.Fatalf("version ARN %q", v1)
	}
	c.Advance(time.Minute)
	upd, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm, Definition: v2Def, RoleArn: testRole + "2", Publish: true, VersionDescription: "second"})
	if err != nil {
		t.Fatal(err)
	}
	if upd.StateMachineVersionArn != smArn+"orders:2" || len(upd.RevisionId) != 36 {
		t.Fatalf("update: %+v", upd)
	}

	d1, err := s.DescribeStateMachine(ctx, v1)
	if err != nil {
		t.Fatal(err)
	}
	if d1.StateMachineArn != v1 || d1.Name != "orders" || d1.Definition != v1Def || d1.RoleArn != testRole || d1.Description != "first" ||
		d1.RevisionId != "" || !d1.CreationDate.Equal(epoch) || d1.Status != "ACTIVE" || d1.Type != TypeStandard {
		t.Errorf("version 1: %+v", d1)
	}
	d2, _ := s.DescribeStateMachine(ctx, upd.StateMachineVersionArn)
	if d2.Definition != v2Def || d2.RevisionId != upd.RevisionId || d2.Description != "second" || !d2.CreationDate.Equal(epoch.Add(time.Minute)) {
		t.Errorf("version 2: %+v", d2)
	}
	// A later update leaves both versions as they were.
	if _, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm, Definition: passDef}); err != nil {
		t.Fatal(err)
	}

	e := runTo(t, s, v1)
	if e.Output != `"old"` || e.StateMachineArn != sm || e.StateMachineVersionArn != v1 || e.StateMachineAliasArn != "" {
		t.Errorf("execution of version 1: %+v", e)
	}
	if e := runTo(t, s, sm); e.Output != "{}" || e.StateMachineVersionArn != "" {
		t.Errorf("execution of the latest revision: %+v", e)
	}
	hist, err := s.GetExecutionHistory(ctx, &GetExecutionHistoryInput{ExecutionArn: e.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if st := hist.Events[0].ExecutionStartedEventDetails; st.StateMachineVersionArn != v1 || st.RoleArn != testRole {
		t.Errorf("ExecutionStarted details %+v", st)
	}
	fe, err := s.DescribeStateMachineForExecution(ctx, &DescribeStateMachineForExecutionInput{ExecutionArn: e.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if fe.Definition != v1Def || fe.RoleArn != testRole || fe.StateMachineArn != sm || fe.Name != "orders" || !fe.UpdateDate.Equal(epoch) || fe.RevisionId != "" {
		t.Errorf("DescribeStateMachineForExecution %+v", fe)
	}
	_, err = s.DescribeStateMachine(ctx, sm+":9")
	wantCode(t, err, "StateMachineDoesNotExist")
	_, err = s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: sm + ":9"})
	wantCode(t, err, "StateMachineDoesNotExist")
}

func TestPublishStateMachineVersion_IsIdempotentAndChecksTheRevision(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	sm := mustCreate(t, s, "orders", v1Def, "")
	pub := func(rev string) (string, error) {
		out, err := s.PublishStateMachineVersion(ctx, &PublishStateMachineVersionInput{StateMachineArn: sm, RevisionId: rev, Description: "d"})
		if err != nil {
			return "", err
		}
		return out.StateMachineVersionArn, nil
	}
	first, err := pub("INITIAL")
	if err != nil || first != sm+":1" {
		t.Fatalf("first publish %q %v", first, err)
	}
	if again, err := pub(""); err != nil || again != first {
		t.Errorf("publishing an unchanged revision: %q %v, want %q", again, err, first)
	}
	upd, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm, Definition: v2Def})
	if err != nil {
		t.Fatal(err)
	}
	_, err = pub("INITIAL")
	wantCode(t, err, "ConflictException")
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 409 || !errors.Is(err, ErrConflict) {
		t.Errorf("conflict error %#v", err)
	}
	_, err = pub("0f4c6a8e-0000-4000-8000-000000000000")
	wantCode(t, err, "ConflictException")
	second, err := pub(upd.RevisionId)
	if err != nil || second != sm+":2" {
		t.Fatalf("second publish %q %v", second, err)
	}
	// An update that changes nothing keeps the revision, so publishing
	// through it returns the same version.
	same, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm, Definition: v2Def, Publish: true})
	if err != nil || same.RevisionId != upd.RevisionId || same.StateMachineVersionArn != second {
		t.Errorf("no-op update with publish: %+v %v", same, err)
	}
	// Numbers of deleted versions are not reused.
	if _, err := s.DeleteStateMachineVersion(ctx, &DeleteStateMachineVersionInput{StateMachineVersionArn: second}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm, Definition: passDef}); err != nil {
		t.Fatal(err)
	}
	if third, err := pub(""); err != nil || third != sm+":3" {
		t.Errorf("publish after a delete: %q %v", third, err)
	}

	cases := []struct {
		name string
		in   PublishStateMachineVersionInput
		code string
	}{
		{"no arn", PublishStateMachineVersionInput{}, "ValidationException"},
		{"not an arn", PublishStateMachineVersionInput{StateMachineArn: "orders"}, "InvalidArn"},
		{"a version arn", PublishStateMachineVersionInput{StateMachineArn: sm + ":1"}, "InvalidArn"},
		{"unknown", PublishStateMachineVersionInput{StateMachineArn: sm + "x"}, "StateMachineDoesNotExist"},
		{"long description", PublishStateMachineVersionInput{StateMachineArn: sm, Description: strings.Repeat("é", 257)}, "ValidationException"},
	}
	for _, tc := range cases {
		_, err := s.PublishStateMachineVersion(ctx, &tc.in)
		if code := errCode(err); code != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
}

func errCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestPublishStateMachineVersion_StopsAtTheVersionQuota(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch), Limits: Limits{MaxVersions: 2}})
	if s.Limits().MaxAliases != 100 || New(Options{}).Limits().MaxVersions != 1000 {
		t.Fatalf("default quotas %+v", s.Limits())
	}
	sm := mustCreate(t, s, "orders", v1Def, "")
	for i, def := range []string{v2Def, passDef, v1Def} {
		out, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm, Definition: def, Publish: true})
		if i < 2 {
			if err != nil {
				t.Fatal(err)
			}
			continue
		}
		wantCode(t, err, "ServiceQuotaExceededException")
		if out != nil {
			t.Errorf("output %+v with the error", out)
		}
		if d, _ := s.DescribeStateMachine(ctx, sm); d.Definition != passDef {
			t.Errorf("the refused update changed the definition to %s", d.Definition)
		}
	}
	// The current revision is published: publishing returns its version.
	if out, err := s.PublishStateMachineVersion(ctx, &PublishStateMachineVersionInput{StateMachineArn: sm}); err != nil || out.StateMachineVersionArn != sm+":2" {
		t.Errorf("publishing the published revision at the quota: %+v %v", out, err)
	}
	if _, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm, Definition: v1Def}); err != nil {
		t.Fatal(err)
	}
	_, err := s.PublishStateMachineVersion(ctx, &PublishStateMachineVersionInput{StateMachineArn: sm})
	wantCode(t, err, "ServiceQuotaExceededException")
}

func TestListStateMachineVersions_NewestFirstInPages(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	sm := mustCreate(t, s, "orders", v1Def, "")
	for i, def := range []string{v2Def, passDef, v1Def} {
		c.Advance(time.Second)
		if _, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm, Definition: def, Publish: true}); err != nil {
			t.Fatal(i, err)
		}
	}
	var got []string
	token := ""
	for {
		out, err := s.ListStateMachineVersions(ctx, &ListStateMachineVersionsInput{StateMachineArn: sm, MaxResults: 2, NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range out.StateMachineVersions {
			got = append(got, v.StateMachineVersionArn[len(sm):]+"@"+v.CreationDate.Sub(epoch).String())
		}
		if token = out.NextToken; token == "" {
			break
		}
	}
	if want := ":3@3s :2@2s :1@1s"; strings.Join(got, " ") != want {
		t.Errorf("versions %v, want %s", got, want)
	}
	_, err := s.ListStateMachineVersions(ctx, &ListStateMachineVersionsInput{StateMachineArn: sm, NextToken: "bogus"})
	wantCode(t, err, "InvalidToken")
	_, err = s.ListStateMachineVersions(ctx, &ListStateMachineVersionsInput{StateMachineArn: sm, MaxResults: 1001})
	wantCode(t, err, "ValidationException")
	none, err := s.ListStateMachineVersions(ctx, &ListStateMachineVersionsInput{StateMachineArn: sm + "x"})
	if err != nil || len(none.StateMachineVersions) != 0 {
		t.Errorf("unknown machine: %+v %v", none, err)
	}
}

func TestDeleteStateMachineVersion_RefusesAVersionAnAliasRoutesTo(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	out, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "orders", Definition: v1Def, RoleArn: testRole, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	v1 := out.StateMachineVersionArn
	al, err := s.CreateStateMachineAlias(ctx, &CreateStateMachineAliasInput{Name: "live", RoutingConfiguration: []RoutingConfigurationListItem{{v1, 100}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.DeleteStateMachineVersion(ctx, &DeleteStateMachineVersionInput{StateMachineVersionArn: v1})
	wantCode(t, err, "ConflictException")
	if !strings.Contains(err.Error(), al.StateMachineAliasArn) {
		t.Errorf("message %q does not name the alias", err)
	}
	if _, err := s.DeleteStateMachineAlias(ctx, &DeleteStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second delete finds nothing and succeeds
		if _, err := s.DeleteStateMachineVersion(ctx, &DeleteStateMachineVersionInput{StateMachineVersionArn: v1}); err != nil {
			t.Fatal(i, err)
		}
	}
	_, err = s.DescribeStateMachine(ctx, v1)
	wantCode(t, err, "StateMachineDoesNotExist")
	_, err = s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: v1})
	wantCode(t, err, "StateMachineDoesNotExist")
	_, err = s.DeleteStateMachineVersion(ctx, &DeleteStateMachineVersionInput{StateMachineVersionArn: out.StateMachineArn})
	wantCode(t, err, "InvalidArn")
	_, err = s.DeleteStateMachineVersion(ctx, &DeleteStateMachineVersionInput{})
	wantCode(t, err, "ValidationException")
}

func TestDeleteStateMachine_TakesItsVersionsAliasesAndTags(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	out, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "orders", Definition: v1Def, RoleArn: testRole, Publish: true,
		Tags: []Tag{{"team", "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	al, err := s.CreateStateMachineAlias(ctx, &CreateStateMachineAliasInput{Name: "live",
		RoutingConfiguration: []RoutingConfigurationListItem{{out.StateMachineVersionArn, 100}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteStateMachine(ctx, out.StateMachineArn); err != nil {
		t.Fatal(err)
	}
	_, err = s.DescribeStateMachine(ctx, out.StateMachineVersionArn)
	wantCode(t, err, "StateMachineDoesNotExist")
	_, err = s.DescribeStateMachineAlias(ctx, &DescribeStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	wantCode(t, err, "ResourceNotFound")
	_, err = s.ListTagsForResource(ctx, &ListTagsForResourceInput{ResourceArn: out.StateMachineArn})
	wantCode(t, err, "ResourceNotFound")
	again := mustCreate(t, s, "orders", v1Def, "")
	vs, err := s.ListStateMachineVersions(ctx, &ListStateMachineVersionsInput{StateMachineArn: again})
	if err != nil || len(vs.StateMachineVersions) != 0 {
		t.Errorf("versions of the new state machine: %+v %v", vs, err)
	}
}

func TestVersions_OfAnExpressMachineRunSynchronously(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	out, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "fast", Definition: v1Def, RoleArn: testRole, Type: TypeExpress, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: out.StateMachineArn, Definition: v2Def}); err != nil {
		t.Fatal(err)
	}
	run, err := s.StartSyncExecution(ctx, &StartExecutionInput{StateMachineArn: out.StateMachineVersionArn})
	if err != nil || run.Output != `"old"` || run.StateMachineArn != out.StateMachineArn {
		t.Fatalf("sync run of version 1: %+v %v", run, err)
	}
	_, err = s.DescribeStateMachineForExecution(ctx, &DescribeStateMachineForExecutionInput{ExecutionArn: run.ExecutionArn})
	wantCode(t, err, "StateMachineTypeNotSupported")

	std, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "slow", Definition: v1Def, RoleArn: testRole, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.StartSyncExecution(ctx, &StartExecutionInput{StateMachineArn: std.StateMachineVersionArn})
	wantCode(t, err, "StateMachineTypeNotSupported")
}

func TestCreateStateMachine_PublishRules(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	_, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "orders", Definition: v1Def, RoleArn: testRole, VersionDescription: "v"})
	wantCode(t, err, "ValidationException")
	first, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "orders", Definition: v1Def, RoleArn: testRole})
	if err != nil || first.StateMachineVersionArn != "" {
		t.Fatalf("create without publish: %+v %v", first, err)
	}
	// The idempotent repeat with publish publishes the current revision.
	again, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "orders", Definition: v1Def, RoleArn: testRole, Publish: true})
	if err != nil || again.StateMachineVersionArn != first.StateMachineArn+":1" {
		t.Fatalf("repeat with publish: %+v %v", again, err)
	}
}

func TestDescribeStateMachineForExecution_ReadsTheRevisionItStartedOn(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	sm := mustCreate(t, s, "orders", waitDef, "")
	exec := mustStart(t, s, sm, "one", "")
	c.Advance(time.Second)
	if _, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: sm, Definition: passDef}); err != nil {
		t.Fatal(err)
	}
	fe, err := s.DescribeStateMachineForExecution(ctx, &DescribeStateMachineForExecutionInput{ExecutionArn: exec})
	if err != nil {
		t.Fatal(err)
	}
	if fe.Definition != waitDef || !fe.UpdateDate.Equal(epoch) || fe.RevisionId != "" || fe.LoggingConfiguration.Level != LogLevelOff {
		t.Errorf("%+v", fe)
	}
	_, err = s.DescribeStateMachineForExecution(ctx, &DescribeStateMachineForExecutionInput{ExecutionArn: strings.Replace(exec, "one", "two", 1)})
	wantCode(t, err, "ExecutionDoesNotExist")
}
