package wire

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/lambda"
)

// entry is one file of a test .zip.
type entry struct {
	name, body string
	mode       fs.FileMode // 0: written without Unix permissions
}

func makeZip(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		hdr := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			hdr.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newZipHandler is a handler with no registered Go code whose packages
// go to a directory of the test's.
func newZipHandler(t *testing.T, limits lambda.Limits) (*Handler, *lambda.Service, string) {
	t.Helper()
	svc := lambda.New(lambda.Options{Clock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)), Limits: limits, TmpDir: t.TempDir()})
	dir := t.TempDir()
	h := NewHandler(svc, Options{CodeDir: dir})
	t.Cleanup(func() { _ = svc.Close(); _ = h.Close() })
	return h, svc, dir
}

func createBody(name, runtime string, zipFile []byte) string {
	b, _ := json.Marshal(map[string]any{"FunctionName": name, "Runtime": runtime, "Handler": "bootstrap",
		"Role": "arn:aws:iam::123456789012:role/r", "Code": map[string]any{"ZipFile": zipFile}})
	return string(b)
}

// packages lists the extracted packages under a handler's CodeDir.
func packages(t *testing.T, codeDir string) []string {
	t.Helper()
	var out []string
	roots, _ := os.ReadDir(codeDir)
	for _, r := range roots {
		pkgs, _ := os.ReadDir(filepath.Join(codeDir, r.Name()))
		for _, p := range pkgs {
			out = append(out, filepath.Join(codeDir, r.Name(), p.Name()))
		}
	}
	return out
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestCreateFunction_ZipReportsItsHashAndSize(t *testing.T) {
	h, _, dir := newZipHandler(t, lambda.Limits{})
	z := makeZip(t, entry{name: "bootstrap", body: "#!/bin/sh\nexit 0\n"}, entry{name: "lib/data.txt", body: "x", mode: 0o644})
	rec := do(h, "POST", "/2015-03-31/functions", createBody("f", "provided.al2023", z), nil)
	if rec.Code != http.StatusCreated {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var cfg functionConfiguration
	json.Unmarshal(rec.Body.Bytes(), &cfg)
	sum := sha256.Sum256(z)
	if cfg.CodeSha256 != base64.StdEncoding.EncodeToString(sum[:]) || cfg.CodeSize != int64(len(z)) || cfg.Handler != "bootstrap" {
		t.Fatalf("configuration %+v", cfg)
	}
	pkgs := packages(t, dir)
	if len(pkgs) != 1 || filepath.Base(pkgs[0]) != hexSum(z) {
		t.Fatalf("packages %v", pkgs)
	}
	boot, err := os.Stat(filepath.Join(pkgs[0], "bootstrap"))
	if err != nil || boot.Mode().Perm()&0o111 != 0o111 {
		t.Fatalf("bootstrap %v %v: not executable", boot, err)
	}
	data, err := os.Stat(filepath.Join(pkgs[0], "lib", "data.txt"))
	if err != nil || data.Mode().Perm() != 0o644 {
		t.Fatalf("lib/data.txt %v %v: mode not kept", data, err)
	}

	rec = do(h, "GET", "/2015-03-31/functions/f", "", nil)
	var doc struct{ Code codeLocation }
	json.Unmarshal(rec.Body.Bytes(), &doc)
	if doc.Code.RepositoryType != "S3" || !strings.HasPrefix(doc.Code.Location, "https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/snapshots/123456789012/f-") {
		t.Fatalf("GetFunction Code = %+v", doc.Code)
	}
}

func TestCreateFunction_RefusesBadPackages(t *testing.T) {
	const unzip = "Could not unzip uploaded file. Please check your file, then try to upload again."
	good := makeZip(t, entry{name: "bootstrap", body: "#!/bin/sh\n"})
	tests := []struct {
		name    string
		runtime string
		zip     []byte
		limits  lambda.Limits
		code    string
		message string
	}{
		{"not a zip", "provided.al2023", []byte("PK\x03\x04garbage"), lambda.Limits{}, "InvalidParameterValueException", unzip},
		{"entry above the package", "provided.al2023", makeZip(t, entry{name: "../bootstrap", body: "x"}), lambda.Limits{}, "InvalidParameterValueException", unzip},
		{"absolute entry", "provided.al2", makeZip(t, entry{name: "/etc/bootstrap", body: "x"}), lambda.Limits{}, "InvalidParameterValueException", unzip},
		{"link out of the package", "provided.al2023", makeZip(t, entry{name: "bootstrap", body: "../../../bin/sh", mode: fs.ModeSymlink | 0o777}), lambda.Limits{}, "InvalidParameterValueException", unzip},
		{"zip over the direct upload quota", "provided.al2023", good, lambda.Limits{MaxZippedPackageSize: 10}, "RequestTooLargeException", "Request must be smaller than 10 bytes"},
		{"unzipped over the quota", "provided.al2023", good, lambda.Limits{MaxUnzippedPackageSize: 4}, "InvalidParameterValueException", "Unzipped size must be smaller than 4 bytes"},
		{"another runtime's code", "python3.12", good, lambda.Limits{}, "InvalidParameterValueException", "is not registered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, dir := newZipHandler(t, tt.limits)
			rec := do(h, "POST", "/2015-03-31/functions", createBody("f", tt.runtime, tt.zip), nil)
			if rec.Header().Get("X-Amzn-Errortype") != tt.code || !strings.Contains(rec.Body.String(), tt.message) {
				t.Fatalf("%d %s %s, want %s %q", rec.Code, rec.Header().Get("X-Amzn-Errortype"), rec.Body, tt.code, tt.message)
			}
			if p := packages(t, dir); len(p) != 0 {
				t.Fatalf("a refused package was left behind: %v", p)
			}
		})
	}
}

func TestUnpack_KeepsLinksInsideThePackage(t *testing.T) {
	z := makeZip(t, entry{name: "bin/real", body: "#!/bin/sh\n", mode: 0o755},
		entry{name: "bootstrap", body: "bin/real", mode: fs.ModeSymlink | 0o777})
	cs := &codeStore{parent: t.TempDir()}
	defer cs.close()
	p, ok, err := cs.unpack(z, lambda.DefaultLimits())
	if err != nil || !ok || !p.bootstrap {
		t.Fatalf("%+v %v %v", p, ok, err)
	}
	if target, err := os.Readlink(filepath.Join(p.dir, "bootstrap")); err != nil || target != filepath.FromSlash("bin/real") {
		t.Fatalf("link %q %v", target, err)
	}
	again, _, _ := cs.unpack(z, lambda.DefaultLimits())
	if again.dir != p.dir {
		t.Fatalf("the same package was extracted twice: %s and %s", p.dir, again.dir)
	}
}

func TestZipFunction_PackagesLiveAsLongAsAVersionRunsThem(t *testing.T) {
	h, _, dir := newZipHandler(t, lambda.Limits{})
	v1 := makeZip(t, entry{name: "bootstrap", body: "#!/bin/sh\necho one\n"})
	v2 := makeZip(t, entry{name: "bootstrap", body: "#!/bin/sh\necho two\n"})
	has := func(z []byte) bool {
		for _, p := range packages(t, dir) {
			if filepath.Base(p) == hexSum(z) {
				return true
			}
		}
		return false
	}
	step := func(method, path, body string, want int) {
		t.Helper()
		if rec := do(h, method, path, body, nil); rec.Code != want {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
	}
	step("POST", "/2015-03-31/functions", createBody("a", "provided.al2023", v1), http.StatusCreated)
	step("POST", "/2015-03-31/functions", createBody("b", "provided.al2023", v1), http.StatusCreated)
	step("DELETE", "/2015-03-31/functions/a", "", http.StatusNoContent)
	if !has(v1) {
		t.Fatal("deleting one function removed a package another runs")
	}
	step("POST", "/2015-03-31/functions/b/versions", "{}", http.StatusCreated)
	body, _ := json.Marshal(map[string]any{"ZipFile": v2})
	step("PUT", "/2015-03-31/functions/b/code", string(body), http.StatusOK)
	if !has(v1) || !has(v2) {
		t.Fatalf("after the update, packages %v: version 1 still runs v1", packages(t, dir))
	}
	step("DELETE", "/2015-03-31/functions/b?Qualifier=1", "", http.StatusNoContent)
	if has(v1) || !has(v2) {
		t.Fatalf("after deleting version 1, packages %v", packages(t, dir))
	}
	step("DELETE", "/2015-03-31/functions/b", "", http.StatusNoContent)
	if p := packages(t, dir); len(p) != 0 {
		t.Fatalf("packages after every function was deleted: %v", p)
	}

	step("POST", "/2015-03-31/functions", createBody("c", "provided.al2023", v1), http.StatusCreated)
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if roots, _ := os.ReadDir(dir); len(roots) != 0 {
		t.Fatalf("Close left %v", roots)
	}
	rec := do(h, "POST", "/2015-03-31/functions", createBody("d", "provided.al2023", v1), nil)
	if rec.Header().Get("X-Amzn-Errortype") != "ServiceException" {
		t.Fatalf("CreateFunction after Close: %d %s", rec.Code, rec.Body)
	}
}

func TestZipFunction_StartsTheBootstrap(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the bootstrap is a shell script")
	}
	h, _, _ := newZipHandler(t, lambda.Limits{})
	// A bootstrap that exits before asking for an event fails its init.
	z := makeZip(t, entry{name: "bootstrap", body: "#!/bin/sh\necho \"starting in $LAMBDA_TASK_ROOT\"\nexit 3\n"})
	do(h, "POST", "/2015-03-31/functions", createBody("sh", "provided.al2023", z), nil)
	rec := do(h, "POST", "/2015-03-31/functions/sh/invocations", "{}", map[string]string{"X-Amz-Log-Type": "Tail"})
	var doc struct{ ErrorType, ErrorMessage string }
	json.Unmarshal(rec.Body.Bytes(), &doc)
	logs, _ := base64.StdEncoding.DecodeString(rec.Header().Get("X-Amz-Log-Result"))
	if rec.Header().Get("X-Amz-Function-Error") != "Unhandled" || doc.ErrorType != "Runtime.ExitError" ||
		!strings.HasSuffix(doc.ErrorMessage, "Runtime exited with error: exit status 3") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(string(logs), "starting in /") {
		t.Errorf("log %q lacks the bootstrap's line", logs)
	}

	// A package without a bootstrap is created, and fails each init.
	z = makeZip(t, entry{name: "handler.py", body: "def handler(e, c): pass\n"})
	if rec := do(h, "POST", "/2015-03-31/functions", createBody("empty", "provided.al2023", z), nil); rec.Code != http.StatusCreated {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rec = do(h, "POST", "/2015-03-31/functions/empty/invocations", "{}", nil)
	json.Unmarshal(rec.Body.Bytes(), &doc)
	if doc.ErrorType != "Runtime.InvalidEntrypoint" || doc.ErrorMessage != missingBootstrapMessage {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	// Code with a bootstrap replaces it.
	body, _ := json.Marshal(map[string]any{"ZipFile": makeZip(t, entry{name: "bootstrap", body: "#!/bin/sh\nexit 4\n"})})
	if rec := do(h, "PUT", "/2015-03-31/functions/empty/code", string(body), nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"Handler":"bootstrap"`) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rec = do(h, "POST", "/2015-03-31/functions/empty/invocations", "{}", nil)
	if !strings.Contains(rec.Body.String(), "exit status 4") {
		t.Fatalf("after the update: %d %s", rec.Code, rec.Body)
	}
}

func TestUpdateFunctionCode_GoCodeKeepsItsHandlerForAZipWithoutBootstrap(t *testing.T) {
	h, svc := newTestHandler(t)
	body, _ := json.Marshal(map[string]any{"ZipFile": makeZip(t, entry{name: "main.go", body: "package main"})})
	if rec := do(h, "PUT", "/2015-03-31/functions/echo/code", string(body), nil); rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	out, err := svc.Function("echo").Invoke(t.Context(), []byte(`{"id":"o-1"}`))
	if err != nil || string(out) != `{"id":"done-o-1"}` {
		t.Fatalf("%s %v", out, err)
	}
	var fe *lambda.FunctionError
	if errors.As(err, &fe) {
		t.Fatal(fe)
	}
}

// FuzzUnpack feeds arbitrary bytes as a .zip: unpacking never panics,
// and what it extracts stays inside the store's root.
func FuzzUnpack(f *testing.F) {
	f.Add(makeZip(f, entry{name: "bootstrap", body: "#!/bin/sh\n"}))
	f.Add(makeZip(f, entry{name: "a/b/c", body: "x", mode: 0o600}, entry{name: "a/", mode: fs.ModeDir | 0o755}))
	f.Add(makeZip(f, entry{name: "l", body: "../x", mode: fs.ModeSymlink | 0o777}))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	parent := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		cs := &codeStore{parent: parent}
		defer cs.close()
		limits := lambda.DefaultLimits()
		limits.MaxUnzippedPackageSize = 1 << 20
		p, ok, err := cs.unpack(b, limits)
		if err != nil || !ok {
			return
		}
		filepath.WalkDir(p.dir, func(path string, d fs.DirEntry, err error) error {
			if rel, rerr := filepath.Rel(cs.root, path); rerr != nil || !filepath.IsLocal(rel) {
				t.Fatalf("%s is outside %s", path, cs.root)
			}
			return nil
		})
	})
}
