package dynamo

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestObjectStore_PutGetListByPrefix(t *testing.T) {
	dir := NewDirStore(t.TempDir())
	if err := dir.CreateBucket("exports"); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]ObjectStore{"memory": NewMemoryStore("exports"), "dir": dir} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			for _, k := range []string{"a/2.json", "a/1.json", "b/1.json"} {
				mustDo(t, s.PutObject(ctx, "exports", k, []byte("body of "+k)))
			}
			keys, err := s.ListObjects(ctx, "exports", "a/")
			mustDo(t, err)
			if diff := cmp.Diff([]string{"a/1.json", "a/2.json"}, keys); diff != "" {
				t.Fatal(diff)
			}
			body, err := s.GetObject(ctx, "exports", "b/1.json")
			mustDo(t, err)
			if string(body) != "body of b/1.json" {
				t.Fatalf("body %q", body)
			}
			if _, err := s.GetObject(ctx, "exports", "c"); !errors.Is(err, ErrNoSuchKey) {
				t.Fatalf("missing key: %v", err)
			}
			if err := s.PutObject(ctx, "nope", "k", nil); !errors.Is(err, ErrNoSuchBucket) {
				t.Fatalf("missing bucket: %v", err)
			}
			if _, err := s.ListObjects(ctx, "nope", ""); !errors.Is(err, ErrNoSuchBucket) {
				t.Fatalf("list of a missing bucket: %v", err)
			}
		})
	}
}

func TestDirStore_RefusesKeysLeavingTheBucket(t *testing.T) {
	s := NewDirStore(t.TempDir())
	mustDo(t, s.CreateBucket("b1"))
	for _, k := range []string{"../x", "a//b", "./a", ""} {
		if err := s.PutObject(context.Background(), "b1", k, nil); err == nil {
			t.Errorf("PutObject(%q) succeeded", k)
		}
	}
}
