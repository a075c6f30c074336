package apigw

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ExportOpenAPI writes what a stage serves as an OpenAPI 3.0 document in
// JSON with API Gateway's extensions, as GetExport does with
// x-amazon-apigateway-integrations: the deployment's routes with their
// integrations (aws_proxy with the function's ARN, http_proxy, mock),
// parameters, request bodies (each model with its definitions moved to
// components.schemas), request validators, API key and IAM security, the
// authorizers (security schemes named after them, with
// x-amazon-apigateway-authorizer and, on REST APIs,
// x-amazon-apigateway-authtype custom or cognito_user_pools) and each
// route's requirement of its authorizer with its scopes, the API key
// source, binary media types and (HTTP APIs) CORS. An empty stage name
// exports the API's working copy instead.
//
// A Lambda integration's function is named by its Name() method (a
// *lambda.Function has one): an ARN is written as it is, a bare name as
// arn:aws:lambda:{region}:{account}:function:{name}. Integrations that
// live only in Go — an [IntegrationFunc], an [HTTPProxy] to an
// in-process Handler, a function without a name — are exported without
// x-amazon-apigateway-integration. A Lambda authorizer's function is
// named the same way; one without a name is written without
// authorizerUri, so that an import refuses it rather than opening its
// routes. Keys (JWKS, JWKSFunc) are not written: on import,
// ImportOptions.JWKS supplies them. A Cognito authorizer's Issuer and
// Audience have no place in the extension and are left out.
// [Service.ImportOpenAPI] reads the document back.
//
// NotFoundException if the stage does not exist.
func (a *API) ExportOpenAPI(stage string) ([]byte, error) {
	var cfg APIConfig
	var routes []*route
	var authorizers map[string]*authorizer
	version := ""
	if stage == "" {
		a.mu.Lock()
		cfg = a.cfg
		for _, r := range a.routes {
			routes = append(routes, r)
		}
		authorizers = maps.Clone(a.authorizers)
		a.mu.Unlock()
		version = a.created.UTC().Format(time.RFC3339)
	} else {
		st := a.Stage(stage)
		if st == nil {
			return nil, ErrNotFound.Newf("Invalid stage identifier specified: %s", stage)
		}
		st.mu.Lock()
		dep := st.dep
		st.mu.Unlock()
		cfg = dep.cfg
		routes = dep.router.routes()
		authorizers = dep.authorizers
		version = dep.CreatedDate.UTC().Format(time.RFC3339)
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].key.String() < routes[j].key.String() })
	ex := &exporter{api: a, schemas: obj{}, validators: obj{}, authorizers: authorizers}
	ex.apiKeyName, ex.sigv4Name = ex.schemeName("api_key"), ex.schemeName("sigv4")
	doc := obj{
		"openapi": "3.0.1",
		"info":    obj{"title": cfg.Name, "version": version},
	}
	if cfg.Description != "" {
		doc["info"].(obj)["description"] = cfg.Description
	}
	server := obj{"url": "https://" + a.Endpoint() + "/{basePath}", "variables": obj{"basePath": obj{"default": stage}}}
	if stage == "" || stage == "$default" {
		server = obj{"url": "https://" + a.Endpoint()}
	}
	doc["servers"] = []any{server}
	paths := obj{}
	for _, r := range routes {
		path, field := r.key.path, "x-amazon-apigateway-any-method"
		if r.key.path == "" {
			path = "/$default"
		} else if r.key.method != "ANY" {
			field = strings.ToLower(r.key.method)
		}
		item, _ := paths[path].(obj)
		if item == nil {
			item = obj{}
			paths[path] = item
		}
		op, err := ex.operation(r, cfg.Kind)
		if err != nil {
			return nil, err
		}
		item[field] = op
	}
	doc["paths"] = paths
	components := obj{}
	if len(ex.schemas) > 0 {
		components["schemas"] = ex.schemas
	}
	schemes := ex.authSchemes(cfg.Kind)
	if ex.apiKey {
		schemes[ex.apiKeyName] = obj{"type": "apiKey", "name": "x-api-key", "in": "header"}
	}
	if ex.sigv4 {
		schemes[ex.sigv4Name] = obj{"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"}
	}
	if len(schemes) > 0 {
		components["securitySchemes"] = schemes
	}
	if len(components) > 0 {
		doc["components"] = components
	}
	if len(ex.validators) > 0 {
		doc["x-amazon-apigateway-request-validators"] = ex.validators
	}
	if cfg.Kind == REST && cfg.APIKeySource != "" {
		doc["x-amazon-apigateway-api-key-source"] = cfg.APIKeySource
	}
	if len(cfg.BinaryMediaTypes) > 0 {
		doc["x-amazon-apigateway-binary-media-types"] = cfg.BinaryMediaTypes
	}
	if cfg.Kind == HTTP && cfg.CORS != nil {
		c := obj{}
		for k, v := range map[string][]string{"allowOrigins": cfg.CORS.AllowOrigins, "allowMethods": cfg.CORS.AllowMethods, "allowHeaders": cfg.CORS.AllowHeaders, "exposeHeaders": cfg.CORS.ExposeHeaders} {
			if len(v) > 0 {
				c[k] = v
			}
		}
		if cfg.CORS.MaxAge != 0 {
			c["maxAge"] = cfg.CORS.MaxAge
		}
		if cfg.CORS.AllowCredentials {
			c["allowCredentials"] = true
		}
		doc["x-amazon-apigateway-cors"] = c
	}
	return json.MarshalIndent(doc, "", "  ")
}

// routes lists a deployment's routes.
func (rt *router) routes() []*route {
	var out []*route
	if rt.def != nil {
		out = append(out, rt.def)
	}
	var walk func(n *node)
	walk = func(n *node) {
		for _, r := range n.routes {
			out = append(out, r)
		}
		for _, c := range n.literal {
			walk(c)
		}
		if n.param != nil {
			walk(n.param)
		}
		if n.greedy != nil {
			walk(n.greedy)
		}
	}
	walk(rt.root)
	return out
}

// exporter collects what the document's components need.
type exporter struct {
	api         *API
	schemas     obj                    // components.schemas
	validators  obj                    // x-amazon-apigateway-request-validators
	authorizers map[string]*authorizer // by ID
	apiKey      bool                   // the API key scheme is used
	sigv4       bool                   // the SigV4 scheme is used
	apiKeyName  string                 // the API key scheme's name
	sigv4Name   string                 // the SigV4 scheme's name
}

// operation writes one route.
func (ex *exporter) operation(r *route, kind Kind) (obj, error) {
	cfg := r.cfg
	op := obj{}
	if cfg.OperationName != "" {
		op["operationId"] = cfg.OperationName
	}
	var params []any
	for _, k := range sortedKeys(cfg.RequestParameters) {
		rest, ok := strings.CutPrefix(k, "method.request.")
		where, name, ok2 := strings.Cut(rest, ".")
		if !ok || !ok2 {
			continue
		}
		in := map[string]string{"querystring": "query", "header": "header", "path": "path"}[where]
		if in == "" {
			continue
		}
		params = append(params, obj{"name": name, "in": in, "required": cfg.RequestParameters[k] || in == "path", "schema": obj{"type": "string"}})
	}
	// Path variables are parameters of the operation even when the route
	// lists none.
	for _, name := range r.params {
		if _, listed := cfg.RequestParameters["method.request.path."+name]; !listed {
			params = append(params, obj{"name": name, "in": "path", "required": true, "schema": obj{"type": "string"}})
		}
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if len(cfg.RequestModels) > 0 {
		content := obj{}
		for _, ct := range sortedKeys(cfg.RequestModels) {
			s, err := ex.schema(cfg.RequestModels[ct])
			if err != nil {
				return nil, ErrBadRequest.Newf("route %s: the model for %s: %v", r.key, ct, err)
			}
			content[ct] = obj{"schema": s}
		}
		op["requestBody"] = obj{"content": content, "required": true}
	}
	if v := cfg.RequestValidator; v != nil {
		op["x-amazon-apigateway-request-validator"] = ex.validator(*v)
	}
	if sec := ex.security(cfg); sec != nil {
		op["security"] = sec
	}
	if in := ex.integration(cfg, kind); in != nil {
		op["x-amazon-apigateway-integration"] = in
	}
	op["responses"] = obj{"default": obj{"description": "Default response"}}
	return op, nil
}

// integration writes x-amazon-apigateway-integration, or nil for an
// integration that lives only in Go.
func (ex *exporter) integration(cfg Route, kind Kind) obj {
	var out obj
	switch in := cfg.Integration.(type) {
	case LambdaProxy:
		arn := ex.functionARN(in.Function)
		if arn == "" {
			return nil
		}
		out = obj{"type": "aws_proxy", "httpMethod": "POST", "uri": ex.lambdaURI(arn)}
		switch {
		case in.PayloadFormatVersion != "":
			out["payloadFormatVersion"] = in.PayloadFormatVersion
		case kind == HTTP:
			out["payloadFormatVersion"] = "2.0"
		}
	case HTTPProxy:
		if in.Handler != nil || in.Endpoint == "" {
			return nil
		}
		out = obj{"type": "http_proxy", "httpMethod": "ANY", "uri": in.Endpoint}
	case Mock:
		code := in.StatusCode
		if code == 0 {
			code = http.StatusOK
		}
		res := obj{"statusCode": strconv.Itoa(code)}
		if len(in.Header) > 0 {
			rp := obj{}
			for _, k := range sortedKeys(in.Header) {
				rp["method.response.header."+k] = "'" + strings.Join(in.Header[k], ",") + "'"
			}
			res["responseParameters"] = rp
		}
		if in.Body != "" {
			res["responseTemplates"] = obj{"application/json": in.Body}
		}
		out = obj{
			"type":             "mock",
			"requestTemplates": obj{"application/json": fmt.Sprintf(`{"statusCode": %d}`, code)},
			"responses":        obj{"default": res},
		}
	default:
		return nil
	}
	if cfg.Timeout != 0 {
		out["timeoutInMillis"] = cfg.Timeout.Milliseconds()
	}
	return out
}

// schema writes a model as an OpenAPI schema: its definitions move to
// components.schemas (renamed on a clash with a different schema) and
// its references follow them.
func (ex *exporter) schema(model string) (obj, error) {
	var doc obj
	if err := json.Unmarshal([]byte(model), &doc); err != nil {
		return nil, err
	}
	delete(doc, "$schema")
	defs, _ := doc["definitions"].(obj)
	delete(doc, "definitions")
	rename := map[string]string{}
	for _, name := range sortedKeys(defs) {
		target := name
		for i := 2; ; i++ {
			existing, taken := ex.schemas[target]
			if !taken || sameJSON(existing, defs[name]) {
				break
			}
			target = name + strconv.Itoa(i)
		}
		rename[name] = target
	}
	fix := func(v any) any { return rewriteRefs(v, rename) }
	for name, target := range rename {
		ex.schemas[target] = fix(defs[name])
	}
	return fix(doc).(obj), nil
}

// rewriteRefs points "#/definitions/X" references at components.schemas.
func rewriteRefs(v any, rename map[string]string) any {
	switch t := v.(type) {
	case obj:
		out := make(obj, len(t))
		for k, e := range t {
			if dataKeywords[k] {
				out[k] = e
				continue
			}
			if s, ok := e.(string); ok && k == "$ref" {
				if name, ok := strings.CutPrefix(s, "#/definitions/"); ok {
					if target, ok := rename[unescapePointer(name)]; ok {
						out[k] = "#/components/schemas/" + escapePointer(target)
						continue
					}
				}
			}
			out[k] = rewriteRefs(e, rename)
		}
		// OpenAPI 3.0 has no type lists: ["string", "null"] is nullable.
		if types, ok := out["type"].([]any); ok && len(types) == 2 {
			for i, typ := range types {
				if typ == "null" {
					out["type"], out["nullable"] = types[1-i], true
					break
				}
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = rewriteRefs(e, rename)
		}
		return out
	}
	return v
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// validator names a request validator in the document, keeping its name
// unless two validators share it.
func (ex *exporter) validator(v RequestValidator) string {
	name := v.Name
	if name == "" {
		switch {
		case v.ValidateRequestBody && v.ValidateRequestParameters:
			name = "Validate body, query string parameters, and headers"
		case v.ValidateRequestBody:
			name = "Validate body"
		case v.ValidateRequestParameters:
			name = "Validate query string parameters and headers"
		default:
			name = "Validate nothing"
		}
	}
	want := obj{"validateRequestBody": v.ValidateRequestBody, "validateRequestParameters": v.ValidateRequestParameters}
	target := name
	for i := 2; ; i++ {
		existing, taken := ex.validators[target]
		if !taken || sameJSON(existing, want) {
			break
		}
		target = name + " " + strconv.Itoa(i)
	}
	ex.validators[target] = want
	return target
}
