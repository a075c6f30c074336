package apigw

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ImportOptions configures [Service.ImportOpenAPI].
type ImportOptions struct {
	// Kind is the kind of API to create: REST (the default, as
	// ImportRestApi) or HTTP (as ImportApi).
	Kind Kind
	// Name names the API; empty means the document's info.title.
	Name string
	// Functions resolves the Lambda function of an aws_proxy integration
	// to an [Invoker]. It receives the function's ARN as the integration
	// URI names it ("arn:aws:lambda:us-east-1:123456789012:function:items",
	// possibly with a qualifier or ${stageVariables.x}); with a
	// lambda.Service, lambda.Service.Function accepts it as it is. It is
	// required when the document has aws_proxy integrations.
	Functions func(functionARN string) (Invoker, error)
	// HTTPClient calls the endpoints of http_proxy integrations; nil
	// means http.DefaultClient.
	HTTPClient *http.Client
	// OtherIntegration builds the integration of any other type (aws,
	// http: integrations with mapping templates) from the route key and
	// the x-amazon-apigateway-integration object; nil makes such a
	// document an error.
	OtherIntegration func(routeKey string, integration map[string]any) (Integration, error)
	// JWKS supplies the JSON Web Key Set (the document an issuer's
	// jwks_uri serves) of a JWT or Cognito user pool authorizer, given its
	// issuer: a jwt authorizer's jwtConfiguration.issuer, or
	// "https://cognito-idp.{region}.amazonaws.com/{userPoolId}" for each of
	// a cognito_user_pools authorizer's providerARNs (their sets are
	// merged). It is called once per issuer during the import, and the
	// keys become the authorizer's [Authorizer].JWKS; minicloud never
	// fetches keys over the network. It is required when the document has
	// such an authorizer: without it the import is refused.
	JWKS func(issuer string) ([]byte, error)
}

// ImportOpenAPI creates an API from an OpenAPI 3.0 or Swagger 2.0
// document, in JSON or YAML, with API Gateway's extensions, as
// ImportRestApi (REST) and ImportApi (HTTP) do. It reads:
//
//   - paths and their operations (get, put, post, delete, options, head,
//     patch, and x-amazon-apigateway-any-method for ANY; "/$default" with
//     x-amazon-apigateway-any-method is an HTTP API's $default route);
//   - x-amazon-apigateway-integration of type aws_proxy (a Lambda
//     function, through ImportOptions.Functions; payloadFormatVersion),
//     http_proxy (an [HTTPProxy] to uri), mock (a [Mock] answering the
//     default integration response's status, static header values and
//     response template) and, through ImportOptions.OtherIntegration,
//     any other; timeoutInMillis; an integration may be a $ref to
//     components.x-amazon-apigateway-integrations (HTTP APIs);
//   - for REST APIs: parameters (query, header and path, with required)
//     as RequestParameters; request bodies (OpenAPI 3.0 requestBody,
//     Swagger 2.0 body parameters with consumes) as RequestModels, each
//     schema made a self-contained JSON Schema draft 4 document with the
//     components it references under "definitions";
//     x-amazon-apigateway-request-validators and
//     x-amazon-apigateway-request-validator (document default and per
//     operation); security with an apiKey scheme in header x-api-key as
//     APIKeyRequired; x-amazon-apigateway-api-key-source;
//     x-amazon-apigateway-binary-media-types;
//   - security schemes with x-amazon-apigateway-authtype awsSigv4 as
//     AWS_IAM authorization;
//   - security schemes (OpenAPI 3 components.securitySchemes, Swagger 2.0
//     securityDefinitions) with x-amazon-apigateway-authorizer, each
//     created as an authorizer named after its scheme: type token or
//     request (a Lambda function named by authorizerUri, resolved through
//     ImportOptions.Functions; authorizerResultTtlInSeconds, where 0 turns
//     caching off; identitySource; identityValidationExpression; for HTTP
//     APIs authorizerPayloadFormatVersion and enableSimpleResponses),
//     cognito_user_pools (providerARNs) and jwt (jwtConfiguration issuer
//     and audience), the last two with keys from ImportOptions.JWKS. A
//     token or cognito_user_pools authorizer without identitySource reads
//     the header its apiKey scheme names. Token and cognito_user_pools
//     are REST's, jwt is HTTP's;
//   - the security requirements of operations (or, for operations
//     without one, of the document) as the route's authorization: an
//     authorizer's scheme makes it CUSTOM, COGNITO_USER_POOLS or JWT with
//     that authorizer, and a Cognito or JWT requirement's list is the
//     route's AuthorizationScopes; an empty list ("security: []") leaves
//     the operation open. A method takes one authorizer or AWS_IAM, plus
//     an API key on REST APIs;
//   - for HTTP APIs: x-amazon-apigateway-cors as the API's CORS.
//
// Nothing is created unless the whole document imports: every error is a
// BadRequestException whose message starts "Errors found during import:"
// and says where the problem is.
func (s *Service) ImportOpenAPI(doc []byte, opts ImportOptions) (api *API, err error) {
	defer func() {
		// The document is untrusted; no input may take the service down.
		if p := recover(); p != nil {
			api, err = nil, importError("", fmt.Sprintf("the document cannot be read (%v)", p))
		}
	}()
	if opts.Kind == 0 {
		opts.Kind = REST
	}
	root, err := decodeDocument(doc)
	if err != nil {
		return nil, err
	}
	im := &importer{opts: opts, root: root}
	plan, err := im.plan()
	if err != nil {
		return nil, err
	}
	if opts.Name != "" {
		plan.cfg.Name = opts.Name
	}
	api, err = s.CreateAPI(plan.cfg)
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	for _, pa := range plan.authorizers {
		id, err := api.CreateAuthorizer(pa.cfg)
		if err != nil {
			_ = s.DeleteAPI(api.ID())
			return nil, importError(pa.where, errMessage(err))
		}
		ids[pa.cfg.Name] = id
	}
	for _, r := range plan.routes {
		if r.route.AuthorizerID != "" {
			r.route.AuthorizerID = ids[r.route.AuthorizerID]
		}
		if err := api.Route(r.key, r.route); err != nil {
			_ = s.DeleteAPI(api.ID())
			return nil, importError(r.where, err.Error())
		}
	}
	return api, nil
}

// importError is the BadRequestException of a failed import.
func importError(where, what string) error {
	if where != "" {
		what = where + ": " + what
	}
	return ErrBadRequest.New("Errors found during import: " + what)
}

// obj is a JSON or YAML object of the document.
type obj = map[string]any

// decodeDocument reads JSON or YAML into maps, slices and scalars.
func decodeDocument(doc []byte) (obj, error) {
	trimmed := bytes.TrimSpace(doc)
	if len(trimmed) == 0 {
		return nil, importError("", "the document is empty")
	}
	var v any
	if trimmed[0] == '{' {
		d := json.NewDecoder(bytes.NewReader(trimmed))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return nil, importError("", "the document is not valid JSON: "+err.Error())
		}
		if d.More() {
			return nil, importError("", "the document has data after its end")
		}
	} else {
		var y any
		if err := yaml.Unmarshal(trimmed, &y); err != nil {
			return nil, importError("", "the document is neither JSON nor valid YAML: "+err.Error())
		}
		var err error
		if v, err = normalizeYAML(y, 0); err != nil {
			return nil, err
		}
	}
	root, ok := v.(obj)
	if !ok {
		return nil, importError("", "the document is not an object")
	}
	return root, nil
}

// normalizeYAML turns YAML's decoded values into JSON's: string keys,
// json.Number numbers.
func normalizeYAML(v any, depth int) (any, error) {
	if depth > 512 {
		return nil, importError("", "the document is nested too deeply")
	}
	switch t := v.(type) {
	case map[string]any:
		out := make(obj, len(t))
		for k, e := range t {
			n, err := normalizeYAML(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	case map[any]any:
		out := make(obj, len(t))
		for k, e := range t {
			n, err := normalizeYAML(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = n
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			n, err := normalizeYAML(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case int:
		return json.Number(fmt.Sprint(t)), nil
	case int64:
		return json.Number(fmt.Sprint(t)), nil
	case uint64:
		return json.Number(fmt.Sprint(t)), nil
	case float64:
		b, err := json.Marshal(t)
		if err != nil {
			return nil, importError("", "the document has a number JSON cannot hold")
		}
		return json.Number(b), nil
	case time.Time:
		// YAML reads an unquoted date as a timestamp; OpenAPI means text.
		return t.Format(time.RFC3339), nil
	case string, bool, nil:
		return t, nil
	}
	return fmt.Sprint(v), nil
}

// importer reads one document.
type importer struct {
	opts      ImportOptions
	root      obj
	swagger   bool              // Swagger 2.0 rather than OpenAPI 3.x
	authTypes map[string]string // authorizer type by security scheme name
}

type importPlan struct {
	cfg         APIConfig
	authorizers []plannedAuthorizer
	routes      []plannedRoute
}

type plannedRoute struct {
	where string
	key   string
	route Route
}

// operationMethods maps an operation's field to a route method.
var operationMethods = map[string]string{
	"get": "GET", "put": "PUT", "post": "POST", "delete": "DELETE", "options": "OPTIONS",
	"head": "HEAD", "patch": "PATCH", "x-amazon-apigateway-any-method": "ANY",
}

// plan reads the whole document into an API configuration and its
// routes, creating nothing.
func (im *importer) plan() (*importPlan, error) {
	switch {
	case str(im.root["swagger"]) == "2.0":
		im.swagger = true
	case strings.HasPrefix(str(im.root["openapi"]), "3."):
	default:
		return nil, importError("", `the document is neither Swagger 2.0 ("swagger": "2.0") nor OpenAPI 3 ("openapi": "3.0.x")`)
	}
	p := &importPlan{cfg: APIConfig{Kind: im.opts.Kind}}
	info, _ := im.root["info"].(obj)
	p.cfg.Name = str(info["title"])
	p.cfg.Description = str(info["description"])
	if p.cfg.Name == "" && im.opts.Name == "" {
		return nil, importError("info.title", "the API needs a title")
	}
	if v, ok := im.root["x-amazon-apigateway-api-key-source"]; ok {
		src := strings.ToUpper(str(v))
		if src != "HEADER" && src != "AUTHORIZER" {
			return nil, importError("x-amazon-apigateway-api-key-source", fmt.Sprintf("%v is not HEADER or AUTHORIZER", v))
		}
		p.cfg.APIKeySource = src
	}
	if v, ok := im.root["x-amazon-apigateway-binary-media-types"]; ok {
		types, err := strList(v)
		if err != nil {
			return nil, importError("x-amazon-apigateway-binary-media-types", err.Error())
		}
		p.cfg.BinaryMediaTypes = types
	}
	if v, ok := im.root["x-amazon-apigateway-cors"]; ok && im.opts.Kind == HTTP {
		cors, err := readCORS(v)
		if err != nil {
			return nil, importError("x-amazon-apigateway-cors", err.Error())
		}
		p.cfg.CORS = cors
	}
	validators, err := im.validators()
	if err != nil {
		return nil, err
	}
	if p.authorizers, err = im.authorizers(); err != nil {
		return nil, err
	}
	defaultValidator := ""
	if v, ok := im.root["x-amazon-apigateway-request-validator"]; ok {
		defaultValidator = str(v)
		if _, ok := validators[defaultValidator]; !ok {
			return nil, importError("x-amazon-apigateway-request-validator", fmt.Sprintf("no request validator named %q in x-amazon-apigateway-request-validators", defaultValidator))
		}
	}
	paths, ok := im.root["paths"].(obj)
	if !ok {
		if _, present := im.root["paths"]; present {
			return nil, importError("paths", "paths is not an object")
		}
	}
	for _, path := range sortedKeys(paths) {
		item, ok := paths[path].(obj)
		if !ok {
			return nil, importError("paths."+path, "a path item must be an object")
		}
		shared, _ := item["parameters"].([]any)
		for _, field := range sortedKeys(item) {
			if field == "parameters" || field == "summary" || field == "description" || field == "servers" || strings.HasPrefix(field, "x-") && field != "x-amazon-apigateway-any-method" {
				continue
			}
			method, ok := operationMethods[field]
			if !ok {
				return nil, importError("paths."+path, fmt.Sprintf("operation %q is not supported: use get, put, post, delete, options, head, patch or x-amazon-apigateway-any-method", field))
			}
			where := "paths." + path + "." + field
			op, ok := item[field].(obj)
			if !ok {
				return nil, importError(where, "an operation must be an object")
			}
			key := method + " " + path
			if path == "/$default" && method == "ANY" {
				key = DefaultRouteKey
			}
			r, err := im.operation(where, key, op, shared, validators, defaultValidator)
			if err != nil {
				return nil, err
			}
			p.routes = append(p.routes, plannedRoute{where: where, key: key, route: r})
		}
	}
	if len(p.routes) == 0 && im.opts.Kind == REST {
		return nil, importError("paths", "the document has no operations")
	}
	return p, nil
}

// validators reads x-amazon-apigateway-request-validators.
func (im *importer) validators() (map[string]RequestValidator, error) {
	out := map[string]RequestValidator{}
	raw, ok := im.root["x-amazon-apigateway-request-validators"]
	if !ok {
		return out, nil
	}
	m, ok := raw.(obj)
	if !ok {
		return nil, importError("x-amazon-apigateway-request-validators", "must be an object of validators by name")
	}
	for name, v := range m {
		vm, ok := v.(obj)
		if !ok {
			return nil, importError("x-amazon-apigateway-request-validators."+name, "a validator must be an object")
		}
		body, err1 := boolField(vm, "validateRequestBody")
		params, err2 := boolField(vm, "validateRequestParameters")
		if err1 != nil || err2 != nil {
			return nil, importError("x-amazon-apigateway-request-validators."+name, "validateRequestBody and validateRequestParameters must be booleans")
		}
		out[name] = RequestValidator{Name: name, ValidateRequestBody: body, ValidateRequestParameters: params}
	}
	return out, nil
}

// operation reads one operation into a Route.
func (im *importer) operation(where, key string, op obj, shared []any, validators map[string]RequestValidator, defaultValidator string) (Route, error) {
	var r Route
	r.OperationName = str(op["operationId"])
	ext, ok := op["x-amazon-apigateway-integration"].(obj)
	if !ok {
		return r, importError(where, "No integration defined for method (x-amazon-apigateway-integration)")
	}
	if ref, isRef := ext["$ref"]; isRef {
		// HTTP APIs may share integrations under
		// components.x-amazon-apigateway-integrations.
		name, prefixed := strings.CutPrefix(str(ref), "#/components/x-amazon-apigateway-integrations/")
		comps, _ := im.root["components"].(obj)
		shared, _ := comps["x-amazon-apigateway-integrations"].(obj)
		if ext, ok = shared[unescapePointer(name)].(obj); !prefixed || !ok || im.swagger {
			return r, importError(where+".x-amazon-apigateway-integration", fmt.Sprintf("$ref %v is not an integration under #/components/x-amazon-apigateway-integrations/", ref))
		}
	}
	in, timeout, err := im.integration(key, ext)
	if err != nil {
		return r, importError(where+".x-amazon-apigateway-integration", err.Error())
	}
	r.Integration, r.Timeout = in, timeout
	if err := im.security(where, op, &r); err != nil {
		return r, err
	}
	if im.opts.Kind != REST {
		// HTTP APIs have no request validation, models or API keys;
		// ImportApi ignores them.
		r.APIKeyRequired = false
		return r, nil
	}
	params, models, err := im.parameters(where, op, shared)
	if err != nil {
		return r, err
	}
	if rb, ok := op["requestBody"]; ok && !im.swagger {
		if models, err = im.requestBody(where+".requestBody", rb); err != nil {
			return r, err
		}
	}
	if len(params) > 0 {
		r.RequestParameters = params
	}
	if len(models) > 0 {
		r.RequestModels = models
	}
	name := defaultValidator
	if v, ok := op["x-amazon-apigateway-request-validator"]; ok {
		name = str(v)
	}
	if name != "" {
		v, ok := validators[name]
		if !ok {
			return r, importError(where+".x-amazon-apigateway-request-validator", fmt.Sprintf("no request validator named %q in x-amazon-apigateway-request-validators", name))
		}
		r.RequestValidator = &v
	}
	return r, nil
}

// security reads the operation's (or the document's) security
// requirements: an API key, IAM, or an authorizer.
func (im *importer) security(where string, op obj, r *Route) error {
	reqs, ok := op["security"]
	if !ok {
		reqs = im.root["security"]
	}
	list, isList := reqs.([]any)
	if reqs != nil && !isList {
		return importError(where+".security", "security must be a list of security requirements")
	}
	schemes := im.securitySchemes()
	for _, req := range list {
		m, ok := req.(obj)
		if !ok {
			return importError(where+".security", "a security requirement must be an object")
		}
		for _, name := range sortedKeys(m) {
			scheme, ok := schemes[name].(obj)
			if !ok {
				return importError(where+".security", fmt.Sprintf("security scheme %q is not defined", name))
			}
			switch {
			case scheme["x-amazon-apigateway-authorizer"] != nil:
				if err := im.useAuthorizer(where+".security", name, m[name], r); err != nil {
					return err
				}
			case strings.EqualFold(str(scheme["x-amazon-apigateway-authtype"]), "awsSigv4"):
				if err := im.setAuth(where+".security", AuthIAM, "", r); err != nil {
					return err
				}
			case str(scheme["type"]) == "apiKey" && strings.EqualFold(str(scheme["in"]), "header") && strings.EqualFold(str(scheme["name"]), "x-api-key"):
				r.APIKeyRequired = true
			default:
				return importError(where+".security", fmt.Sprintf("security scheme %q is neither an API key in header x-api-key, awsSigv4, nor an authorizer", name))
			}
		}
	}
	return nil
}

func (im *importer) securitySchemes() obj {
	if im.swagger {
		m, _ := im.root["securityDefinitions"].(obj)
		return m
	}
	comps, _ := im.root["components"].(obj)
	m, _ := comps["securitySchemes"].(obj)
	return m
}

// parameters reads the operation's and its path item's parameters: the
// required flags of query, header and path parameters, and (Swagger 2.0)
// the body parameter's schema for each media type the operation
// consumes.
func (im *importer) parameters(where string, op obj, shared []any) (map[string]bool, map[string]string, error) {
	own, _ := op["parameters"].([]any)
	if v, ok := op["parameters"]; ok && own == nil && v != nil {
		return nil, nil, importError(where+".parameters", "parameters must be a list")
	}
	type param struct {
		in, name string
		required bool
		schema   any
	}
	byKey := map[string]param{}
	var order []string
	for i, list := range [][]any{shared, own} {
		for j, raw := range list {
			pw := fmt.Sprintf("%s.parameters[%d]", where, j)
			if i == 0 {
				pw = fmt.Sprintf("%s(path item).parameters[%d]", where, j)
			}
			m, err := im.deref(pw, raw, "parameters")
			if err != nil {
				return nil, nil, err
			}
			name, in := str(m["name"]), str(m["in"])
			if name == "" || in == "" {
				return nil, nil, importError(pw, "a parameter needs a name and an in")
			}
			req, err := boolField(m, "required")
			if err != nil {
				return nil, nil, importError(pw, "required must be a boolean")
			}
			k := in + "\x00" + name
			if _, seen := byKey[k]; !seen {
				order = append(order, k)
			}
			byKey[k] = param{in: in, name: name, required: req || in == "path", schema: m["schema"]}
		}
	}
	params := map[string]bool{}
	models := map[string]string{}
	for _, k := range order {
		p := byKey[k]
		switch p.in {
		case "query":
			params["method.request.querystring."+p.name] = p.required
		case "header":
			params["method.request.header."+p.name] = p.required
		case "path":
			params["method.request.path."+p.name] = true
		case "body":
			if !im.swagger {
				return nil, nil, importError(where, `"in": "body" is Swagger 2.0; OpenAPI 3 uses requestBody`)
			}
			consumes, err := strList(op["consumes"])
			if err != nil || len(consumes) == 0 {
				consumes, _ = strList(im.root["consumes"])
			}
			if len(consumes) == 0 {
				consumes = []string{"application/json"}
			}
			model, err := im.model(where+".parameters(body).schema", p.schema)
			if err != nil {
				return nil, nil, err
			}
			for _, ct := range consumes {
				models[ct] = model
			}
		case "cookie", "formData":
			// API Gateway has no request parameters of these kinds.
		default:
			return nil, nil, importError(where, fmt.Sprintf("parameter %s: unknown location %q", p.name, p.in))
		}
	}
	return params, models, nil
}

// requestBody reads an OpenAPI 3 request body's schemas by media type.
func (im *importer) requestBody(where string, raw any) (map[string]string, error) {
	rb, err := im.deref(where, raw, "requestBodies")
	if err != nil {
		return nil, err
	}
	content, ok := rb["content"].(obj)
	if !ok {
		return nil, importError(where, "a request body needs content")
	}
	models := map[string]string{}
	for _, ct := range sortedKeys(content) {
		mt, ok := content[ct].(obj)
		if !ok {
			return nil, importError(where+".content."+ct, "a media type must be an object")
		}
		s, ok := mt["schema"]
		if !ok {
			continue
		}
		model, err := im.model(where+".content."+ct+".schema", s)
		if err != nil {
			return nil, err
		}
		models[ct] = model
	}
	return models, nil
}

// deref follows a $ref to #/components/{section}/X (OpenAPI 3) or
// #/{section}/X (Swagger 2.0, where requestBodies do not exist).
func (im *importer) deref(where string, raw any, section string) (obj, error) {
	for range 16 {
		m, ok := raw.(obj)
		if !ok {
			return nil, importError(where, "must be an object")
		}
		ref, isRef := m["$ref"]
		if !isRef {
			return m, nil
		}
		prefix := "#/components/" + section + "/"
		if im.swagger {
			prefix = "#/" + section + "/"
		}
		name, ok := strings.CutPrefix(str(ref), prefix)
		if !ok {
			return nil, importError(where, fmt.Sprintf("$ref %v: only references to %s... are supported", ref, prefix))
		}
		var from obj
		if im.swagger {
			from, _ = im.root[section].(obj)
		} else {
			comps, _ := im.root["components"].(obj)
			from, _ = comps[section].(obj)
		}
		next, ok := from[unescapePointer(name)]
		if !ok {
			return nil, importError(where, fmt.Sprintf("$ref %v is not defined", ref))
		}
		raw = next
	}
	return nil, importError(where, "$ref chain too long (a cycle?)")
}

// readCORS reads x-amazon-apigateway-cors.
func readCORS(v any) (*CORS, error) {
	m, ok := v.(obj)
	if !ok {
		return nil, fmt.Errorf("must be an object")
	}
	var cfg CORS
	var err error
	for field, dst := range map[string]*[]string{
		"allowOrigins": &cfg.AllowOrigins, "allowMethods": &cfg.AllowMethods,
		"allowHeaders": &cfg.AllowHeaders, "exposeHeaders": &cfg.ExposeHeaders,
	} {
		if *dst, err = strList(m[field]); err != nil {
			return nil, fmt.Errorf("%s: %v", field, err)
		}
	}
	if cfg.AllowCredentials, err = boolField(m, "allowCredentials"); err != nil {
		return nil, fmt.Errorf("allowCredentials must be a boolean")
	}
	if v, ok := m["maxAge"]; ok {
		n, ok := intValue(v)
		if !ok {
			return nil, fmt.Errorf("maxAge must be an integer")
		}
		cfg.MaxAge = n
	}
	if err := ValidateCORS(cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// Small readers of decoded values.

func str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "true"
		}
		return "false"
	}
	return ""
}

func strList(v any) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("must be a list of strings")
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("must be a list of strings")
		}
		out = append(out, s)
	}
	return out, nil
}

func boolField(m obj, field string) (bool, error) {
	switch t := m[field].(type) {
	case nil:
		return false, nil
	case bool:
		return t, nil
	case string:
		if t == "true" || t == "false" {
			return t == "true", nil
		}
	}
	return false, fmt.Errorf("%s must be a boolean", field)
}

func intValue(v any) (int, bool) {
	var f float64
	switch t := v.(type) {
	case json.Number:
		n, err := t.Float64()
		if err != nil {
			return 0, false
		}
		f = n
	case string:
		var n json.Number = json.Number(t)
		x, err := n.Float64()
		if err != nil {
			return 0, false
		}
		f = x
	default:
		return 0, false
	}
	if f != float64(int(f)) || f > 1<<31 || f < -(1<<31) {
		return 0, false
	}
	return int(f), true
}

// unescapePointer undoes a JSON pointer token's ~1 and ~0.
func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// escapePointer makes a name a JSON pointer token.
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
