package wire

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/minicloud/minicloud/lambda"
)

// BootstrapName is the executable a custom runtime's package must hold at
// its root: for the OS-only runtimes (provided.al2023, provided.al2)
// Lambda starts /var/task/bootstrap (or /opt/bootstrap from a layer),
// whatever the function's Handler says.
const BootstrapName = "bootstrap"

// errUnzip is Lambda's answer to a ZipFile that is not a readable .zip
// archive, the same text lambda.Service.CreateFunction gives.
func errUnzip() *Error {
	return lambda.ErrInvalidParameterValue.New("Could not unzip uploaded file. Please check your file, then try to upload again.")
}

// missingBootstrapMessage is the error Lambda reports when an OS-only
// runtime finds no bootstrap in the package or in a layer.
const missingBootstrapMessage = "Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"

// missingBootstrap is the code of a function whose package holds no
// bootstrap: as in Lambda, CreateFunction succeeds and every init fails
// with Runtime.InvalidEntrypoint.
func missingBootstrap(context.Context) (any, error) {
	return nil, &lambda.FunctionError{ErrorType: "Runtime.InvalidEntrypoint", ErrorMessage: missingBootstrapMessage}
}

// isOSOnly reports whether a runtime is one of the OS-only runtimes whose
// entry point is the package's bootstrap. An empty runtime is the
// service's default, provided.al2023.
func isOSOnly(runtime string) bool {
	return runtime == "" || strings.HasPrefix(runtime, "provided")
}

// codeStore keeps the extracted packages of the functions created over
// the wire: one directory per distinct .zip (named by its SHA-256) under
// a root of the handler's own, made on first use under Options.CodeDir.
// A directory lives while some version of some function runs its
// package, and the root is removed by Close.
type codeStore struct {
	parent string // Options.CodeDir, or os.TempDir()

	mu     sync.Mutex
	root   string
	closed bool
	// uses maps a function name to the package hashes (hex) its versions
	// were created with over the wire.
	uses map[string]map[string]bool
}

// pkg is an extracted package.
type pkg struct {
	hash      string // hex SHA-256 of the .zip
	dir       string
	bootstrap bool
}

// ensureRoot makes the store's root directory. Called with mu held.
func (cs *codeStore) ensureRoot() (string, error) {
	if cs.closed {
		return "", lambda.ErrService.New("the Lambda API handler has been closed")
	}
	if cs.root != "" {
		return cs.root, nil
	}
	parent := cs.parent
	if parent == "" {
		parent = os.TempDir()
	}
	root, err := os.MkdirTemp(parent, "minicloud-lambda-code-")
	if err != nil {
		return "", fmt.Errorf("lambda/wire: cannot make the code directory: %w", err)
	}
	cs.root = root
	return root, nil
}

// precheck reads the .zip's directory and refuses what Lambda refuses:
// an archive that does not open, an entry whose path leaves the package,
// and sizes over the quotas (reported by leaving the extraction to the
// service's own check: ok is false).
func precheck(b []byte, limits lambda.Limits) (zr *zip.Reader, ok bool, err error) {
	zr, err = zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, false, errUnzip()
	}
	var total uint64
	for _, f := range zr.File {
		if !entryLocal(f.Name) {
			return nil, false, errUnzip()
		}
		total += f.UncompressedSize64
		if total < f.UncompressedSize64 {
			return nil, false, errUnzip()
		}
	}
	if int64(len(b)) > limits.MaxZippedPackageSize || total > uint64(limits.MaxUnzippedPackageSize) {
		return zr, false, nil
	}
	return zr, true, nil
}

// entryLocal reports whether a .zip entry's name stays inside the
// package once extracted.
func entryLocal(name string) bool {
	name = strings.TrimSuffix(name, "/")
	return name != "" && !strings.Contains(name, "\\") && filepath.IsLocal(filepath.FromSlash(name))
}

// extract unpacks a checked archive into a new directory under root and
// returns it. At most limit bytes are written, whatever the headers say.
func extract(zr *zip.Reader, root string, limit int64) (_ string, err error) {
	dir, err := os.MkdirTemp(root, ".extract-")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	written := int64(0)
	for _, f := range zr.File {
		name := filepath.FromSlash(strings.TrimSuffix(f.Name, "/"))
		target := filepath.Join(dir, name)
		mode := f.Mode()
		switch {
		case mode.IsDir():
			if err := os.MkdirAll(target, 0o755); err != nil {
				return "", err
			}
			continue
		case mode&fs.ModeSymlink != 0:
			n, err := writeSymlink(f, dir, name)
			if err != nil {
				return "", err
			}
			written += n
			continue
		case !mode.IsRegular():
			continue // devices, pipes: nothing a package needs
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return "", err
		}
		perm := mode.Perm() | 0o400 // the runtime must be able to read its code
		if name == BootstrapName {
			perm |= 0o755
		}
		n, err := writeEntry(f, target, perm, limit-written)
		if err != nil {
			return "", err
		}
		written += n
	}
	return dir, nil
}

// writeEntry copies one file out of the archive.
func writeEntry(f *zip.File, target string, perm fs.FileMode, room int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, errUnzip()
	}
	defer rc.Close()
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(rc, room+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return n, err
		}
		return n, errUnzip() // a corrupt entry: bad checksum, bad data
	}
	if n > room {
		return n, errUnzip()
	}
	// OpenFile's mode is filtered by the umask; the package's is not.
	return n, os.Chmod(target, perm)
}

// writeSymlink recreates a symbolic link whose target stays inside the
// package; one that points outside is refused as Lambda cannot follow it
// either.
func writeSymlink(f *zip.File, dir, name string) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, errUnzip()
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 4096))
	if err != nil {
		return 0, errUnzip()
	}
	link := string(b)
	resolved := path.Join(path.Dir(filepath.ToSlash(name)), link)
	if path.IsAbs(link) || !entryLocal(resolved) {
		return 0, errUnzip()
	}
	target := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return 0, err
	}
	return int64(len(b)), os.Symlink(filepath.FromSlash(link), target)
}

// unpack extracts a .zip unless the same package is already extracted.
// ok is false when the package is over a quota: the caller then lets the
// service refuse it with its own error.
func (cs *codeStore) unpack(zipFile []byte, limits lambda.Limits) (p *pkg, ok bool, err error) {
	zr, ok, err := precheck(zipFile, limits)
	if err != nil || !ok {
		return nil, false, err
	}
	sum := sha256.Sum256(zipFile)
	hash := hex.EncodeToString(sum[:])
	cs.mu.Lock()
	root, err := cs.ensureRoot()
	cs.mu.Unlock()
	if err != nil {
		return nil, false, err
	}
	final := filepath.Join(root, hash)
	if _, err := os.Lstat(final); err != nil {
		tmp, err := extract(zr, root, limits.MaxUnzippedPackageSize)
		if err != nil {
			return nil, false, err
		}
		cs.mu.Lock()
		if _, err := os.Lstat(final); err == nil {
			os.RemoveAll(tmp) // extracted meanwhile by another request
		} else if err := os.Rename(tmp, final); err != nil {
			cs.mu.Unlock()
			os.RemoveAll(tmp)
			return nil, false, err
		}
		cs.mu.Unlock()
	}
	p = &pkg{hash: hash, dir: final}
	if fi, err := os.Stat(filepath.Join(final, BootstrapName)); err == nil && fi.Mode().IsRegular() {
		p.bootstrap = true
	}
	return p, true, nil
}

// code is what a function created from the package runs: its bootstrap
// through the Runtime API, or, with none, an init that fails as Lambda's
// does.
func (p *pkg) code(handler string) *lambda.Code {
	if !p.bootstrap {
		return lambda.InitHandler(missingBootstrap)
	}
	if handler == "" {
		handler = BootstrapName
	}
	return lambda.ProcessHandler(lambda.Process{Command: filepath.Join(p.dir, BootstrapName), Dir: p.dir, Handler: handler})
}

// use records that function runs the package of hash.
func (cs *codeStore) use(function, hash string) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.uses == nil {
		cs.uses = map[string]map[string]bool{}
	}
	if cs.uses[function] == nil {
		cs.uses[function] = map[string]bool{}
	}
	cs.uses[function][hash] = true
}

// collect removes the packages no version of any function runs any
// more, after a function was deleted or its code replaced. inUse lists
// the hashes (hex) a function's versions run; a missing function runs
// none.
func (cs *codeStore) collect(inUse func(function string) (map[string]bool, error)) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.root == "" || cs.closed {
		return
	}
	for fn, hashes := range cs.uses {
		live, err := inUse(fn)
		if err != nil {
			continue // keep what cannot be checked
		}
		for h := range hashes {
			if !live[h] {
				delete(hashes, h)
			}
		}
		if len(hashes) == 0 {
			delete(cs.uses, fn)
		}
	}
	kept := map[string]bool{}
	for _, hashes := range cs.uses {
		for h := range hashes {
			kept[h] = true
		}
	}
	entries, _ := os.ReadDir(cs.root)
	for _, e := range entries {
		if name := e.Name(); !strings.HasPrefix(name, ".") && !kept[name] {
			os.RemoveAll(filepath.Join(cs.root, name))
		}
	}
}

// close removes every extracted package.
func (cs *codeStore) close() error {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.closed = true
	cs.uses = nil
	if cs.root == "" {
		return nil
	}
	root := cs.root
	cs.root = ""
	return os.RemoveAll(root)
}

// liveHashes returns the package hashes (hex) of a function's versions,
// $LATEST included; a function that no longer exists has none.
func (h *Handler) liveHashes(function string) (map[string]bool, error) {
	live := map[string]bool{}
	marker := ""
	for {
		out, err := h.svc.ListVersionsByFunction(context.Background(), &lambda.ListVersionsByFunctionInput{FunctionName: function, Marker: marker, MaxItems: 10000})
		if errors.Is(err, lambda.ErrResourceNotFound) {
			return live, nil
		}
		if err != nil {
			return nil, err
		}
		for _, v := range out.Versions {
			if x, ok := hexHash(v.CodeSha256); ok {
				live[x] = true
			}
		}
		if out.NextMarker == "" {
			return live, nil
		}
		marker = out.NextMarker
	}
}

// collectCode drops the packages no function runs any more.
func (h *Handler) collectCode() { h.pkgs.collect(h.liveHashes) }

// Close removes the packages extracted for functions created over the
// wire (stop the lambda.Service first: its processes run from them).
// CreateFunction and UpdateFunctionCode with a .zip fail afterwards.
func (h *Handler) Close() error { return h.pkgs.close() }

// hexHash turns a CodeSha256 (base64) into the hex name of a package.
func hexHash(codeSha256 string) (string, bool) {
	b, err := base64.StdEncoding.DecodeString(codeSha256)
	if err != nil || len(b) != sha256.Size {
		return "", false
	}
	return hex.EncodeToString(b), true
}

// codeLocation is GetFunction's Code for a .zip function: where Lambda
// keeps the package, a presigned Amazon S3 URL valid for 10 minutes, in
// the shape Lambda gives it
// (https://awslambda-REGION-tasks.s3.REGION.amazonaws.com/snapshots/ACCOUNT/NAME-UUID?…).
// minicloud serves no S3: the URL names the package but cannot be
// downloaded.
type codeLocation struct {
	RepositoryType string `json:"RepositoryType"`
	Location       string `json:"Location"`
}

func (h *Handler) codeLocation(c *lambda.FunctionConfiguration) *codeLocation {
	if c.PackageType != lambda.PackageTypeZip {
		return nil
	}
	sum := sha256.Sum256([]byte(c.FunctionArn + "\x00" + c.CodeSha256))
	sum[6] = sum[6]&0x0f | 0x40 // a version 4 UUID, as Lambda's are
	sum[8] = sum[8]&0x3f | 0x80
	u := hex.EncodeToString(sum[:16])
	id := u[0:8] + "-" + u[8:12] + "-" + u[12:16] + "-" + u[16:20] + "-" + u[20:32]
	region, account := h.svc.Region(), h.svc.AccountID()
	return &codeLocation{RepositoryType: "S3", Location: fmt.Sprintf(
		"https://awslambda-%s-tasks.s3.%s.amazonaws.com/snapshots/%s/%s-%s?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=600&X-Amz-SignedHeaders=host",
		region, region, account, c.FunctionName, id)}
}
