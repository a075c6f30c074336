package sdktest

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// bootstrapZip builds ./lambdabin for Linux on this machine's
// architecture, as AWS's Go guide builds a provided.al2023 function, with
// its greeting set by the linker, and returns a .zip holding it as
// "bootstrap". The entry is written without Unix permissions, as an
// archiver on Windows writes it: Lambda needs it executable anyway.
// Each build is made once per test binary: linking takes seconds.
func bootstrapZip(t *testing.T, greeting string) []byte {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the package holds a Linux executable, run in place")
	}
	builds.Lock()
	defer builds.Unlock()
	if b, ok := builds.zips[greeting]; ok {
		return b
	}
	dir, err := os.MkdirTemp("", "minicloud-bootstrap-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "bootstrap")
	cmd := exec.Command("go", "build", "-o", bin, "-ldflags", "-X main.greeting="+greeting, "./lambdabin")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+runtime.GOARCH, "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./lambdabin: %v\n%s", err, out)
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	b := zipOf(t, map[string][]byte{"bootstrap": exe})
	builds.zips[greeting] = b
	return b
}

// builds caches bootstrapZip's packages by greeting.
var builds = struct {
	sync.Mutex
	zips map[string][]byte
}{zips: map[string][]byte{}}

// zipOf returns a .zip of the files given, in no Unix mode.
func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func lambdaArch() types.Architecture {
	if runtime.GOARCH == "arm64" {
		return types.ArchitectureArm64
	}
	return types.ArchitectureX8664
}

func sha256Base64(b []byte) string {
	sum := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// taskRoot is the directory a process runs in: its LAMBDA_TASK_ROOT,
// where its package was extracted.
func taskRoot(t *testing.T, pid int) string {
	t.Helper()
	dir, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/cwd")
	if err != nil {
		t.Fatalf("task root of pid %d: %v", pid, err)
	}
	return dir
}

func TestLambdaZip_BootstrapRunsThroughTheSDK(t *testing.T) {
	v1 := bootstrapZip(t, "hello")
	v2 := bootstrapZip(t, "bonjour")
	cfg, _, _ := Config(t)
	client := awslambda.NewFromConfig(cfg)
	ctx := context.Background()

	created, err := client.CreateFunction(ctx, &awslambda.CreateFunctionInput{
		FunctionName:  aws.String("zipped"),
		Runtime:       types.RuntimeProvidedal2023,
		Handler:       aws.String("bootstrap"),
		Role:          aws.String("arn:aws:iam::123456789012:role/zipped"),
		Architectures: []types.Architecture{lambdaArch()},
		Timeout:       aws.Int32(30),
		Environment:   &types.Environment{Variables: map[string]string{"TABLE_NAME": "orders"}},
		Code:          &types.FunctionCode{ZipFile: v1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(created.CodeSha256) != sha256Base64(v1) || created.CodeSize != int64(len(v1)) ||
		aws.ToString(created.Handler) != "bootstrap" || created.PackageType != types.PackageTypeZip {
		t.Fatalf("created %s size %d handler %q type %q; want the .zip's hash %s and size %d", aws.ToString(created.CodeSha256),
			created.CodeSize, aws.ToString(created.Handler), created.PackageType, sha256Base64(v1), len(v1))
	}

	hello := func(t *testing.T) binReply {
		t.Helper()
		out, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("zipped"), Payload: []byte(`{"action":"hello","name":"ada"}`)})
		if err != nil {
			t.Fatal(err)
		}
		var r binReply
		if out.FunctionError != nil || json.Unmarshal(out.Payload, &r) != nil {
			t.Fatalf("Invoke: %q %s", aws.ToString(out.FunctionError), out.Payload)
		}
		return r
	}

	var first binReply
	t.Run("invoke runs the bootstrap", func(t *testing.T) {
		first = hello(t)
		if first.Greeting != "hello ada" || first.Function != "zipped" || first.Table != "orders" || first.Count != 1 {
			t.Fatalf("reply %+v", first)
		}
		if again := hello(t); again.PID != first.PID || again.Count != 2 {
			t.Fatalf("the warm environment was not reused: %+v after %+v", again, first)
		}
	})

	t.Run("GetFunction gives the code location", func(t *testing.T) {
		out, err := client.GetFunction(ctx, &awslambda.GetFunctionInput{FunctionName: aws.String("zipped")})
		if err != nil {
			t.Fatal(err)
		}
		loc := aws.ToString(out.Code.Location)
		if aws.ToString(out.Code.RepositoryType) != "S3" ||
			!strings.HasPrefix(loc, "https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/snapshots/123456789012/zipped-") {
			t.Fatalf("Code = %q %q", aws.ToString(out.Code.RepositoryType), loc)
		}
	})

	t.Run("UpdateFunctionCode runs the new build in a new environment", func(t *testing.T) {
		oldRoot := taskRoot(t, first.PID)
		out, err := client.UpdateFunctionCode(ctx, &awslambda.UpdateFunctionCodeInput{FunctionName: aws.String("zipped"), ZipFile: v2})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.CodeSha256) != sha256Base64(v2) || out.CodeSize != int64(len(v2)) {
			t.Fatalf("updated %s size %d", aws.ToString(out.CodeSha256), out.CodeSize)
		}
		r := hello(t)
		if r.Greeting != "bonjour ada" || r.PID == first.PID || r.Count != 1 {
			t.Fatalf("after the update %+v (first %+v)", r, first)
		}
		if processAlive(first.PID) {
			t.Errorf("the old code's process %d still runs", first.PID)
		}
		if _, err := os.Stat(oldRoot); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the replaced package %s is still there: %v", oldRoot, err)
		}
		first = r
	})

	t.Run("DeleteFunction removes the package", func(t *testing.T) {
		root := taskRoot(t, first.PID)
		if _, err := os.Stat(filepath.Join(root, "bootstrap")); err != nil {
			t.Fatal(err)
		}
		if _, err := client.DeleteFunction(ctx, &awslambda.DeleteFunctionInput{FunctionName: aws.String("zipped")}); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(root); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("package %s after DeleteFunction: %v", root, err)
		}
	})
}

func TestLambdaZip_CloseRemovesPackages(t *testing.T) {
	t.Parallel()
	v1 := bootstrapZip(t, "hello")
	cfg, cloud, _ := Config(t)
	client := awslambda.NewFromConfig(cfg)
	ctx := context.Background()
	if _, err := client.CreateFunction(ctx, &awslambda.CreateFunctionInput{
		FunctionName: aws.String("closing"), Runtime: types.RuntimeProvidedal2, Handler: aws.String("bootstrap"),
		Role: aws.String("arn:aws:iam::123456789012:role/r"), Architectures: []types.Architecture{lambdaArch()},
		Code: &types.FunctionCode{ZipFile: v1},
	}); err != nil {
		t.Fatal(err)
	}
	out, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("closing"), Payload: []byte(`{"action":"hello","name":"x"}`)})
	var r binReply
	if err != nil || json.Unmarshal(out.Payload, &r) != nil {
		t.Fatalf("%v %s", err, out.Payload)
	}
	root := taskRoot(t, r.PID)
	if err := cloud.Close(); err != nil {
		t.Fatal(err)
	}
	if processAlive(r.PID) {
		t.Errorf("process %d survived Close", r.PID)
	}
	if _, err := os.Stat(root); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("package %s after Close: %v", root, err)
	}
}

func TestLambdaZip_RefusesWhatLambdaRefuses(t *testing.T) {
	t.Parallel()
	cfg, _, _ := Config(t)
	client := awslambda.NewFromConfig(cfg, func(o *awslambda.Options) { o.RetryMaxAttempts = 1 })
	ctx := context.Background()
	create := func(name string, code *types.FunctionCode, pt types.PackageType) error {
		in := &awslambda.CreateFunctionInput{FunctionName: aws.String(name), Role: aws.String("arn:aws:iam::123456789012:role/r"),
			Code: code, PackageType: pt}
		if pt != types.PackageTypeImage {
			in.Runtime, in.Handler = types.RuntimeProvidedal2023, aws.String("bootstrap")
		}
		_, err := client.CreateFunction(ctx, in)
		return err
	}
	tests := []struct {
		name string
		code *types.FunctionCode
		pt   types.PackageType
		want string
	}{
		{"corrupt zip", &types.FunctionCode{ZipFile: []byte("PK\x03\x04 not really a zip")}, "",
			"Could not unzip uploaded file. Please check your file, then try to upload again."},
		{"entry outside the package", &types.FunctionCode{ZipFile: zipOf(t, map[string][]byte{"../bootstrap": []byte("#!/bin/sh\n")})}, "",
			"Could not unzip uploaded file. Please check your file, then try to upload again."},
		{"container image", &types.FunctionCode{ImageUri: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest")}, types.PackageTypeImage,
			"cannot fetch code from S3, run container images"},
		{"package in S3", &types.FunctionCode{S3Bucket: aws.String("b"), S3Key: aws.String("k.zip")}, "",
			"cannot fetch code from S3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := create(strings.ReplaceAll(tt.name, " ", "-"), tt.code, tt.pt)
			var ip *types.InvalidParameterValueException
			if !errors.As(err, &ip) || !strings.Contains(aws.ToString(ip.Message), tt.want) {
				t.Fatalf("got %T %v, want InvalidParameterValueException %q", err, err, tt.want)
			}
		})
	}

	t.Run("no bootstrap fails each invocation as Lambda does", func(t *testing.T) {
		code := zipOf(t, map[string][]byte{"main": []byte("not the entry point")})
		if err := create("nobootstrap", &types.FunctionCode{ZipFile: code}, ""); err != nil {
			t.Fatal(err)
		}
		out, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("nobootstrap")})
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ ErrorType, ErrorMessage string }
		json.Unmarshal(out.Payload, &doc)
		if aws.ToString(out.FunctionError) != "Unhandled" || doc.ErrorType != "Runtime.InvalidEntrypoint" ||
			!strings.HasSuffix(doc.ErrorMessage, "Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]") {
			t.Fatalf("got %q %s", aws.ToString(out.FunctionError), out.Payload)
		}
	})
}
