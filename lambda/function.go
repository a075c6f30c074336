package lambda

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"maps"
	"slices"
	"strconv"
	"time"
)

// function is one Lambda function: $LATEST, its published versions and
// aliases, and its configurations. Fields are guarded by Service.mu,
// except the concurrency fields, guarded by Service.conc.mu.
type function struct {
	name        string
	arn         string
	latest      *version
	versions    map[string]*version
	nextVersion int
	aliases     map[string]*alias
	events      map[string]*EventInvokeConfig // by qualifier, "" for unqualified
	provisioned map[string]*provisionedConfig // by qualifier
	metrics     *functionMetrics
	deleted     bool

	// guarded by Service.conc.mu
	reserved    int // -1: no reservation
	provTotal   int
	inFlight    int
	tokens      float64
	tokensAt    time.Time
	tokensSetUp bool
}

// version is a function version: $LATEST (replaced by a new value on
// every update) or an immutable published version.
type version struct {
	fn       *function
	number   string
	cfg      *config
	code     *Code
	revision string
	arn      string
	pool     *pool
	metrics  *metricSet
}

func (fn *function) allPools() []*pool {
	ps := []*pool{fn.latest.pool}
	for _, v := range fn.versions {
		ps = append(ps, v.pool)
	}
	return ps
}

// CreateFunctionInput is the input of CreateFunction.
type CreateFunctionInput struct {
	// FunctionName: 1 to 64 letters, digits, hyphens and underscores.
	FunctionName string
	// Handler is the code the function runs: see [Handler], [Typed],
	// [InitHandler] and [StreamingHandler]. Required.
	Handler *Code
	// Runtime defaults to provided.al2023, the runtime of Go functions.
	Runtime string
	// Role is the execution role's ARN; default a role of the account.
	Role        string
	Description string
	// MemorySize in MB: 128 to 10,240, default 128.
	MemorySize int
	// Timeout in seconds: 1 to 900, default 3.
	Timeout          int
	Environment      *Environment
	EphemeralStorage *EphemeralStorage
	// Architectures: x86_64 (default) or arm64.
	Architectures []string
	// PackageType: Zip (default) or Image.
	PackageType      string
	Code             *FunctionCode
	DeadLetterConfig *DeadLetterConfig
	// VpcConfig connects the function to a VPC; nil runs it outside any
	// VPC. See [VpcConfig] and [Dial].
	VpcConfig *VpcConfig
	// Publish publishes version 1 at once.
	Publish bool
}

// CreateFunctionOutput is the new function's configuration and a handle
// to invoke it.
type CreateFunctionOutput struct {
	FunctionConfiguration
	// Function invokes the new function; the same as Service.Function.
	Function *Function
}

// CreateFunction creates a function with the configuration given,
// checked against Lambda's quotas. The function's $LATEST can be invoked
// at once.
func (s *Service) CreateFunction(ctx context.Context, in *CreateFunctionInput) (*CreateFunctionOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("CreateFunctionInput is required")
	}
	if !validFunctionName(in.FunctionName) {
		return nil, badFunctionName(in.FunctionName)
	}
	if in.Handler == nil {
		return nil, ErrInvalidParameterValue.New("Handler is required: pass lambda.Handler(yourHandler)")
	}
	if err := in.Handler.Err(); err != nil {
		return nil, ErrInvalidParameterValue.Newf("Handler is not a valid Lambda handler: %v", err)
	}
	cfg := &config{
		runtime:     in.Runtime,
		role:        in.Role,
		description: in.Description,
		memoryMB:    in.MemorySize,
		timeout:     time.Duration(in.Timeout) * time.Second,
		ephemeralMB: DefaultEphemeralStorageMB,
		packageType: in.PackageType,
		dlq:         in.DeadLetterConfig,
		handlerName: in.Handler.Name(),
	}
	if cfg.packageType == "" {
		cfg.packageType = PackageTypeZip
	}
	if cfg.packageType != PackageTypeZip && cfg.packageType != PackageTypeImage {
		return nil, ErrInvalidParameterValue.Newf("Value %s at 'packageType' failed to satisfy constraint: Member must satisfy enum value set: [Zip, Image]", cfg.packageType)
	}
	if cfg.runtime == "" && cfg.packageType == PackageTypeZip {
		cfg.runtime = RuntimeProvidedAL2023
	}
	if cfg.packageType == PackageTypeZip {
		if err := s.validateRuntime(cfg.runtime); err != nil {
			return nil, err
		}
	}
	if cfg.role == "" {
		cfg.role = "arn:aws:iam::" + s.account + ":role/minicloud-lambda-role"
	} else if !rolePattern.MatchString(cfg.role) {
		return nil, ErrInvalidParameterValue.Newf("1 validation error detected: Value '%s' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+", cfg.role)
	}
	if cfg.memoryMB == 0 {
		cfg.memoryMB = DefaultMemoryMB
	}
	if in.Timeout == 0 {
		cfg.timeout = DefaultTimeoutSeconds * time.Second
	}
	if in.EphemeralStorage != nil {
		cfg.ephemeralMB = in.EphemeralStorage.Size
	}
	if in.Environment != nil {
		cfg.env = maps.Clone(in.Environment.Variables)
	}
	if err := s.checkConfig(cfg); err != nil {
		return nil, err
	}
	arch, err := s.validateArchitectures(in.Architectures)
	if err != nil {
		return nil, err
	}
	cfg.arch = arch
	if err := s.validateCode(cfg, in.Code, "CreateFunction"); err != nil {
		return nil, err
	}
	if cfg.vpc, err = s.validateVpcConfig(in.VpcConfig); err != nil {
		return nil, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed()
	}
	if _, ok := s.functions[in.FunctionName]; ok {
		return nil, ErrResourceConflict.Newf("Function already exist: %s", in.FunctionName)
	}
	if err := s.checkCodeStorageLocked(cfg.codeSize); err != nil {
		return nil, err
	}
	s.codeSeq++
	if cfg.codeSha256 == "" {
		cfg.codeSha256 = sha256Base64([]byte(in.FunctionName + "\x00" + cfg.handlerName + "\x00" + strconv.Itoa(s.codeSeq)))
	}
	cfg.lastModified = s.clock.Now()
	fn := &function{
		name:        in.FunctionName,
		arn:         s.functionARN(in.FunctionName),
		versions:    make(map[string]*version),
		nextVersion: 1,
		aliases:     make(map[string]*alias),
		events:      make(map[string]*EventInvokeConfig),
		provisioned: make(map[string]*provisionedConfig),
		metrics:     newFunctionMetrics(),
		reserved:    -1,
	}
	fn.latest = s.newVersion(fn, LatestVersion, cfg, in.Handler)
	s.functions[fn.name] = fn
	out := fn.latest.configuration()
	if in.Publish {
		v, _ := s.publishLocked(fn, "")
		out = v.configuration()
	}
	return &CreateFunctionOutput{FunctionConfiguration: out, Function: s.Function(fn.name)}, nil
}

// checkConfig validates the quota-bound fields of cfg.
func (s *Service) checkConfig(cfg *config) error {
	if err := s.validateMemory(cfg.memoryMB); err != nil {
		return err
	}
	if err := s.validateTimeout(int(cfg.timeout / time.Second)); err != nil {
		return err
	}
	if err := s.validateEphemeral(cfg.ephemeralMB); err != nil {
		return err
	}
	if len(cfg.description) > s.limits.MaxDescription {
		return rangeErr("Description", int64(len(cfg.description)), 0, int64(s.limits.MaxDescription), "characters", "Description length")
	}
	return s.validateEnvironment(cfg.env)
}

func (s *Service) newVersion(fn *function, number string, cfg *config, code *Code) *version {
	v := &version{fn: fn, number: number, cfg: cfg, code: code, revision: s.newRequestID()}
	v.arn = s.qualifiedARN(fn.name, number)
	v.pool = newPool(s, v)
	v.metrics = fn.metrics.set("v:" + number)
	return v
}

func (v *version) configuration() FunctionConfiguration {
	arn := v.arn
	if v.number == LatestVersion {
		arn = v.pool.s.functionARN(v.fn.name)
	}
	return v.cfg.configuration(v.fn.name, arn, v.number, v.revision)
}

// codeStorageLocked adds up the .zip bytes of every version of every
// function. The caller holds s.mu.
func (s *Service) codeStorageLocked() int64 {
	var n int64
	for _, fn := range s.functions {
		n += fn.latest.cfg.codeSize
		for _, v := range fn.versions {
			n += v.cfg.codeSize
		}
	}
	return n
}

func (s *Service) checkCodeStorageLocked(add int64) error {
	used := s.codeStorageLocked()
	if used+add > s.limits.CodeStorage {
		le := &LimitError{Limit: "CodeStorage", Value: used + add, Max: s.limits.CodeStorage, Unit: "bytes"}
		return limitErr(ErrCodeStorageExceeded, "Code storage limit exceeded: "+le.Error()+" (quota \"Function and layer storage\", 75 GB)", le)
	}
	return nil
}

// lockFunction parses a function name, locks s.mu and finds the function.
// On success the caller holds s.mu and must unlock it; on failure it is
// not held.
func (s *Service) lockFunction(name string) (*function, error) {
	ref, err := parseFunctionRef(name)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	return fn, nil
}

// lookupLocked returns the named function. The caller holds s.mu.
func (s *Service) lookupLocked(ref functionRef) (*function, error) {
	if s.closed {
		return nil, errClosed()
	}
	if (ref.account != "" && ref.account != s.account) || (ref.region != "" && ref.region != s.region) {
		return nil, ErrResourceNotFound.Newf("Function not found: %s", s.qualifiedARN(ref.name, ref.qualifier))
	}
	fn, ok := s.functions[ref.name]
	if !ok {
		return nil, ErrResourceNotFound.Newf("Function not found: %s", s.qualifiedARN(ref.name, ref.qualifier))
	}
	return fn, nil
}

// ref parses a FunctionName and merges the Qualifier parameter with the
// one it may carry.
func parseRefQualifier(name, qualifier string) (functionRef, error) {
	ref, err := parseFunctionRef(name)
	if err != nil {
		return ref, err
	}
	if qualifier != "" {
		if !validQualifier(qualifier) {
			return ref, ErrInvalidParameterValue.Newf("1 validation error detected: Value '%s' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)", qualifier)
		}
		if ref.qualifier != "" && ref.qualifier != qualifier {
			return ref, ErrInvalidParameterValue.New("The derived qualifier from the function name does not match the specified qualifier.")
		}
		ref.qualifier = qualifier
	}
	return ref, nil
}

// versionLocked returns the version a qualifier names directly ($LATEST
// or a number). The caller holds s.mu.
func (s *Service) versionLocked(fn *function, q string) (*version, bool) {
	if q == "" || q == LatestVersion {
		return fn.latest, true
	}
	v, ok := fn.versions[q]
	return v, ok
}

// GetFunctionInput is the input of GetFunction and
// GetFunctionConfiguration.
type GetFunctionInput struct {
	FunctionName string
	// Qualifier selects a version or alias; default $LATEST.
	Qualifier string
}

// GetFunctionOutput is the configuration of the function version, and its
// concurrency reservation if any.
type GetFunctionOutput struct {
	Configuration FunctionConfiguration
	// Concurrency is the reserved concurrency, nil when none is set.
	Concurrency *int
}

// GetFunction returns a function version's configuration.
func (s *Service) GetFunction(ctx context.Context, in *GetFunctionInput) (*GetFunctionOutput, error) {
	cfg, err := s.GetFunctionConfiguration(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &GetFunctionOutput{Configuration: *cfg}
	s.mu.RLock()
	fn := s.functions[cfg.FunctionName]
	s.mu.RUnlock()
	if fn != nil {
		if r := s.conc.reservedOf(fn); r >= 0 {
			out.Concurrency = &r
		}
	}
	return out, nil
}

// GetFunctionConfiguration returns a function version's configuration.
func (s *Service) GetFunctionConfiguration(ctx context.Context, in *GetFunctionInput) (*FunctionConfiguration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("GetFunctionInput is required")
	}
	ref, err := parseRefQualifier(in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		return nil, err
	}
	q := ref.qualifier
	if a, ok := fn.aliases[q]; ok {
		q = a.version
	}
	v, ok := s.versionLocked(fn, q)
	if !ok {
		return nil, ErrResourceNotFound.Newf("Function not found: %s", s.qualifiedARN(fn.name, ref.qualifier))
	}
	c := v.configuration()
	return &c, nil
}

// UpdateFunctionConfigurationInput changes $LATEST's configuration. Zero
// and nil fields are left as they are.
type UpdateFunctionConfigurationInput struct {
	FunctionName     string
	Runtime          string
	Role             string
	Description      *string
	MemorySize       int
	Timeout          int
	Environment      *Environment
	EphemeralStorage *EphemeralStorage
	DeadLetterConfig *DeadLetterConfig
	// VpcConfig, when set, replaces the function's; one with no subnets
	// and no security groups takes it out of its VPC.
	VpcConfig *VpcConfig
	// RevisionId, when set, must be $LATEST's current RevisionId.
	RevisionId string
}

// UpdateFunctionConfiguration changes $LATEST. Execution environments of
// the old configuration serve no further invocation: the next one starts
// a new environment, as in Lambda.
func (s *Service) UpdateFunctionConfiguration(ctx context.Context, in *UpdateFunctionConfigurationInput) (*FunctionConfiguration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("UpdateFunctionConfigurationInput is required")
	}
	fn, err := s.lockFunction(in.FunctionName)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if in.RevisionId != "" && in.RevisionId != fn.latest.revision {
		return nil, ErrPreconditionFailed.New("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	cfg := *fn.latest.cfg
	if in.Runtime != "" {
		if err := s.validateRuntime(in.Runtime); err != nil {
			return nil, err
		}
		cfg.runtime = in.Runtime
	}
	if in.Role != "" {
		if !rolePattern.MatchString(in.Role) {
			return nil, ErrInvalidParameterValue.Newf("1 validation error detected: Value '%s' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+", in.Role)
		}
		cfg.role = in.Role
	}
	if in.Description != nil {
		cfg.description = *in.Description
	}
	if in.MemorySize != 0 {
		cfg.memoryMB = in.MemorySize
	}
	if in.Timeout != 0 {
		cfg.timeout = time.Duration(in.Timeout) * time.Second
	}
	if in.EphemeralStorage != nil {
		cfg.ephemeralMB = in.EphemeralStorage.Size
	}
	if in.Environment != nil {
		cfg.env = maps.Clone(in.Environment.Variables)
	}
	if in.DeadLetterConfig != nil {
		cfg.dlq = in.DeadLetterConfig
		if in.DeadLetterConfig.Target == nil {
			cfg.dlq = nil
		}
	}
	if in.VpcConfig != nil {
		if cfg.vpc, err = s.validateVpcConfig(in.VpcConfig); err != nil {
			return nil, err
		}
	}
	if err := s.checkConfig(&cfg); err != nil {
		return nil, err
	}
	cfg.lastModified = s.clock.Now()
	s.replaceLatestLocked(fn, &cfg, fn.latest.code)
	c := fn.latest.configuration()
	return &c, nil
}

func (s *Service) replaceLatestLocked(fn *function, cfg *config, code *Code) {
	old := fn.latest
	fn.latest = s.newVersion(fn, LatestVersion, cfg, code)
	old.pool.retire(nil)
}

// UpdateFunctionCodeInput replaces $LATEST's code.
type UpdateFunctionCodeInput struct {
	FunctionName string
	// Handler is the new code; nil keeps the handler and changes only the
	// package described by Code.
	Handler *Code
	Code    *FunctionCode
	// Publish publishes a version after the update.
	Publish    bool
	RevisionId string
}

// UpdateFunctionCode replaces $LATEST's code and package, and optionally
// publishes a version. Environments of the old code are not reused.
func (s *Service) UpdateFunctionCode(ctx context.Context, in *UpdateFunctionCodeInput) (*FunctionConfiguration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("UpdateFunctionCodeInput is required")
	}
	ref, err := parseFunctionRef(in.FunctionName)
	if err != nil {
		return nil, err
	}
	if in.Handler != nil {
		if err := in.Handler.Err(); err != nil {
			return nil, ErrInvalidParameterValue.Newf("Handler is not a valid Lambda handler: %v", err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		return nil, err
	}
	if in.RevisionId != "" && in.RevisionId != fn.latest.revision {
		return nil, ErrPreconditionFailed.New("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	cfg := *fn.latest.cfg
	cfg.codeSha256 = ""
	if err := s.validateCode(&cfg, in.Code, "UpdateFunctionCode"); err != nil {
		return nil, err
	}
	if err := s.checkCodeStorageLocked(cfg.codeSize - fn.latest.cfg.codeSize); err != nil {
		return nil, err
	}
	code := fn.latest.code
	if in.Handler != nil {
		code = in.Handler
		cfg.handlerName = code.Name()
	}
	s.codeSeq++
	if cfg.codeSha256 == "" {
		cfg.codeSha256 = sha256Base64([]byte(fn.name + "\x00" + cfg.handlerName + "\x00" + strconv.Itoa(s.codeSeq)))
	}
	cfg.lastModified = s.clock.Now()
	s.replaceLatestLocked(fn, &cfg, code)
	if in.Publish {
		v, err := s.publishLocked(fn, "")
		if err != nil {
			return nil, err
		}
		c := v.configuration()
		return &c, nil
	}
	c := fn.latest.configuration()
	return &c, nil
}

// DeleteFunctionInput deletes a function, or one version of it.
type DeleteFunctionInput struct {
	FunctionName string
	// Qualifier names a version to delete; empty deletes the function with
	// all its versions and aliases.
	Qualifier string
}

// DeleteFunction deletes a function or a version. A version an alias
// points at cannot be deleted; $LATEST is deleted only with the function.
func (s *Service) DeleteFunction(ctx context.Context, in *DeleteFunctionInput) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if in == nil {
		return ErrInvalidParameterValue.New("DeleteFunctionInput is required")
	}
	ref, err := parseRefQualifier(in.FunctionName, in.Qualifier)
	if err != nil {
		return err
	}
	s.mu.Lock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	switch q := ref.qualifier; {
	case q == LatestVersion:
		s.mu.Unlock()
		return ErrInvalidParameterValue.New("$LATEST version cannot be deleted without deleting the function.")
	case q != "":
		v, ok := fn.versions[q]
		if !ok {
			s.mu.Unlock()
			return ErrResourceNotFound.Newf("Function not found: %s", s.qualifiedARN(fn.name, q))
		}
		var users []string
		for _, a := range sortedKeys(fn.aliases) {
			al := fn.aliases[a]
			if al.version == q || al.weights[q] > 0 {
				users = append(users, a)
			}
		}
		if len(users) > 0 {
			s.mu.Unlock()
			return ErrResourceConflict.Newf("Unable to delete version because the following aliases reference it: %v", users)
		}
		delete(fn.versions, q)
		delete(fn.events, q)
		pc := fn.provisioned[q]
		delete(fn.provisioned, q)
		s.mu.Unlock()
		if pc != nil {
			s.conc.setProvisioned(fn, -pc.requested)
		}
		v.pool.retire(nil)
		return nil
	}
	delete(s.functions, fn.name)
	fn.deleted = true
	pools := fn.allPools()
	s.mu.Unlock()
	s.conc.forget(fn)
	for _, p := range pools {
		p.retire(nil)
	}
	return nil
}

// ListFunctionsInput is the input of ListFunctions.
type ListFunctionsInput struct {
	// FunctionVersion "ALL" lists every published version too.
	FunctionVersion string
	// Marker is the NextMarker of the previous page.
	Marker string
	// MaxItems per page: 1 to 10,000, default 50.
	MaxItems int
}

// ListFunctionsOutput is one page of functions, sorted by name.
type ListFunctionsOutput struct {
	Functions  []FunctionConfiguration
	NextMarker string
}

// ListFunctions lists the functions' $LATEST configurations (and their
// versions with FunctionVersion "ALL"), 50 per page by default.
func (s *Service) ListFunctions(ctx context.Context, in *ListFunctionsInput) (*ListFunctionsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &ListFunctionsInput{}
	}
	if in.FunctionVersion != "" && in.FunctionVersion != "ALL" {
		return nil, ErrInvalidParameterValue.Newf("Value %s at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]", in.FunctionVersion)
	}
	max := in.MaxItems
	if max == 0 {
		max = 50
	}
	if max < 1 || max > 10000 {
		return nil, rangeErr("MaxItems", int64(max), 1, 10000, "", "ListFunctions page size")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, errClosed()
	}
	var all []FunctionConfiguration
	for _, name := range sortedKeys(s.functions) {
		fn := s.functions[name]
		all = append(all, fn.latest.configuration())
		if in.FunctionVersion == "ALL" {
			nums := slices.Collect(maps.Keys(fn.versions))
			slices.SortFunc(nums, func(a, b string) int { x, _ := strconv.Atoi(a); y, _ := strconv.Atoi(b); return x - y })
			for _, n := range nums {
				all = append(all, fn.versions[n].configuration())
			}
		}
	}
	start, end, next, err := pageBounds(len(all), in.Marker, max)
	if err != nil {
		return nil, err
	}
	return &ListFunctionsOutput{Functions: all[start:end], NextMarker: next}, nil
}

// pageBounds cuts a list of n items into the page that starts at marker
// (an index, as NextMarker gives it) and holds at most max items.
func pageBounds(n int, marker string, max int) (start, end int, next string, err error) {
	if marker != "" {
		start, err = strconv.Atoi(marker)
		if err != nil || start < 0 || start > n {
			return 0, 0, "", ErrInvalidParameterValue.Newf("Marker %q is not valid", marker)
		}
	}
	end = min(start+max, n)
	if end < n {
		next = strconv.Itoa(end)
	}
	return start, end, next, nil
}

func sha256Base64(b []byte) string {
	sum := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// Function is a handle on a function (optionally qualified: "name:alias",
// "name:3" or an ARN) that other packages invoke through an interface of
// their own with the method Invoke(ctx, payload) ([]byte, error). It is
// cheap to make, holds no state and may name a function that does not
// exist yet.
type Function struct {
	s    *Service
	name string
}

// Function returns a handle on the function named name, which may carry
// a qualifier or be an ARN.
func (s *Service) Function(name string) *Function { return &Function{s: s, name: name} }

// Name returns the name the handle was made with.
func (f *Function) Name() string { return f.name }

// Invoke invokes the function synchronously (RequestResponse) and returns
// its response payload. A function error (the handler returned an error,
// panicked, timed out) comes back as a [*FunctionError]; a failed call
// (throttled, not found, payload too large) as an [*Error].
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	out, err := f.s.Invoke(ctx, &InvokeInput{FunctionName: f.name, Payload: payload})
	if err != nil {
		return nil, err
	}
	if out.FunctionError != "" {
		return nil, parseFunctionError(out.FunctionError, out.Payload)
	}
	return out.Payload, nil
}

// Send invokes the function asynchronously (InvocationType Event) with
// message as its event, so that a Function is a [Destination]: Lambda
// delivers destination records to a function this way. Attributes are
// ignored.
func (f *Function) Send(ctx context.Context, message []byte, _ map[string]string) error {
	_, err := f.s.Invoke(ctx, &InvokeInput{FunctionName: f.name, InvocationType: InvocationTypeEvent, Payload: message})
	return err
}
