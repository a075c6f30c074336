package stepfn

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/minicloud/minicloud/clock"
)

func tagsOf(t *testing.T, s *Service, arn string) []Tag {
	t.Helper()
	out, err := s.ListTagsForResource(context.Background(), &ListTagsForResourceInput{ResourceArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	return out.Tags
}

func TestTags_OnStateMachinesAndActivities(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	sm, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "orders", Definition: passDef, RoleArn: testRole,
		Tags: []Tag{{"team", "payments"}, {"env", "dev"}}})
	if err != nil {
		t.Fatal(err)
	}
	arn := sm.StateMachineArn
	if got := tagsOf(t, s, arn); !slices.Equal(got, []Tag{{"team", "payments"}, {"env", "dev"}}) {
		t.Errorf("tags at creation: %v", got)
	}
	if _, err := s.TagResource(ctx, &TagResourceInput{ResourceArn: arn, Tags: []Tag{{"env", "prod"}, {"cost-center", "42"}}}); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(t, s, arn); !slices.Equal(got, []Tag{{"team", "payments"}, {"env", "prod"}, {"cost-center", "42"}}) {
		t.Errorf("tags after TagResource: %v", got)
	}
	if _, err := s.UntagResource(ctx, &UntagResourceInput{ResourceArn: arn, TagKeys: []string{"team", "absent"}}); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(t, s, arn); !slices.Equal(got, []Tag{{"env", "prod"}, {"cost-center", "42"}}) {
		t.Errorf("tags after UntagResource: %v", got)
	}
	// A repeated CreateStateMachine ignores its tags.
	if _, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "orders", Definition: passDef, RoleArn: testRole, Tags: []Tag{{"x", "y"}}}); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(t, s, arn); len(got) != 2 {
		t.Errorf("tags after a repeated create: %v", got)
	}

	act, err := s.CreateActivity(ctx, &CreateActivityInput{Name: "review", Tags: []Tag{{"owner", "ops@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(t, s, act.ActivityArn); !slices.Equal(got, []Tag{{"owner", "ops@example.com"}}) {
		t.Errorf("activity tags %v", got)
	}
	if _, err := s.UntagResource(ctx, &UntagResourceInput{ResourceArn: act.ActivityArn, TagKeys: []string{"owner"}}); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(t, s, act.ActivityArn); got == nil || len(got) != 0 {
		t.Errorf("activity tags after untag: %#v", got)
	}
	if err := s.DeleteActivity(ctx, act.ActivityArn); err != nil {
		t.Fatal(err)
	}
	_, err = s.ListTagsForResource(ctx, &ListTagsForResourceInput{ResourceArn: act.ActivityArn})
	wantCode(t, err, "ResourceNotFound")
}

func TestTags_QuotasAndErrors(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	out, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "orders", Definition: passDef, RoleArn: testRole, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	arn := out.StateMachineArn
	many := func(n int, prefix string) []Tag {
		var tags []Tag
		for i := 0; i < n; i++ {
			tags = append(tags, Tag{Key: fmt.Sprintf("%s%d", prefix, i), Value: "v"})
		}
		return tags
	}
	if _, err := s.TagResource(ctx, &TagResourceInput{ResourceArn: arn, Tags: many(50, "k")}); err != nil {
		t.Fatalf("50 tags: %v", err)
	}
	// Overwriting keeps the count at 50; one more key is one too many.
	if _, err := s.TagResource(ctx, &TagResourceInput{ResourceArn: arn, Tags: many(50, "k")}); err != nil {
		t.Fatalf("overwriting 50 tags: %v", err)
	}
	_, err = s.TagResource(ctx, &TagResourceInput{ResourceArn: arn, Tags: []Tag{{"k50", "v"}}})
	wantCode(t, err, "TooManyTags")
	if got := tagsOf(t, s, arn); len(got) != 50 {
		t.Errorf("a refused TagResource changed the tags: %d", len(got))
	}
	_, err = s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "crowded", Definition: passDef, RoleArn: testRole, Tags: many(51, "k")})
	wantCode(t, err, "TooManyTags")
	_, err = s.CreateActivity(ctx, &CreateActivityInput{Name: "crowded", Tags: many(51, "k")})
	wantCode(t, err, "TooManyTags")

	cases := []struct {
		name string
		in   TagResourceInput
		code string
	}{
		{"key of 128", TagResourceInput{ResourceArn: arn, Tags: []Tag{{strings.Repeat("k", 128), ""}}}, ""},
		{"key of 129", TagResourceInput{ResourceArn: arn, Tags: []Tag{{strings.Repeat("k", 129), ""}}}, "ValidationException"},
		{"empty key", TagResourceInput{ResourceArn: arn, Tags: []Tag{{"", "v"}}}, "ValidationException"},
		{"value of 257", TagResourceInput{ResourceArn: arn, Tags: []Tag{{"k0", strings.Repeat("v", 257)}}}, "ValidationException"},
		{"bad character", TagResourceInput{ResourceArn: arn, Tags: []Tag{{"k0", "a*b"}}}, "ValidationException"},
		{"no tags", TagResourceInput{ResourceArn: arn}, "ValidationException"},
		{"no arn", TagResourceInput{Tags: []Tag{}}, "ValidationException"},
		{"unknown machine", TagResourceInput{ResourceArn: arn + "x", Tags: []Tag{}}, "ResourceNotFound"},
		{"a version", TagResourceInput{ResourceArn: out.StateMachineVersionArn, Tags: []Tag{}}, "ResourceNotFound"},
		{"an execution", TagResourceInput{ResourceArn: "arn:aws:states:us-east-1:123456789012:execution:orders:x", Tags: []Tag{}}, "InvalidArn"},
		{"not an arn", TagResourceInput{ResourceArn: "orders", Tags: []Tag{}}, "InvalidArn"},
	}
	for _, tc := range cases {
		in := tc.in
		if tc.code == "" { // the limit itself: make room first
			if _, err := s.UntagResource(ctx, &UntagResourceInput{ResourceArn: arn, TagKeys: []string{"k49"}}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.TagResource(ctx, &in)
		if code := errCode(err); code != tc.code {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
		}
	}
	_, err = s.UntagResource(ctx, &UntagResourceInput{ResourceArn: arn, TagKeys: []string{strings.Repeat("k", 129)}})
	wantCode(t, err, "ValidationException")
	_, err = s.UntagResource(ctx, &UntagResourceInput{ResourceArn: arn})
	wantCode(t, err, "ValidationException")
	_, err = s.UntagResource(ctx, &UntagResourceInput{ResourceArn: arn + "x", TagKeys: []string{"a"}})
	wantCode(t, err, "ResourceNotFound")
	_, err = s.ListTagsForResource(ctx, &ListTagsForResourceInput{})
	wantCode(t, err, "ValidationException")
}
