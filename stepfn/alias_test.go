package stepfn

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// twoVersions makes a state machine "orders" with version 1 (v1Def) and
// version 2 (v2Def).
func twoVersions(t *testing.T, s *Service) (sm, v1, v2 string) {
	t.Helper()
	ctx := context.Background()
	out, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "orders", Definition: v1Def, RoleArn: testRole, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	upd, err := s.UpdateStateMachine(ctx, &UpdateStateMachineInput{StateMachineArn: out.StateMachineArn, Definition: v2Def, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	return out.StateMachineArn, out.StateMachineVersionArn, upd.StateMachineVersionArn
}

// splitRuns starts n executions through an alias and counts the outputs
// of each version.
func splitRuns(t *testing.T, seed uint64, n int) map[string]int {
	t.Helper()
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch), Rand: rand.NewPCG(seed, seed)})
	_, v1, v2 := twoVersions(t, s)
	al, err := s.CreateStateMachineAlias(ctx, &CreateStateMachineAliasInput{Name: "canary", Description: "70/30",
		RoutingConfiguration: []RoutingConfigurationListItem{{v1, 70}, {v2, 30}}})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for i := 0; i < n; i++ {
		d := runTo(t, s, al.StateMachineAliasArn)
		if d.StateMachineAliasArn != al.StateMachineAliasArn || (d.Output == `"old"`) != (d.StateMachineVersionArn == v1) {
			t.Fatalf("execution %d: %+v", i, d)
		}
		counts[d.Output]++
	}
	return counts
}

func TestAlias_RoutesExecutionsByWeightReproducibly(t *testing.T) {
	first := splitRuns(t, 7, 200)
	if first[`"old"`]+first[`"new"`] != 200 || first[`"old"`] < 120 || first[`"old"`] > 160 {
		t.Errorf("70/30 split over 200 runs: %v", first)
	}
	if again := splitRuns(t, 7, 200); again[`"old"`] != first[`"old"`] {
		t.Errorf("same seed, different split: %v then %v", first, again)
	}
}

func TestAlias_AWeightOfZeroGetsNothing(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	_, v1, v2 := twoVersions(t, s)
	al, err := s.CreateStateMachineAlias(ctx, &CreateStateMachineAliasInput{Name: "all-new",
		RoutingConfiguration: []RoutingConfigurationListItem{{v1, 0}, {v2, 100}}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if d := runTo(t, s, al.StateMachineAliasArn); d.StateMachineVersionArn != v2 {
			t.Fatalf("run %d went to %s", i, d.StateMachineVersionArn)
		}
	}
}

func TestCreateStateMachineAlias_Rules(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch), Limits: Limits{MaxAliases: 2}})
	sm, v1, v2 := twoVersions(t, s)
	other, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "other", Definition: passDef, RoleArn: testRole, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	one := []RoutingConfigurationListItem{{v1, 100}}
	cases := []struct {
		name   string
		in     CreateStateMachineAliasInput
		code   string
		inText string
	}{
		{"no name", CreateStateMachineAliasInput{RoutingConfiguration: one}, "ValidationException", "'name'"},
		{"digits only", CreateStateMachineAliasInput{Name: "123", RoutingConfiguration: one}, "ValidationException", "pattern"},
		{"space", CreateStateMachineAliasInput{Name: "a b", RoutingConfiguration: one}, "ValidationException", "pattern"},
		{"81 characters", CreateStateMachineAliasInput{Name: strings.Repeat("a", 81), RoutingConfiguration: one}, "ValidationException", "pattern"},
		{"long description", CreateStateMachineAliasInput{Name: "x", Description: strings.Repeat("d", 257), RoutingConfiguration: one}, "ValidationException", "description"},
		{"no routing", CreateStateMachineAliasInput{Name: "x"}, "ValidationException", "routingConfiguration"},
		{"empty routing", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{}}, "ValidationException", "1 or 2"},
		{"three versions", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{{v1, 50}, {v2, 25}, {v2, 25}}}, "ValidationException", "1 or 2"},
		{"sum below 100", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{{v1, 60}, {v2, 30}}}, "ValidationException", "equal to 100"},
		{"single at 50", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{{v1, 50}}}, "ValidationException", "equal to 100"},
		{"weight over 100", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{{v1, 101}, {v2, -1}}}, "ValidationException", "weight"},
		{"same version twice", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{{v1, 50}, {v1, 50}}}, "ValidationException", "twice"},
		{"two state machines", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{{v1, 50}, {other.StateMachineVersionArn, 50}}}, "ValidationException", "same state machine"},
		{"unqualified", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{{sm, 100}}}, "InvalidArn", ""},
		{"an alias", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{{sm + ":live", 100}}}, "InvalidArn", ""},
		{"not an arn", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{{"orders:1", 100}}}, "InvalidArn", ""},
		{"unknown version", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{{sm + ":9", 100}}}, "ResourceNotFound", ":9"},
		{"unknown machine", CreateStateMachineAliasInput{Name: "x", RoutingConfiguration: []RoutingConfigurationListItem{{smArn + "nope:1", 100}}}, "ResourceNotFound", ""},
	}
	for _, tc := range cases {
		_, err := s.CreateStateMachineAlias(ctx, &tc.in)
		if code := errCode(err); code != tc.code || !strings.Contains(err.Error(), tc.inText) {
			t.Errorf("%s: %v, want %s with %q", tc.name, err, tc.code, tc.inText)
		}
	}

	in := CreateStateMachineAliasInput{Name: "live", Description: "prod", RoutingConfiguration: one}
	first, err := s.CreateStateMachineAlias(ctx, &in)
	if err != nil || first.StateMachineAliasArn != sm+":live" || !first.CreationDate.Equal(epoch) {
		t.Fatalf("create: %+v %v", first, err)
	}
	if again, err := s.CreateStateMachineAlias(ctx, &in); err != nil || *again != *first {
		t.Errorf("idempotent create: %+v %v", again, err)
	}
	in.Description = "changed"
	_, err = s.CreateStateMachineAlias(ctx, &in)
	wantCode(t, err, "ConflictException")
	if _, err := s.CreateStateMachineAlias(ctx, &CreateStateMachineAliasInput{Name: "second", RoutingConfiguration: one}); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateStateMachineAlias(ctx, &CreateStateMachineAliasInput{Name: "third", RoutingConfiguration: one})
	wantCode(t, err, "ServiceQuotaExceededException")
}

func TestUpdateStateMachineAlias_ChangesDescriptionAndRouting(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	sm, v1, v2 := twoVersions(t, s)
	other, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "other", Definition: passDef, RoleArn: testRole, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	al, err := s.CreateStateMachineAlias(ctx, &CreateStateMachineAliasInput{Name: "live", Description: "prod", RoutingConfiguration: []RoutingConfigurationListItem{{v1, 100}}})
	if err != nil {
		t.Fatal(err)
	}
	arn := al.StateMachineAliasArn
	c.Advance(time.Hour)
	up, err := s.UpdateStateMachineAlias(ctx, &UpdateStateMachineAliasInput{StateMachineAliasArn: arn, RoutingConfiguration: []RoutingConfigurationListItem{{v2, 100}}})
	if err != nil || !up.UpdateDate.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("update: %+v %v", up, err)
	}
	d, err := s.DescribeStateMachineAlias(ctx, &DescribeStateMachineAliasInput{StateMachineAliasArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "live" || d.Description != "prod" || len(d.RoutingConfiguration) != 1 || d.RoutingConfiguration[0] != (RoutingConfigurationListItem{v2, 100}) ||
		!d.CreationDate.Equal(epoch) || !d.UpdateDate.Equal(epoch.Add(time.Hour)) || d.StateMachineAliasArn != arn {
		t.Errorf("describe %+v", d)
	}
	if e := runTo(t, s, arn); e.StateMachineVersionArn != v2 || e.Output != `"new"` {
		t.Errorf("execution after the update ran %+v", e)
	}
	empty := ""
	if _, err := s.UpdateStateMachineAlias(ctx, &UpdateStateMachineAliasInput{StateMachineAliasArn: arn, Description: &empty}); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.DescribeStateMachineAlias(ctx, &DescribeStateMachineAliasInput{StateMachineAliasArn: arn}); d.Description != "" || len(d.RoutingConfiguration) != 1 {
		t.Errorf("after clearing the description: %+v", d)
	}

	cases := []struct {
		name string
		in   UpdateStateMachineAliasInput
		code string
	}{
		{"nothing", UpdateStateMachineAliasInput{StateMachineAliasArn: arn}, "ValidationException"},
		{"other machine", UpdateStateMachineAliasInput{StateMachineAliasArn: arn, RoutingConfiguration: []RoutingConfigurationListItem{{other.StateMachineVersionArn, 100}}}, "ValidationException"},
		{"unknown version", UpdateStateMachineAliasInput{StateMachineAliasArn: arn, RoutingConfiguration: []RoutingConfigurationListItem{{sm + ":7", 100}}}, "ResourceNotFound"},
		{"unknown alias", UpdateStateMachineAliasInput{StateMachineAliasArn: sm + ":nope", Description: &empty}, "ResourceNotFound"},
		{"version arn", UpdateStateMachineAliasInput{StateMachineAliasArn: v1, Description: &empty}, "InvalidArn"},
		{"bad weights", UpdateStateMachineAliasInput{StateMachineAliasArn: arn, RoutingConfiguration: []RoutingConfigurationListItem{{v1, 10}}}, "ValidationException"},
	}
	for _, tc := range cases {
		_, err := s.UpdateStateMachineAlias(ctx, &tc.in)
		if code := errCode(err); code != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
}

func TestListStateMachineAliases_NewestFirstAndByVersion(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	sm, v1, v2 := twoVersions(t, s)
	for _, a := range []CreateStateMachineAliasInput{
		{Name: "a", RoutingConfiguration: []RoutingConfigurationListItem{{v1, 100}}},
		{Name: "b", RoutingConfiguration: []RoutingConfigurationListItem{{v1, 50}, {v2, 50}}},
		{Name: "c", RoutingConfiguration: []RoutingConfigurationListItem{{v2, 100}}},
	} {
		c.Advance(time.Second)
		if _, err := s.CreateStateMachineAlias(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	names := func(arn string, size int) string {
		t.Helper()
		var got []string
		token := ""
		for {
			out, err := s.ListStateMachineAliases(ctx, &ListStateMachineAliasesInput{StateMachineArn: arn, MaxResults: size, NextToken: token})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range out.StateMachineAliases {
				got = append(got, strings.TrimPrefix(a.StateMachineAliasArn, sm+":"))
			}
			if token = out.NextToken; token == "" {
				return strings.Join(got, " ")
			}
		}
	}
	if got := names(sm, 2); got != "c b a" {
		t.Errorf("all aliases: %s", got)
	}
	if got := names(v1, 0); got != "b a" {
		t.Errorf("aliases of version 1: %s", got)
	}
	_, err := s.ListStateMachineAliases(ctx, &ListStateMachineAliasesInput{StateMachineArn: sm + "x"})
	wantCode(t, err, "StateMachineDoesNotExist")
	_, err = s.ListStateMachineAliases(ctx, &ListStateMachineAliasesInput{StateMachineArn: sm + ":5"})
	wantCode(t, err, "ResourceNotFound")
	_, err = s.ListStateMachineAliases(ctx, &ListStateMachineAliasesInput{StateMachineArn: sm + ":a"})
	wantCode(t, err, "InvalidArn")
	_, err = s.ListStateMachineAliases(ctx, &ListStateMachineAliasesInput{})
	wantCode(t, err, "ValidationException")
}

func TestDeleteStateMachineAlias_StopsItsExecutions(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	_, v1, _ := twoVersions(t, s)
	al, err := s.CreateStateMachineAlias(ctx, &CreateStateMachineAliasInput{Name: "live", RoutingConfiguration: []RoutingConfigurationListItem{{v1, 100}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteStateMachineAlias(ctx, &DeleteStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn}); err != nil {
		t.Fatal(err)
	}
	_, err = s.DeleteStateMachineAlias(ctx, &DeleteStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	wantCode(t, err, "ResourceNotFound")
	_, err = s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: al.StateMachineAliasArn})
	wantCode(t, err, "StateMachineDoesNotExist")
	if _, err := s.DescribeStateMachine(ctx, v1); err != nil {
		t.Errorf("the version went with the alias: %v", err)
	}
}

func TestListExecutions_ByVersionOrAlias(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	sm, v1, v2 := twoVersions(t, s)
	al, err := s.CreateStateMachineAlias(ctx, &CreateStateMachineAliasInput{Name: "live", RoutingConfiguration: []RoutingConfigurationListItem{{v2, 100}}})
	if err != nil {
		t.Fatal(err)
	}
	byAlias := runTo(t, s, al.StateMachineAliasArn).ExecutionArn
	byVersion := runTo(t, s, v2).ExecutionArn
	latest := runTo(t, s, sm).ExecutionArn
	list := func(arn string) []ExecutionListItem {
		t.Helper()
		out, err := s.ListExecutions(ctx, &ListExecutionsInput{StateMachineArn: arn})
		if err != nil {
			t.Fatal(err)
		}
		return out.Executions
	}
	all := list(sm)
	if len(all) != 3 || all[0].ExecutionArn != latest || all[0].StateMachineVersionArn != "" ||
		all[2].ExecutionArn != byAlias || all[2].StateMachineAliasArn != al.StateMachineAliasArn || all[2].StateMachineVersionArn != v2 {
		t.Errorf("all executions: %+v", all)
	}
	if got := list(v2); len(got) != 2 || got[0].ExecutionArn != byVersion || got[1].ExecutionArn != byAlias {
		t.Errorf("executions of version 2: %+v", got)
	}
	if got := list(al.StateMachineAliasArn); len(got) != 1 || got[0].ExecutionArn != byAlias {
		t.Errorf("executions of the alias: %+v", got)
	}
	if got := list(v1); len(got) != 0 {
		t.Errorf("executions of version 1: %+v", got)
	}
}
