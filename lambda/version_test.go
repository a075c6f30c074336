package lambda

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

func colorFunction(t *testing.T, s *Service) {
	t.Helper()
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context) (string, error) {
		return Getenv(ctx, "COLOR"), nil
	}), Environment: &Environment{Variables: map[string]string{"COLOR": "blue"}}})
}

func setColor(t *testing.T, s *Service, c string) {
	t.Helper()
	if _, err := s.UpdateFunctionConfiguration(context.Background(), &UpdateFunctionConfigurationInput{FunctionName: "f", Environment: &Environment{Variables: map[string]string{"COLOR": c}}}); err != nil {
		t.Fatal(err)
	}
}

func TestVersion_PublishSnapshotsCodeAndConfiguration(t *testing.T) {
	s, _ := newTestService(t, Options{})
	colorFunction(t, s)
	v1, err := s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "f", Description: "first"})
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != "1" || v1.FunctionArn != "arn:aws:lambda:us-east-1:123456789012:function:f:1" || v1.Description != "first" {
		t.Fatalf("v1 = %+v", v1)
	}
	again, _ := s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "f"})
	if again.Version != "1" {
		t.Fatalf("publishing an unchanged $LATEST made version %s", again.Version)
	}
	setColor(t, s, "green")
	v2, _ := s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "f"})
	if v2.Version != "2" {
		t.Fatalf("v2 = %s", v2.Version)
	}
	setColor(t, s, "red")
	for q, want := range map[string]string{"1": `"blue"`, "2": `"green"`, "$LATEST": `"red"`, "": `"red"`} {
		out := invoke(t, s, &InvokeInput{FunctionName: "f", Qualifier: q})
		if string(out.Payload) != want {
			t.Errorf("qualifier %q: %s, want %s", q, out.Payload, want)
		}
		if wantV := map[string]string{"": "$LATEST"}[q]; wantV == "" && out.ExecutedVersion != q || wantV != "" && out.ExecutedVersion != wantV {
			t.Errorf("qualifier %q: ExecutedVersion %q", q, out.ExecutedVersion)
		}
	}
	list, _ := s.ListVersionsByFunction(context.Background(), &ListVersionsByFunctionInput{FunctionName: "f"})
	var got []string
	for _, v := range list.Versions {
		got = append(got, v.Version)
	}
	if strings.Join(got, ",") != "$LATEST,1,2" {
		t.Fatalf("versions = %v", got)
	}
	if _, err := s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "f", CodeSha256: "nope"}); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("wrong CodeSha256: %v", err)
	}
	if _, err := s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "f", RevisionId: "nope"}); !errors.Is(err, ErrPreconditionFailed) {
		t.Fatalf("wrong RevisionId: %v", err)
	}
}

func TestVersion_UpdateFunctionCodeCanPublish(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func() (int, error) { return 1, nil })})
	before, _ := s.GetFunctionConfiguration(context.Background(), &GetFunctionInput{FunctionName: "f"})
	cfg, err := s.UpdateFunctionCode(context.Background(), &UpdateFunctionCodeInput{FunctionName: "f", Handler: Handler(func() (int, error) { return 2, nil }), Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Version != "1" || cfg.CodeSha256 == before.CodeSha256 || cfg.RevisionId == before.RevisionId {
		t.Fatalf("cfg = %+v", cfg)
	}
	if out := invoke(t, s, &InvokeInput{FunctionName: "f:1"}); string(out.Payload) != "2" {
		t.Fatalf("payload = %s", out.Payload)
	}
	if _, err := s.UpdateFunctionCode(context.Background(), &UpdateFunctionCodeInput{FunctionName: "f", Handler: Handler(3)}); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("bad handler: %v", err)
	}
}

func TestAlias_PointsAtAVersion(t *testing.T) {
	s, _ := newTestService(t, Options{})
	colorFunction(t, s)
	s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "f"})
	a, err := s.CreateAlias(context.Background(), &CreateAliasInput{FunctionName: "f", Name: "live", FunctionVersion: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if a.AliasArn != "arn:aws:lambda:us-east-1:123456789012:function:f:live" {
		t.Fatalf("alias = %+v", a)
	}
	setColor(t, s, "green")
	s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "f"})
	if out := invoke(t, s, &InvokeInput{FunctionName: "f:live"}); string(out.Payload) != `"blue"` || out.ExecutedVersion != "1" {
		t.Fatalf("live before moving: %s %s", out.Payload, out.ExecutedVersion)
	}
	if _, err := s.UpdateAlias(context.Background(), &UpdateAliasInput{FunctionName: "f", Name: "live", FunctionVersion: "2"}); err != nil {
		t.Fatal(err)
	}
	if out := invoke(t, s, &InvokeInput{FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:f:live"}); string(out.Payload) != `"green"` || out.ExecutedVersion != "2" {
		t.Fatalf("live after moving: %s %s", out.Payload, out.ExecutedVersion)
	}
	cfg, _ := s.GetFunctionConfiguration(context.Background(), &GetFunctionInput{FunctionName: "f", Qualifier: "live"})
	if cfg.Version != "2" {
		t.Fatalf("GetFunctionConfiguration(live) = %s", cfg.Version)
	}
	if m := s.Metrics("f", "live"); m.Invocations != 2 {
		t.Fatalf("alias metrics = %+v", m)
	}
	if m := s.Metrics("f", "2"); m.Invocations != 1 {
		t.Fatalf("version metrics = %+v", m)
	}
}

func TestAlias_WeightedRoutingSendsTheShare(t *testing.T) {
	s, _ := newTestService(t, Options{Seed: 7})
	colorFunction(t, s)
	s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "f"})
	setColor(t, s, "green")
	s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "f"})
	if _, err := s.CreateAlias(context.Background(), &CreateAliasInput{FunctionName: "f", Name: "canary", FunctionVersion: "1",
		RoutingConfig: &AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{"2": 0.1}}}); err != nil {
		t.Fatal(err)
	}
	const n = 4000
	counts := map[string]int{}
	for range n {
		out := invoke(t, s, &InvokeInput{FunctionName: "f", Qualifier: "canary"})
		counts[out.ExecutedVersion]++
	}
	share := float64(counts["2"]) / n
	// 10% of 4,000: a binomial standard deviation is under 0.5%; allow 4σ.
	if math.Abs(share-0.1) > 0.02 || counts["1"]+counts["2"] != n {
		t.Fatalf("version 2 got %.3f of the calls (%v), want 0.1", share, counts)
	}
	a, _ := s.GetAlias(context.Background(), &GetAliasInput{FunctionName: "f", Name: "canary"})
	if a.RoutingConfig == nil || a.RoutingConfig.AdditionalVersionWeights["2"] != 0.1 {
		t.Fatalf("alias = %+v", a)
	}
	if _, err := s.UpdateAlias(context.Background(), &UpdateAliasInput{FunctionName: "f", Name: "canary", RoutingConfig: &AliasRoutingConfiguration{}}); err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if out := invoke(t, s, &InvokeInput{FunctionName: "f:canary"}); out.ExecutedVersion != "1" {
			t.Fatal("routing removed but version 2 still ran")
		}
	}
}

func TestAlias_Rules(t *testing.T) {
	s, _ := newTestService(t, Options{})
	colorFunction(t, s)
	s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "f"})
	setColor(t, s, "green")
	s.PublishVersion(context.Background(), &PublishVersionInput{FunctionName: "f"})
	w := func(v string, x float64) *AliasRoutingConfiguration {
		return &AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{v: x}}
	}
	for _, tc := range []struct {
		name string
		in   CreateAliasInput
		want *Error
	}{
		{"digits", CreateAliasInput{Name: "123", FunctionVersion: "1"}, ErrInvalidParameterValue},
		{"no version", CreateAliasInput{Name: "a"}, ErrInvalidParameterValue},
		{"missing version", CreateAliasInput{Name: "a", FunctionVersion: "9"}, ErrResourceNotFound},
		{"weight > 1", CreateAliasInput{Name: "a", FunctionVersion: "1", RoutingConfig: w("2", 1.5)}, ErrInvalidParameterValue},
		{"weight on primary", CreateAliasInput{Name: "a", FunctionVersion: "1", RoutingConfig: w("1", 0.5)}, ErrInvalidParameterValue},
		{"routing from $LATEST", CreateAliasInput{Name: "a", FunctionVersion: "$LATEST", RoutingConfig: w("2", 0.5)}, ErrInvalidParameterValue},
		{"routing to $LATEST", CreateAliasInput{Name: "a", FunctionVersion: "1", RoutingConfig: w("$LATEST", 0.5)}, ErrInvalidParameterValue},
		{"two extra versions", CreateAliasInput{Name: "a", FunctionVersion: "1", RoutingConfig: &AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{"2": 0.1, "3": 0.1}}}, ErrInvalidParameterValue},
	} {
		in := tc.in
		in.FunctionName = "f"
		if _, err := s.CreateAlias(context.Background(), &in); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %s", tc.name, err, tc.want.Code)
		}
	}
	if _, err := s.CreateAlias(context.Background(), &CreateAliasInput{FunctionName: "f", Name: "live", FunctionVersion: "2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAlias(context.Background(), &CreateAliasInput{FunctionName: "f", Name: "live", FunctionVersion: "1"}); !errors.Is(err, ErrResourceConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	err := s.DeleteFunction(context.Background(), &DeleteFunctionInput{FunctionName: "f", Qualifier: "2"})
	if !errors.Is(err, ErrResourceConflict) || !strings.Contains(err.Error(), "live") {
		t.Fatalf("deleting an aliased version: %v", err)
	}
	if err := s.DeleteFunction(context.Background(), &DeleteFunctionInput{FunctionName: "f", Qualifier: "1"}); err != nil {
		t.Fatalf("deleting version 1: %v", err)
	}
	if _, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f:1"}); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("invoking a deleted version: %v", err)
	}
	list, _ := s.ListAliases(context.Background(), &ListAliasesInput{FunctionName: "f", FunctionVersion: "2"})
	if len(list.Aliases) != 1 || list.Aliases[0].Name != "live" {
		t.Fatalf("aliases = %+v", list)
	}
	if _, err := s.UpdateAlias(context.Background(), &UpdateAliasInput{FunctionName: "f", Name: "live", RevisionId: "x"}); !errors.Is(err, ErrPreconditionFailed) {
		t.Fatalf("stale revision: %v", err)
	}
	if err := s.DeleteAlias(context.Background(), &DeleteAliasInput{FunctionName: "f", Name: "live"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetAlias(context.Background(), &GetAliasInput{FunctionName: "f", Name: "live"}); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("deleted alias: %v", err)
	}
}
