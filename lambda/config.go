package lambda

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// Runtimes and package types Lambda accepts in CreateFunction.
const (
	// RuntimeProvidedAL2023 is the OS-only runtime Go functions use, and
	// the default of a Zip function created without Runtime.
	RuntimeProvidedAL2023 = "provided.al2023"
	// RuntimeProvidedAL2 is the previous OS-only runtime.
	RuntimeProvidedAL2 = "provided.al2"
	// PackageTypeZip is a .zip deployment package (the default).
	PackageTypeZip = "Zip"
	// PackageTypeImage is a container image.
	PackageTypeImage = "Image"
	// ArchitectureX8664 is the x86_64 instruction set (the default).
	ArchitectureX8664 = "x86_64"
	// ArchitectureArm64 is the arm64 (AWS Graviton) instruction set.
	ArchitectureArm64 = "arm64"
)

// runtimes Lambda accepts for new functions. Other managed runtimes are
// accepted too: a Go handler runs the same whatever the label says.
var runtimes = []string{
	"provided.al2023", "provided.al2",
	"nodejs22.x", "nodejs20.x", "nodejs18.x",
	"python3.13", "python3.12", "python3.11", "python3.10", "python3.9",
	"java21", "java17", "java11", "java8.al2",
	"dotnet8", "ruby3.4", "ruby3.3",
}

// deprecatedRuntimes can no longer be used to create or update a function.
// Source: "Lambda runtimes", deprecated runtimes table.
var deprecatedRuntimes = []string{
	"go1.x", "provided", "nodejs16.x", "nodejs14.x", "nodejs12.x",
	"python3.8", "python3.7", "python3.6", "dotnet6", "dotnetcore3.1",
	"ruby3.2", "ruby2.7", "java8",
}

// reservedEnvKeys are the environment variables Lambda sets itself and
// refuses in a function's configuration. Source: "Defined runtime
// environment variables" in the Developer Guide.
var reservedEnvKeys = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
	"AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
	"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
	"AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
	"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API",
	"LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
}

var (
	envKeyPattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]+$`)
	rolePattern   = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`)
)

// Environment holds a function's environment variables. Together, as
// JSON, they may take 4 KB.
type Environment struct {
	Variables map[string]string
}

// EphemeralStorage is the size of a function's /tmp: 512 to 10,240 MB.
type EphemeralStorage struct {
	// Size in MB.
	Size int
}

// DeadLetterConfig names where Lambda sends an asynchronous event that
// failed every attempt. Lambda sends the event itself, with the message
// attributes RequestID, ErrorCode and ErrorMessage.
type DeadLetterConfig struct {
	// Target receives the event. In AWS it is the ARN of an SQS queue or
	// SNS topic; here any [Destination].
	Target Destination
}

// FunctionCode describes a function's deployment package. The code that
// runs is the Go handler of the input's Handler field; FunctionCode only
// carries the sizes that Lambda's package quotas apply to, either as a
// real .zip (ZipFile) or as declared sizes.
type FunctionCode struct {
	// ZipFile is a .zip archive uploaded directly (at most 50 MB; 250 MB
	// once extracted). Its entries' sizes are read to check the quota.
	ZipFile []byte
	// S3Bucket and S3Key say the .zip was uploaded through Amazon S3: the
	// 50 MB direct-upload quota does not apply, the 250 MB one does.
	S3Bucket, S3Key string
	// ImageUri names a container image (PackageType Image).
	ImageUri string
	// ZipSize declares the size of the .zip in bytes when ZipFile is not
	// given, so that a test can check a quota without allocating it.
	ZipSize int64
	// UnzippedSize declares the extracted size in bytes when ZipFile is
	// not given.
	UnzippedSize int64
	// ImageSize declares the uncompressed size of the container image.
	ImageSize int64
}

// FunctionConfiguration describes a function version, as GetFunction and
// the other control-plane operations return it.
type FunctionConfiguration struct {
	FunctionName string
	// FunctionArn is qualified with the version for a published version.
	FunctionArn string
	Runtime     string
	Role        string
	// Handler names the Go handler (its function name when known).
	Handler     string
	Description string
	// CodeSize is the .zip size in bytes (0 for an image).
	CodeSize int64
	// CodeSha256 is the base64 SHA-256 of the package.
	CodeSha256 string
	// MemorySize in MB.
	MemorySize int
	// Timeout in seconds.
	Timeout          int
	Version          string
	Environment      *Environment
	EphemeralStorage *EphemeralStorage
	Architectures    []string
	PackageType      string
	DeadLetterConfig *DeadLetterConfig
	// VpcConfig is nil for a function outside any VPC.
	VpcConfig *VpcConfigResponse
	// LastModified is an ISO 8601 time, as Lambda formats it.
	LastModified string
	// RevisionId changes with every update.
	RevisionId string
	// State is "Active": minicloud creates functions at once.
	State string
	// LastUpdateStatus is "Successful".
	LastUpdateStatus string
}

// config is a function version's validated configuration.
type config struct {
	runtime      string
	role         string
	description  string
	memoryMB     int
	timeout      time.Duration
	ephemeralMB  int
	env          map[string]string
	arch         string
	packageType  string
	codeSize     int64
	unzipped     int64
	imageSize    int64
	codeSha256   string
	dlq          *DeadLetterConfig
	vpc          *vpcSetting
	handlerName  string
	lastModified time.Time
}

func rangeErr(param string, v, lo, hi int64, unit, quota string) *Error {
	le := &LimitError{Limit: param, Value: v, Min: lo, Max: hi, Unit: unit}
	return limitErr(ErrInvalidParameterValue,
		fmt.Sprintf("%s; Lambda allows %d to %d %s (quota %q)", le.Error(), lo, hi, unit, quota), le)
}

func (s *Service) validateRuntime(rt string) error {
	if slices.Contains(deprecatedRuntimes, rt) {
		return ErrInvalidParameterValue.Newf("The runtime parameter of %s is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.", rt)
	}
	if !slices.Contains(runtimes, rt) {
		return ErrInvalidParameterValue.Newf("Value %s at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [%s]", rt, strings.Join(runtimes, ", "))
	}
	return nil
}

func (s *Service) validateMemory(mb int) error {
	l := s.limits
	if mb < l.MinMemoryMB || mb > l.MaxMemoryMB {
		return rangeErr("MemorySize", int64(mb), int64(l.MinMemoryMB), int64(l.MaxMemoryMB), "MB", "Function memory allocation")
	}
	return nil
}

func (s *Service) validateTimeout(sec int) error {
	maxSec := int64(s.limits.MaxTimeout / time.Second)
	if sec < 1 || int64(sec) > maxSec {
		return rangeErr("Timeout", int64(sec), 1, maxSec, "seconds", "Function timeout")
	}
	return nil
}

func (s *Service) validateEphemeral(mb int) error {
	l := s.limits
	if mb < l.MinEphemeralStorageMB || mb > l.MaxEphemeralStorageMB {
		return rangeErr("EphemeralStorage", int64(mb), int64(l.MinEphemeralStorageMB), int64(l.MaxEphemeralStorageMB), "MB", "/tmp directory storage")
	}
	return nil
}

// validateEnvironment checks names, reserved keys and the 4 KB quota,
// measured, as Lambda measures it, on the variables' JSON.
func (s *Service) validateEnvironment(vars map[string]string) error {
	var reserved []string
	keys := slices.Sorted(maps.Keys(vars))
	for _, k := range keys {
		if slices.Contains(reservedEnvKeys, k) {
			reserved = append(reserved, k)
			continue
		}
		if !envKeyPattern.MatchString(k) {
			return ErrInvalidParameterValue.Newf("Lambda was unable to configure your environment variables because the environment variables you have provided contains invalid key %q: keys start with a letter and contain only letters, digits and underscores, at least 2 characters.", k)
		}
	}
	if len(reserved) > 0 {
		return ErrInvalidParameterValue.Newf("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s", strings.Join(reserved, ", "))
	}
	b, _ := json.Marshal(vars)
	if len(b) > s.limits.MaxEnvironmentSize {
		le := &LimitError{Limit: "Environment", Value: int64(len(b)), Max: int64(s.limits.MaxEnvironmentSize), Unit: "bytes"}
		return limitErr(ErrInvalidParameterValue, fmt.Sprintf("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit (%s). String measured: %s", le.Error(), b), le)
	}
	return nil
}

func (s *Service) validateArchitectures(a []string) (string, error) {
	switch {
	case len(a) == 0:
		return ArchitectureX8664, nil
	case len(a) > 1:
		return "", ErrInvalidParameterValue.Newf("Architectures: a function has exactly one architecture, got %d", len(a))
	case a[0] == ArchitectureX8664 || a[0] == ArchitectureArm64:
		return a[0], nil
	}
	return "", ErrInvalidParameterValue.Newf("Value [%s] at 'architectures' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]", a[0])
}

// validateCode checks the package against the deployment quotas and fills
// in the sizes and hash of c.
func (s *Service) validateCode(c *config, code *FunctionCode, op string) error {
	l := s.limits
	if code == nil {
		code = &FunctionCode{}
	}
	if c.packageType == PackageTypeImage {
		if code.ImageUri == "" {
			return ErrInvalidParameterValue.New("ImageUri is required for a function of PackageType Image")
		}
		if code.ImageSize > l.MaxImageSize {
			le := &LimitError{Limit: "ImageSize", Value: code.ImageSize, Max: l.MaxImageSize, Unit: "bytes"}
			return limitErr(ErrInvalidParameterValue, fmt.Sprintf("Container image code package size: %s (quota \"Container image code package size\", 10 GB)", le.Error()), le)
		}
		c.imageSize = code.ImageSize
		c.codeSize = 0
		c.unzipped = 0
		c.codeSha256 = sha256Base64([]byte(code.ImageUri))
		return nil
	}
	if code.ImageUri != "" {
		return ErrInvalidParameterValue.New("ImageUri is only valid for a function of PackageType Image")
	}
	zipped, unzipped := code.ZipSize, code.UnzippedSize
	if len(code.ZipFile) > 0 {
		zipped = int64(len(code.ZipFile))
		u, err := unzippedSize(code.ZipFile)
		if err != nil {
			return err
		}
		unzipped = u
	}
	direct := code.S3Bucket == "" && code.S3Key == ""
	if direct && zipped > l.MaxZippedPackageSize {
		le := &LimitError{Limit: "ZipFile", Value: zipped, Max: l.MaxZippedPackageSize, Unit: "bytes"}
		return limitErr(ErrRequestTooLarge, fmt.Sprintf("Request must be smaller than %d bytes for the %s operation: %s (quota \"Deployment package (.zip file archive) size\", 50 MB for direct upload; upload larger archives to Amazon S3)", l.MaxZippedPackageSize, op, le.Error()), le)
	}
	if unzipped > l.MaxUnzippedPackageSize {
		le := &LimitError{Limit: "UnzippedSize", Value: unzipped, Max: l.MaxUnzippedPackageSize, Unit: "bytes"}
		return limitErr(ErrInvalidParameterValue, fmt.Sprintf("Unzipped size must be smaller than %d bytes: %s (quota \"Deployment package (.zip file archive) size\", 250 MB unzipped including layers)", l.MaxUnzippedPackageSize, le.Error()), le)
	}
	c.codeSize, c.unzipped = zipped, unzipped
	if len(code.ZipFile) > 0 {
		c.codeSha256 = sha256Base64(code.ZipFile)
	}
	return nil
}

// unzippedSize reads a .zip archive's directory and adds up its entries.
func unzippedSize(b []byte) (int64, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return 0, ErrInvalidParameterValue.New("Could not unzip uploaded file. Please check your file, then try to upload again.")
	}
	var n int64
	for _, f := range zr.File {
		sz := int64(f.UncompressedSize64)
		if sz < 0 || n+sz < n {
			return 0, ErrInvalidParameterValue.New("Could not unzip uploaded file. Please check your file, then try to upload again.")
		}
		n += sz
	}
	return n, nil
}

// configuration renders c as the API's FunctionConfiguration.
func (c *config) configuration(name, arn, version, revision string) FunctionConfiguration {
	fc := FunctionConfiguration{
		FunctionName:     name,
		FunctionArn:      arn,
		Runtime:          c.runtime,
		Role:             c.role,
		Handler:          c.handlerName,
		Description:      c.description,
		CodeSize:         c.codeSize,
		CodeSha256:       c.codeSha256,
		MemorySize:       c.memoryMB,
		Timeout:          int(c.timeout / time.Second),
		Version:          version,
		EphemeralStorage: &EphemeralStorage{Size: c.ephemeralMB},
		Architectures:    []string{c.arch},
		PackageType:      c.packageType,
		DeadLetterConfig: c.dlq,
		VpcConfig:        c.vpc.response(),
		LastModified:     c.lastModified.UTC().Format("2006-01-02T15:04:05.000-0700"),
		RevisionId:       revision,
		State:            "Active",
		LastUpdateStatus: "Successful",
	}
	if c.packageType == PackageTypeImage {
		fc.Runtime = ""
	}
	if len(c.env) > 0 {
		fc.Environment = &Environment{Variables: maps.Clone(c.env)}
	}
	return fc
}

// sameAs reports whether two configurations would publish the same
// version: PublishVersion does not publish a copy of an unchanged $LATEST.
func (c *config) sameAs(o *config) bool {
	return c.runtime == o.runtime && c.role == o.role && c.description == o.description &&
		c.memoryMB == o.memoryMB && c.timeout == o.timeout && c.ephemeralMB == o.ephemeralMB &&
		maps.Equal(c.env, o.env) && c.arch == o.arch && c.codeSha256 == o.codeSha256 &&
		c.dlq == o.dlq && c.vpc.equal(o.vpc)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
