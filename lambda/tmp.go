package lambda

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// Tmp is an execution environment's /tmp: a real directory of its own,
// created with the environment and removed with it, limited to the
// function's EphemeralStorage (512 MB by default, up to 10,240 MB).
//
// Writes through Tmp and its files are checked against the limit: a
// write that does not fit writes what fits and fails with an
// *fs.PathError wrapping syscall.ENOSPC, as a full disk does. Files
// written to [Tmp.Path] directly (with package os) are not stopped, but
// are counted by the next WriteFile, Create or OpenFile, which measures
// the directory.
//
// Names are relative to the directory; "/tmp/x" is accepted as "x", so
// code written for Lambda's paths works unchanged.
//
// The directory is made on first use, so that environments that never
// touch /tmp cost no file system work.
type Tmp struct {
	root  string
	limit int64

	mu      sync.Mutex
	dir     string
	dirErr  error
	removed bool
	used    int64
}

func newTmp(root string, sizeMB int) *Tmp {
	return &Tmp{root: root, limit: int64(sizeMB) << 20}
}

// ensure makes the directory on first use.
func (t *Tmp) ensure() (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.removed {
		return "", &fs.PathError{Op: "open", Path: "/tmp", Err: fs.ErrClosed}
	}
	if t.dir == "" && t.dirErr == nil {
		t.dir, t.dirErr = os.MkdirTemp(t.root, "minicloud-lambda-tmp-")
	}
	return t.dir, t.dirErr
}

// Path returns the directory's real path, making it if needed. It
// returns "" if the directory cannot be made or its environment is gone.
func (t *Tmp) Path() string {
	dir, _ := t.ensure()
	return dir
}

// Size returns the limit in bytes: EphemeralStorage.
func (t *Tmp) Size() int64 { return t.limit }

// Used measures the bytes of the regular files in the directory.
func (t *Tmp) Used() (int64, error) {
	dir, err := t.ensure()
	if err != nil {
		return 0, err
	}
	var n int64
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}

func (t *Tmp) path(op, name string) (string, error) {
	name = strings.TrimPrefix(name, "/tmp/")
	if !filepath.IsLocal(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	dir, err := t.ensure()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// measure refreshes the count of used bytes from the directory.
func (t *Tmp) measure() error {
	n, err := t.Used()
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.used = n
	t.mu.Unlock()
	return nil
}

// grow reserves up to n more bytes and returns how many fit.
func (t *Tmp) grow(n int64) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	fit := min(n, t.limit-t.used)
	if fit < 0 {
		fit = 0
	}
	t.used += fit
	return fit
}

func (t *Tmp) shrink(n int64) {
	t.mu.Lock()
	t.used -= n
	t.mu.Unlock()
}

// WriteFile writes data to the named file, creating or truncating it, as
// os.WriteFile does, within the storage limit.
func (t *Tmp) WriteFile(name string, data []byte, perm fs.FileMode) error {
	f, err := t.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err1 := f.Close(); err == nil {
		err = err1
	}
	return err
}

// ReadFile reads the named file.
func (t *Tmp) ReadFile(name string) ([]byte, error) {
	p, err := t.path("open", name)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// Remove removes the named file or empty directory.
func (t *Tmp) Remove(name string) error {
	p, err := t.path("remove", name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil {
		return err
	}
	return t.measure()
}

// MkdirAll creates a directory and its parents.
func (t *Tmp) MkdirAll(name string, perm fs.FileMode) error {
	p, err := t.path("mkdir", name)
	if err != nil {
		return err
	}
	return os.MkdirAll(p, perm)
}

// Create creates or truncates the named file for writing.
func (t *Tmp) Create(name string) (*TmpFile, error) {
	return t.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

// OpenFile opens the named file with the flags of os.OpenFile; writes to
// it are checked against the storage limit.
func (t *Tmp) OpenFile(name string, flag int, perm fs.FileMode) (*TmpFile, error) {
	p, err := t.path("open", name)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, flag, perm)
	if err != nil {
		return nil, err
	}
	if err := t.measure(); err != nil {
		f.Close()
		return nil, err
	}
	return &TmpFile{f: f, t: t}, nil
}

// remove deletes the whole directory, when its environment goes.
func (t *Tmp) remove() {
	t.mu.Lock()
	dir := t.dir
	t.removed = true
	t.mu.Unlock()
	if dir != "" {
		os.RemoveAll(dir)
	}
}

// TmpFile is a file of a [Tmp]. Its writes are checked against the
// storage limit.
type TmpFile struct {
	f *os.File
	t *Tmp
}

// Name returns the file's real path.
func (f *TmpFile) Name() string { return f.f.Name() }

// Read reads from the file.
func (f *TmpFile) Read(p []byte) (int, error) { return f.f.Read(p) }

// ReadAt reads from the file at an offset.
func (f *TmpFile) ReadAt(p []byte, off int64) (int, error) { return f.f.ReadAt(p, off) }

// Seek sets the offset of the next Read or Write.
func (f *TmpFile) Seek(offset int64, whence int) (int64, error) { return f.f.Seek(offset, whence) }

// Stat describes the file.
func (f *TmpFile) Stat() (fs.FileInfo, error) { return f.f.Stat() }

// Close closes the file.
func (f *TmpFile) Close() error { return f.f.Close() }

// Sync commits the file to storage.
func (f *TmpFile) Sync() error { return f.f.Sync() }

// Write writes at the current offset. The part that does not fit in the
// storage limit is not written, and the error wraps syscall.ENOSPC.
func (f *TmpFile) Write(p []byte) (int, error) {
	off, err := f.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, err
	}
	q, err := f.fit(p, off)
	n, werr := f.f.Write(q)
	if werr != nil {
		return n, werr
	}
	return n, err
}

// WriteString is Write of a string.
func (f *TmpFile) WriteString(s string) (int, error) { return f.Write([]byte(s)) }

// WriteAt writes at an offset, within the storage limit.
func (f *TmpFile) WriteAt(p []byte, off int64) (int, error) {
	q, err := f.fit(p, off)
	n, werr := f.f.WriteAt(q, off)
	if werr != nil {
		return n, werr
	}
	return n, err
}

// Truncate changes the file's size, within the storage limit.
func (f *TmpFile) Truncate(size int64) error {
	info, err := f.f.Stat()
	if err != nil {
		return err
	}
	if grow := size - info.Size(); grow > 0 {
		if got := f.t.grow(grow); got < grow {
			f.t.shrink(got)
			return &fs.PathError{Op: "truncate", Path: f.f.Name(), Err: syscall.ENOSPC}
		}
	} else {
		f.t.shrink(-grow)
	}
	return f.f.Truncate(size)
}

// fit returns the prefix of p that the storage limit lets a write at off
// add, and ENOSPC when it is not all of p.
func (f *TmpFile) fit(p []byte, off int64) ([]byte, error) {
	info, err := f.f.Stat()
	if err != nil {
		return nil, err
	}
	end := off + int64(len(p))
	growth := end - info.Size()
	if growth <= 0 {
		return p, nil
	}
	got := f.t.grow(growth)
	if got == growth {
		return p, nil
	}
	keep := int64(len(p)) - (growth - got)
	if keep < 0 {
		f.t.shrink(got)
		keep = 0
	}
	return p[:keep], &fs.PathError{Op: "write", Path: f.f.Name(), Err: syscall.ENOSPC}
}
