package dynamo

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/minicloud/minicloud/internal/awserr"
)

// ObjectStore is the small part of Amazon S3 that export and import use:
// buckets of objects named by keys, written whole, read whole and listed
// by key prefix. [MemoryStore] keeps them in memory and [DirStore] in a
// directory; any S3-like store can satisfy it.
type ObjectStore interface {
	// PutObject stores body under key in bucket, replacing any object
	// there. A bucket that does not exist is ErrNoSuchBucket.
	PutObject(ctx context.Context, bucket, key string, body []byte) error
	// GetObject returns the object's bytes: ErrNoSuchBucket or
	// ErrNoSuchKey when it is not there.
	GetObject(ctx context.Context, bucket, key string) ([]byte, error)
	// ListObjects returns the keys in bucket that start with prefix, in
	// byte order, as S3's ListObjectsV2 orders them.
	ListObjects(ctx context.Context, bucket, prefix string) ([]string, error)
}

// Errors of an ObjectStore, with S3's codes and statuses.
var (
	// ErrNoSuchBucket is S3's NoSuchBucket: the bucket does not exist.
	ErrNoSuchBucket = awserr.New("NoSuchBucket", 404, "")
	// ErrNoSuchKey is S3's NoSuchKey: no object has that key.
	ErrNoSuchKey = awserr.New("NoSuchKey", 404, "")
	// ErrInvalidObjectKey is returned for a key S3 would refuse (empty,
	// over 1,024 bytes) or that a DirStore cannot map to a file.
	ErrInvalidObjectKey = awserr.New("KeyTooLongError", 400, "")
)

// maxObjectKey is S3's limit on an object key: 1,024 bytes.
const maxObjectKey = 1024

func checkObjectKey(key string) error {
	if key == "" || len(key) > maxObjectKey {
		return ErrInvalidObjectKey.Newf("Object key must be 1 to %d bytes long: %q", maxObjectKey, key)
	}
	return nil
}

// MemoryStore is an ObjectStore in memory, safe for concurrent use.
type MemoryStore struct {
	mu      sync.RWMutex
	buckets map[string]map[string][]byte
}

// NewMemoryStore returns a MemoryStore holding the named empty buckets.
func NewMemoryStore(buckets ...string) *MemoryStore {
	s := &MemoryStore{buckets: map[string]map[string][]byte{}}
	for _, b := range buckets {
		s.CreateBucket(b)
	}
	return s
}

// CreateBucket adds an empty bucket; an existing bucket is kept as is.
func (s *MemoryStore) CreateBucket(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buckets[name] == nil {
		s.buckets[name] = map[string][]byte{}
	}
}

// PutObject stores a copy of body.
func (s *MemoryStore) PutObject(ctx context.Context, bucket, key string, body []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkObjectKey(key); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucket]
	if b == nil {
		return ErrNoSuchBucket.Newf("The specified bucket does not exist: %s", bucket)
	}
	b[key] = slices.Clone(body)
	return nil
}

// GetObject returns a copy of the object.
func (s *MemoryStore) GetObject(ctx context.Context, bucket, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.buckets[bucket]
	if b == nil {
		return nil, ErrNoSuchBucket.Newf("The specified bucket does not exist: %s", bucket)
	}
	body, ok := b[key]
	if !ok {
		return nil, ErrNoSuchKey.Newf("The specified key does not exist: %s", key)
	}
	return slices.Clone(body), nil
}

// ListObjects lists keys by prefix, in byte order.
func (s *MemoryStore) ListObjects(ctx context.Context, bucket, prefix string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.buckets[bucket]
	if b == nil {
		return nil, ErrNoSuchBucket.Newf("The specified bucket does not exist: %s", bucket)
	}
	var keys []string
	for k := range b {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys, nil
}

// DirStore is an ObjectStore in a directory: each bucket is a
// subdirectory of Root, which must exist, and each object a file at its
// key's path, '/' separating directories. Keys with empty, "." or ".."
// segments are refused, so that no object lands outside its bucket.
type DirStore struct {
	Root string
}

// NewDirStore returns a DirStore rooted at dir.
func NewDirStore(dir string) *DirStore { return &DirStore{Root: dir} }

// CreateBucket makes the bucket's directory.
func (s *DirStore) CreateBucket(name string) error {
	if err := checkSegments(name); err != nil || strings.Contains(name, "/") {
		return ErrInvalidObjectKey.Newf("Invalid bucket name: %q", name)
	}
	return os.MkdirAll(filepath.Join(s.Root, name), 0o755)
}

func checkSegments(key string) error {
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.ContainsRune(seg, filepath.Separator) && filepath.Separator != '/' {
			return ErrInvalidObjectKey.Newf("Object key cannot be stored in a directory: %q", key)
		}
	}
	return nil
}

// bucketDir returns the bucket's directory, or ErrNoSuchBucket.
func (s *DirStore) bucketDir(bucket string) (string, error) {
	if checkSegments(bucket) != nil || strings.Contains(bucket, "/") {
		return "", ErrNoSuchBucket.Newf("The specified bucket does not exist: %s", bucket)
	}
	dir := filepath.Join(s.Root, bucket)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", ErrNoSuchBucket.Newf("The specified bucket does not exist: %s", bucket)
	}
	return dir, nil
}

// PutObject writes the object's file, creating its directories.
func (s *DirStore) PutObject(ctx context.Context, bucket, key string, body []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkObjectKey(key); err != nil {
		return err
	}
	if err := checkSegments(key); err != nil {
		return err
	}
	dir, err := s.bucketDir(bucket)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, body, 0o644)
}

// GetObject reads the object's file.
func (s *DirStore) GetObject(ctx context.Context, bucket, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dir, err := s.bucketDir(bucket)
	if err != nil {
		return nil, err
	}
	if checkSegments(key) != nil {
		return nil, ErrNoSuchKey.Newf("The specified key does not exist: %s", key)
	}
	body, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(key)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoSuchKey.Newf("The specified key does not exist: %s", key)
	}
	return body, err
}

// ListObjects walks the bucket's directory for files whose key starts
// with prefix.
func (s *DirStore) ListObjects(ctx context.Context, bucket, prefix string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dir, err := s.bucketDir(bucket)
	if err != nil {
		return nil, err
	}
	var keys []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if key := filepath.ToSlash(rel); strings.HasPrefix(key, prefix) {
			keys = append(keys, key)
		}
		return nil
	})
	slices.Sort(keys)
	return keys, err
}
