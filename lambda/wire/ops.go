package wire

import (
	"net/http"
	"strconv"

	"github.com/minicloud/minicloud/lambda"
)

// operations maps each operation's name to its implementation.
var operations = map[string]func(h *Handler, req *request) (*response, error){
	"CreateFunction":              (*Handler).createFunction,
	"GetFunction":                 (*Handler).getFunction,
	"GetFunctionConfiguration":    (*Handler).getFunctionConfiguration,
	"UpdateFunctionConfiguration": (*Handler).updateFunctionConfiguration,
	"UpdateFunctionCode":          (*Handler).updateFunctionCode,
	"DeleteFunction":              (*Handler).deleteFunction,
	"ListFunctions":               (*Handler).listFunctions,
	"Invoke":                      (*Handler).invoke,
	"PublishVersion":              (*Handler).publishVersion,
	"ListVersionsByFunction":      (*Handler).listVersionsByFunction,
	"CreateAlias":                 (*Handler).createAlias,
	"GetAlias":                    (*Handler).getAlias,
	"UpdateAlias":                 (*Handler).updateAlias,
	"DeleteAlias":                 (*Handler).deleteAlias,
	"ListAliases":                 (*Handler).listAliases,
	"PutFunctionConcurrency":      (*Handler).putFunctionConcurrency,
	"GetFunctionConcurrency":      (*Handler).getFunctionConcurrency,
	"DeleteFunctionConcurrency":   (*Handler).deleteFunctionConcurrency,
	"GetAccountSettings":          (*Handler).getAccountSettings,
}

// Operations returns the names of the operations the handler serves, in
// no particular order.
func (h *Handler) Operations() []string {
	names := make([]string, 0, len(operations))
	for n := range operations {
		names = append(names, n)
	}
	return names
}

// functionConfiguration is FunctionConfiguration as Lambda sends it.
type functionConfiguration struct {
	FunctionName     string                   `json:"FunctionName"`
	FunctionArn      string                   `json:"FunctionArn"`
	Runtime          string                   `json:"Runtime,omitempty"`
	Role             string                   `json:"Role"`
	Handler          string                   `json:"Handler,omitempty"`
	CodeSize         int64                    `json:"CodeSize"`
	Description      string                   `json:"Description"`
	Timeout          int                      `json:"Timeout"`
	MemorySize       int                      `json:"MemorySize"`
	LastModified     string                   `json:"LastModified"`
	CodeSha256       string                   `json:"CodeSha256"`
	Version          string                   `json:"Version"`
	Environment      *environment             `json:"Environment,omitempty"`
	RevisionId       string                   `json:"RevisionId"`
	State            string                   `json:"State,omitempty"`
	LastUpdateStatus string                   `json:"LastUpdateStatus,omitempty"`
	PackageType      string                   `json:"PackageType"`
	Architectures    []string                 `json:"Architectures"`
	EphemeralStorage *lambda.EphemeralStorage `json:"EphemeralStorage,omitempty"`
}

// environment is Environment on the wire, in requests and responses.
type environment struct {
	Variables map[string]string `json:"Variables"`
}

func toWire(c *lambda.FunctionConfiguration) functionConfiguration {
	out := functionConfiguration{
		FunctionName: c.FunctionName, FunctionArn: c.FunctionArn, Runtime: c.Runtime, Role: c.Role,
		Handler: c.Handler, CodeSize: c.CodeSize, Description: c.Description, Timeout: c.Timeout,
		MemorySize: c.MemorySize, LastModified: c.LastModified, CodeSha256: c.CodeSha256, Version: c.Version,
		RevisionId: c.RevisionId, State: c.State, LastUpdateStatus: c.LastUpdateStatus, PackageType: c.PackageType,
		Architectures: c.Architectures, EphemeralStorage: c.EphemeralStorage,
	}
	if c.Environment != nil {
		out.Environment = &environment{Variables: c.Environment.Variables}
	}
	return out
}

func toWireList(cs []lambda.FunctionConfiguration) []functionConfiguration {
	out := make([]functionConfiguration, len(cs))
	for i := range cs {
		out[i] = toWire(&cs[i])
	}
	return out
}

// functionCode is FunctionCode in CreateFunction and UpdateFunctionCode.
type functionCode struct {
	ZipFile  []byte `json:"ZipFile"`
	S3Bucket string `json:"S3Bucket"`
	S3Key    string `json:"S3Key"`
	ImageUri string `json:"ImageUri"`
}

func (c *functionCode) native() *lambda.FunctionCode {
	if c == nil {
		return nil
	}
	return &lambda.FunctionCode{ZipFile: c.ZipFile, S3Bucket: c.S3Bucket, S3Key: c.S3Key, ImageUri: c.ImageUri}
}

// code returns the registered code of a Handler string.
func (h *Handler) code(name string) (*lambda.Code, error) {
	c, ok := h.opts.Handlers[name]
	if !ok || c == nil {
		return nil, lambda.ErrInvalidParameterValue.Newf("Handler %q is not registered: minicloud runs a function created over the wire from the bootstrap executable of its ZipFile (runtime provided.al2023 or provided.al2), or from the Go code registered under its Handler in wire.Options.Handlers; it cannot fetch code from S3, run container images or run other runtimes' code (or create the function in Go with lambda.Service.CreateFunction)", name)
	}
	return c, nil
}

func (h *Handler) createFunction(req *request) (*response, error) {
	var in struct {
		FunctionName     string                   `json:"FunctionName"`
		Runtime          string                   `json:"Runtime"`
		Role             string                   `json:"Role"`
		Handler          string                   `json:"Handler"`
		Description      string                   `json:"Description"`
		Timeout          int                      `json:"Timeout"`
		MemorySize       int                      `json:"MemorySize"`
		Publish          bool                     `json:"Publish"`
		PackageType      string                   `json:"PackageType"`
		Architectures    []string                 `json:"Architectures"`
		Environment      *environment             `json:"Environment"`
		EphemeralStorage *lambda.EphemeralStorage `json:"EphemeralStorage"`
		Code             *functionCode            `json:"Code"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	native := &lambda.CreateFunctionInput{
		FunctionName: in.FunctionName, Runtime: in.Runtime, Role: in.Role,
		Description: in.Description, MemorySize: in.MemorySize, Timeout: in.Timeout,
		EphemeralStorage: in.EphemeralStorage, Architectures: in.Architectures, PackageType: in.PackageType,
		Code: in.Code.native(), Publish: in.Publish,
	}
	if in.Environment != nil {
		native.Environment = &lambda.Environment{Variables: in.Environment.Variables}
	}
	if h.fromZip(in.Handler, in.Runtime, in.PackageType, in.Code) {
		return h.createFromZip(req.ctx, native, in.Handler)
	}
	code, err := h.code(in.Handler)
	if err != nil {
		return nil, err
	}
	native.Handler = code
	out, err := h.svc.CreateFunction(req.ctx, native)
	if err != nil {
		return nil, err
	}
	return jsonResponse(http.StatusCreated, toWire(&out.FunctionConfiguration))
}

func (h *Handler) getFunction(req *request) (*response, error) {
	out, err := h.svc.GetFunction(req.ctx, &lambda.GetFunctionInput{FunctionName: req.function, Qualifier: req.query.Get("Qualifier")})
	if err != nil {
		return nil, err
	}
	type concurrency struct {
		ReservedConcurrentExecutions int `json:"ReservedConcurrentExecutions"`
	}
	var doc struct {
		Configuration functionConfiguration `json:"Configuration"`
		Code          *codeLocation         `json:"Code,omitempty"`
		Concurrency   *concurrency          `json:"Concurrency,omitempty"`
	}
	doc.Configuration = toWire(&out.Configuration)
	doc.Code = h.codeLocation(&out.Configuration)
	if out.Concurrency != nil {
		doc.Concurrency = &concurrency{ReservedConcurrentExecutions: *out.Concurrency}
	}
	return jsonResponse(http.StatusOK, doc)
}

func (h *Handler) getFunctionConfiguration(req *request) (*response, error) {
	out, err := h.svc.GetFunctionConfiguration(req.ctx, &lambda.GetFunctionInput{FunctionName: req.function, Qualifier: req.query.Get("Qualifier")})
	if err != nil {
		return nil, err
	}
	return jsonResponse(http.StatusOK, toWire(out))
}

func (h *Handler) updateFunctionConfiguration(req *request) (*response, error) {
	var in struct {
		Runtime          string                   `json:"Runtime"`
		Role             string                   `json:"Role"`
		Handler          string                   `json:"Handler"`
		Description      *string                  `json:"Description"`
		Timeout          int                      `json:"Timeout"`
		MemorySize       int                      `json:"MemorySize"`
		Environment      *environment             `json:"Environment"`
		EphemeralStorage *lambda.EphemeralStorage `json:"EphemeralStorage"`
		RevisionId       string                   `json:"RevisionId"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	native := &lambda.UpdateFunctionConfigurationInput{
		FunctionName: req.function, Runtime: in.Runtime, Role: in.Role, Description: in.Description,
		MemorySize: in.MemorySize, Timeout: in.Timeout, EphemeralStorage: in.EphemeralStorage, RevisionId: in.RevisionId,
	}
	if in.Environment != nil {
		native.Environment = &lambda.Environment{Variables: in.Environment.Variables}
		if native.Environment.Variables == nil {
			native.Environment.Variables = map[string]string{}
		}
	}
	if in.Handler != "" {
		// A new Handler string switches to the code registered under it.
		code, err := h.code(in.Handler)
		if err != nil {
			return nil, err
		}
		cur, err := h.svc.GetFunctionConfiguration(req.ctx, &lambda.GetFunctionInput{FunctionName: req.function})
		if err != nil {
			return nil, err
		}
		if cur.Handler != code.Name() {
			if _, err := h.svc.UpdateFunctionCode(req.ctx, &lambda.UpdateFunctionCodeInput{FunctionName: req.function, Handler: code, RevisionId: in.RevisionId}); err != nil {
				return nil, err
			}
			native.RevisionId = ""
		}
	}
	out, err := h.svc.UpdateFunctionConfiguration(req.ctx, native)
	if err != nil {
		return nil, err
	}
	return jsonResponse(http.StatusOK, toWire(out))
}

func (h *Handler) updateFunctionCode(req *request) (*response, error) {
	var in struct {
		functionCode
		Publish    bool   `json:"Publish"`
		RevisionId string `json:"RevisionId"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	native := &lambda.UpdateFunctionCodeInput{
		FunctionName: req.function, Code: in.functionCode.native(), Publish: in.Publish, RevisionId: in.RevisionId,
	}
	if len(in.ZipFile) > 0 {
		if res, ok, err := h.updateFromZip(req.ctx, native); ok {
			return res, err
		}
	}
	out, err := h.svc.UpdateFunctionCode(req.ctx, native)
	if err != nil {
		return nil, err
	}
	return jsonResponse(http.StatusOK, toWire(out))
}

func (h *Handler) deleteFunction(req *request) (*response, error) {
	if err := h.svc.DeleteFunction(req.ctx, &lambda.DeleteFunctionInput{FunctionName: req.function, Qualifier: req.query.Get("Qualifier")}); err != nil {
		return nil, err
	}
	h.codeMu.Lock()
	h.collectCode()
	h.codeMu.Unlock()
	return &response{status: http.StatusNoContent}, nil
}

// maxItems reads the MaxItems query parameter (0 when absent).
func maxItems(req *request) (int, error) {
	s := req.query.Get("MaxItems")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 10000 {
		return 0, lambda.ErrInvalidParameterValue.Newf("MaxItems must be an integer from 1 to 10000, not %q", s)
	}
	return n, nil
}

func (h *Handler) listFunctions(req *request) (*response, error) {
	n, err := maxItems(req)
	if err != nil {
		return nil, err
	}
	version := req.query.Get("FunctionVersion")
	if version != "" && version != "ALL" {
		return nil, lambda.ErrInvalidParameterValue.Newf("FunctionVersion must be ALL, not %q", version)
	}
	out, err := h.svc.ListFunctions(req.ctx, &lambda.ListFunctionsInput{FunctionVersion: version, Marker: req.query.Get("Marker"), MaxItems: n})
	if err != nil {
		return nil, err
	}
	return jsonResponse(http.StatusOK, struct {
		Functions  []functionConfiguration `json:"Functions"`
		NextMarker string                  `json:"NextMarker,omitempty"`
	}{toWireList(out.Functions), out.NextMarker})
}

func (h *Handler) listVersionsByFunction(req *request) (*response, error) {
	n, err := maxItems(req)
	if err != nil {
		return nil, err
	}
	out, err := h.svc.ListVersionsByFunction(req.ctx, &lambda.ListVersionsByFunctionInput{FunctionName: req.function, Marker: req.query.Get("Marker"), MaxItems: n})
	if err != nil {
		return nil, err
	}
	return jsonResponse(http.StatusOK, struct {
		Versions   []functionConfiguration `json:"Versions"`
		NextMarker string                  `json:"NextMarker,omitempty"`
	}{toWireList(out.Versions), out.NextMarker})
}

func (h *Handler) invoke(req *request) (*response, error) {
	out, err := h.svc.Invoke(req.ctx, &lambda.InvokeInput{
		FunctionName:   req.function,
		Qualifier:      req.query.Get("Qualifier"),
		InvocationType: req.header.Get("X-Amz-Invocation-Type"),
		LogType:        req.header.Get("X-Amz-Log-Type"),
		ClientContext:  req.header.Get("X-Amz-Client-Context"),
		Payload:        req.body,
	})
	if err != nil {
		return nil, err
	}
	res := &response{status: out.StatusCode, header: map[string]string{}}
	if out.FunctionError != "" {
		res.header["X-Amz-Function-Error"] = out.FunctionError
	}
	if out.LogResult != "" {
		res.header["X-Amz-Log-Result"] = out.LogResult
	}
	if out.ExecutedVersion != "" {
		res.header["X-Amz-Executed-Version"] = out.ExecutedVersion
	}
	if out.StatusCode == http.StatusOK {
		res.body = out.Payload
		if res.body == nil {
			res.body = []byte{}
		}
	}
	return res, nil
}

func (h *Handler) publishVersion(req *request) (*response, error) {
	var in struct {
		CodeSha256  string `json:"CodeSha256"`
		Description string `json:"Description"`
		RevisionId  string `json:"RevisionId"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	out, err := h.svc.PublishVersion(req.ctx, &lambda.PublishVersionInput{FunctionName: req.function, CodeSha256: in.CodeSha256, Description: in.Description, RevisionId: in.RevisionId})
	if err != nil {
		return nil, err
	}
	return jsonResponse(http.StatusCreated, toWire(out))
}

// routingConfig is AliasRoutingConfiguration on the wire.
type routingConfig struct {
	AdditionalVersionWeights map[string]float64 `json:"AdditionalVersionWeights"`
}

// aliasConfiguration is AliasConfiguration on the wire.
type aliasConfiguration struct {
	AliasArn        string         `json:"AliasArn"`
	Name            string         `json:"Name"`
	FunctionVersion string         `json:"FunctionVersion"`
	Description     string         `json:"Description"`
	RoutingConfig   *routingConfig `json:"RoutingConfig,omitempty"`
	RevisionId      string         `json:"RevisionId"`
}

func aliasToWire(a *lambda.AliasConfiguration) aliasConfiguration {
	out := aliasConfiguration{AliasArn: a.AliasArn, Name: a.Name, FunctionVersion: a.FunctionVersion, Description: a.Description, RevisionId: a.RevisionId}
	if a.RoutingConfig != nil && len(a.RoutingConfig.AdditionalVersionWeights) > 0 {
		out.RoutingConfig = &routingConfig{AdditionalVersionWeights: a.RoutingConfig.AdditionalVersionWeights}
	}
	return out
}

func (r *routingConfig) native() *lambda.AliasRoutingConfiguration {
	if r == nil {
		return nil
	}
	return &lambda.AliasRoutingConfiguration{AdditionalVersionWeights: r.AdditionalVersionWeights}
}

func (h *Handler) createAlias(req *request) (*response, error) {
	var in struct {
		Name            string         `json:"Name"`
		FunctionVersion string         `json:"FunctionVersion"`
		Description     string         `json:"Description"`
		RoutingConfig   *routingConfig `json:"RoutingConfig"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	out, err := h.svc.CreateAlias(req.ctx, &lambda.CreateAliasInput{FunctionName: req.function, Name: in.Name,
		FunctionVersion: in.FunctionVersion, Description: in.Description, RoutingConfig: in.RoutingConfig.native()})
	if err != nil {
		return nil, err
	}
	return jsonResponse(http.StatusCreated, aliasToWire(out))
}

func (h *Handler) getAlias(req *request) (*response, error) {
	out, err := h.svc.GetAlias(req.ctx, &lambda.GetAliasInput{FunctionName: req.function, Name: req.alias})
	if err != nil {
		return nil, err
	}
	return jsonResponse(http.StatusOK, aliasToWire(out))
}

func (h *Handler) updateAlias(req *request) (*response, error) {
	var in struct {
		FunctionVersion string         `json:"FunctionVersion"`
		Description     *string        `json:"Description"`
		RoutingConfig   *routingConfig `json:"RoutingConfig"`
		RevisionId      string         `json:"RevisionId"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	out, err := h.svc.UpdateAlias(req.ctx, &lambda.UpdateAliasInput{FunctionName: req.function, Name: req.alias,
		FunctionVersion: in.FunctionVersion, Description: in.Description, RoutingConfig: in.RoutingConfig.native(), RevisionId: in.RevisionId})
	if err != nil {
		return nil, err
	}
	return jsonResponse(http.StatusOK, aliasToWire(out))
}

func (h *Handler) deleteAlias(req *request) (*response, error) {
	if err := h.svc.DeleteAlias(req.ctx, &lambda.DeleteAliasInput{FunctionName: req.function, Name: req.alias}); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}

func (h *Handler) listAliases(req *request) (*response, error) {
	if _, err := maxItems(req); err != nil {
		return nil, err
	}
	out, err := h.svc.ListAliases(req.ctx, &lambda.ListAliasesInput{FunctionName: req.function, FunctionVersion: req.query.Get("FunctionVersion")})
	if err != nil {
		return nil, err
	}
	aliases := make([]aliasConfiguration, len(out.Aliases))
	for i := range out.Aliases {
		aliases[i] = aliasToWire(&out.Aliases[i])
	}
	return jsonResponse(http.StatusOK, struct {
		Aliases []aliasConfiguration `json:"Aliases"`
	}{aliases})
}

func (h *Handler) putFunctionConcurrency(req *request) (*response, error) {
	var in struct {
		ReservedConcurrentExecutions *int `json:"ReservedConcurrentExecutions"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if in.ReservedConcurrentExecutions == nil {
		return nil, lambda.ErrInvalidParameterValue.New("ReservedConcurrentExecutions is required")
	}
	out, err := h.svc.PutFunctionConcurrency(req.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: req.function, ReservedConcurrentExecutions: *in.ReservedConcurrentExecutions})
	if err != nil {
		return nil, err
	}
	return concurrencyResponse(out)
}

func concurrencyResponse(c *lambda.FunctionConcurrency) (*response, error) {
	return jsonResponse(http.StatusOK, struct {
		ReservedConcurrentExecutions *int `json:"ReservedConcurrentExecutions,omitempty"`
	}{c.ReservedConcurrentExecutions})
}

func (h *Handler) getFunctionConcurrency(req *request) (*response, error) {
	out, err := h.svc.GetFunctionConcurrency(req.ctx, &lambda.FunctionConcurrencyInput{FunctionName: req.function})
	if err != nil {
		return nil, err
	}
	return concurrencyResponse(out)
}

func (h *Handler) deleteFunctionConcurrency(req *request) (*response, error) {
	if err := h.svc.DeleteFunctionConcurrency(req.ctx, &lambda.FunctionConcurrencyInput{FunctionName: req.function}); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}

func (h *Handler) getAccountSettings(req *request) (*response, error) {
	out, err := h.svc.GetAccountSettings(req.ctx)
	if err != nil {
		return nil, err
	}
	type limit struct {
		TotalCodeSize                  int64 `json:"TotalCodeSize"`
		CodeSizeUnzipped               int64 `json:"CodeSizeUnzipped"`
		CodeSizeZipped                 int64 `json:"CodeSizeZipped"`
		ConcurrentExecutions           int   `json:"ConcurrentExecutions"`
		UnreservedConcurrentExecutions int   `json:"UnreservedConcurrentExecutions"`
	}
	type usage struct {
		TotalCodeSize int64 `json:"TotalCodeSize"`
		FunctionCount int   `json:"FunctionCount"`
	}
	l, u := out.AccountLimit, out.AccountUsage
	return jsonResponse(http.StatusOK, struct {
		AccountLimit limit `json:"AccountLimit"`
		AccountUsage usage `json:"AccountUsage"`
	}{
		limit{l.TotalCodeSize, l.CodeSizeUnzipped, l.CodeSizeZipped, l.ConcurrentExecutions, l.UnreservedConcurrentExecutions},
		usage{u.TotalCodeSize, u.FunctionCount},
	})
}
