package stepfn

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tag quotas of Step Functions ("Step Functions service quotas", and the
// TagKey and TagValue shapes of the API reference).
const (
	// maxTags is the most tags a state machine or activity may have.
	maxTags = 50
	// maxTagKey is the longest tag key, in characters.
	maxTagKey = 128
	// maxTagValue is the longest tag value, in characters.
	maxTagValue = 256
)

// Tag is a key-value pair on a state machine or activity.
type Tag struct {
	// Key is 1 to 128 characters.
	Key string
	// Value is 0 to 256 characters.
	Value string
}

// validTagText reports whether s holds only what a tag may: Unicode
// letters, digits, white space and _ . : / = + - @.
func validTagText(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsSpace(r) && !strings.ContainsRune("_.:/=+-@", r) {
			return false
		}
	}
	return true
}

// checkTags validates tags given to a call; field names the request
// member for the messages ("tags").
func checkTags(tags []Tag, field string) error {
	for i, t := range tags {
		n := i + 1
		switch k := utf8.RuneCountInString(t.Key); {
		case k == 0:
			return ErrValidation.Newf("1 validation error detected: Value at '%s.%d.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1", field, n)
		case k > maxTagKey:
			return ErrValidation.Newf("1 validation error detected: Value at '%s.%d.member.key' failed to satisfy constraint: Member must have length less than or equal to %d", field, n, maxTagKey)
		}
		if utf8.RuneCountInString(t.Value) > maxTagValue {
			return ErrValidation.Newf("1 validation error detected: Value at '%s.%d.member.value' failed to satisfy constraint: Member must have length less than or equal to %d", field, n, maxTagValue)
		}
		if !validTagText(t.Key) || !validTagText(t.Value) {
			return ErrValidation.Newf("Invalid tag '%s': tags may only contain Unicode letters, digits, white space, or these symbols: _ . : / = + - @", t.Key)
		}
	}
	return nil
}

// mergeTags adds tags to have: a key already there takes the new value in
// its place, a new key goes at the end. It fails with TooManyTags past 50
// tags.
func mergeTags(have, add []Tag, arn string) ([]Tag, error) {
	out := append([]Tag(nil), have...)
	for _, t := range add {
		i := indexTag(out, t.Key)
		if i >= 0 {
			out[i].Value = t.Value
			continue
		}
		out = append(out, t)
	}
	if len(out) > maxTags {
		return nil, ErrTooManyTags.Newf("Too many tags: '%s' would have %d tags, the most a resource may have is %d", arn, len(out), maxTags)
	}
	return out, nil
}

func indexTag(tags []Tag, key string) int {
	for i, t := range tags {
		if t.Key == key {
			return i
		}
	}
	return -1
}

// taggedLocked finds the tags of a state machine or activity by ARN. The
// caller holds s.mu.
func (s *Service) taggedLocked(arn string) (*[]Tag, error) {
	if arn == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null")
	}
	if err := checkArn(arn, ""); err != nil {
		return nil, err
	}
	switch strings.Split(arn, ":")[5] {
	case "stateMachine":
		if m, ok := s.machines[arn]; ok && !m.deleting {
			return &m.tags, nil
		}
	case "activity":
		if a, ok := s.activities[arn]; ok {
			return &a.tags, nil
		}
	default:
		return nil, ErrInvalidArn.Newf("Invalid Arn: 'Resource type not valid in this context: %s'", arn)
	}
	return nil, ErrResourceNotFound.Newf("Resource not found: '%s'", arn)
}

// TagResourceInput is the request of TagResource.
type TagResourceInput struct {
	// ResourceArn names a state machine or an activity. Required.
	ResourceArn string
	// Tags to add; a key the resource has takes the new value. Required.
	Tags []Tag
}

// TagResourceOutput is the response of TagResource.
type TagResourceOutput struct{}

// TagResource adds tags to a state machine or an activity. A resource may
// have 50 tags (TooManyTags past that); keys are 1 to 128 characters and
// values up to 256, of Unicode letters, digits, white space and
// _ . : / = + - @. A resource that does not exist is ResourceNotFound;
// versions and aliases cannot be tagged.
func (s *Service) TagResource(ctx context.Context, in *TagResourceInput) (*TagResourceOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	if err := checkTags(in.Tags, "tags"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	tags, err := s.taggedLocked(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	merged, err := mergeTags(*tags, in.Tags, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	*tags = merged
	return &TagResourceOutput{}, nil
}

// UntagResourceInput is the request of UntagResource.
type UntagResourceInput struct {
	// ResourceArn names a state machine or an activity. Required.
	ResourceArn string
	// TagKeys are the keys to remove; keys the resource lacks are
	// ignored. Required.
	TagKeys []string
}

// UntagResourceOutput is the response of UntagResource.
type UntagResourceOutput struct{}

// UntagResource removes tags from a state machine or an activity.
func (s *Service) UntagResource(ctx context.Context, in *UntagResourceInput) (*UntagResourceOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.TagKeys == nil {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
	}
	for i, k := range in.TagKeys {
		if n := utf8.RuneCountInString(k); n == 0 || n > maxTagKey {
			return nil, ErrValidation.Newf("1 validation error detected: Value at 'tagKeys.%d.member' failed to satisfy constraint: Member must have length between 1 and %d", i+1, maxTagKey)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	tags, err := s.taggedLocked(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	kept := make([]Tag, 0, len(*tags))
	for _, t := range *tags {
		if !slices.Contains(in.TagKeys, t.Key) {
			kept = append(kept, t)
		}
	}
	*tags = kept
	return &UntagResourceOutput{}, nil
}

// ListTagsForResourceInput is the request of ListTagsForResource.
type ListTagsForResourceInput struct {
	// ResourceArn names a state machine or an activity. Required.
	ResourceArn string
}

// ListTagsForResourceOutput is the response of ListTagsForResource.
type ListTagsForResourceOutput struct {
	// Tags in the order their keys were first added.
	Tags []Tag
}

// ListTagsForResource returns the tags of a state machine or an activity.
func (s *Service) ListTagsForResource(ctx context.Context, in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tags, err := s.taggedLocked(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	return &ListTagsForResourceOutput{Tags: append([]Tag{}, *tags...)}, nil
}
