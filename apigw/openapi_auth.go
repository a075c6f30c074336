package apigw

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// This file reads and writes authorizers in OpenAPI documents: security
// schemes carrying x-amazon-apigateway-authorizer, and the security
// requirements of operations that name them.

// plannedAuthorizer is an authorizer the import will create, named after
// its security scheme.
type plannedAuthorizer struct {
	where string
	cfg   Authorizer
}

// authorizers reads every security scheme with an
// x-amazon-apigateway-authorizer into an Authorizer, as ImportRestApi and
// ImportApi create one authorizer per such scheme whether or not an
// operation uses it. The result is sorted by name.
func (im *importer) authorizers() ([]plannedAuthorizer, error) {
	schemes := im.securitySchemes()
	section := "components.securitySchemes."
	if im.swagger {
		section = "securityDefinitions."
	}
	var out []plannedAuthorizer
	im.authTypes = map[string]string{}
	for _, name := range sortedKeys(schemes) {
		scheme, ok := schemes[name].(obj)
		if !ok {
			continue // reported if an operation names it
		}
		if _, has := scheme["x-amazon-apigateway-authorizer"]; !has {
			continue
		}
		where := section + name + ".x-amazon-apigateway-authorizer"
		cfg, err := im.authorizer(name, scheme)
		if err != nil {
			return nil, importError(where, err.Error())
		}
		out = append(out, plannedAuthorizer{where: where, cfg: cfg})
		im.authTypes[name] = cfg.Type
	}
	if len(out) > MaxAuthorizers {
		return nil, importError(strings.TrimSuffix(section, "."), fmt.Sprintf("the document defines %d authorizers; an API may have %d", len(out), MaxAuthorizers))
	}
	return out, nil
}

// authorizer reads one security scheme's x-amazon-apigateway-authorizer.
func (im *importer) authorizer(name string, scheme obj) (Authorizer, error) {
	ext, ok := scheme["x-amazon-apigateway-authorizer"].(obj)
	if !ok {
		return Authorizer{}, fmt.Errorf("must be an object")
	}
	cfg := Authorizer{Name: name}
	kind := im.opts.Kind
	switch typ := strings.ToLower(str(ext["type"])); typ {
	case "token":
		cfg.Type = AuthorizerToken
	case "request":
		cfg.Type = AuthorizerRequest
	case "cognito_user_pools":
		cfg.Type = AuthorizerCognito
	case "jwt":
		cfg.Type = AuthorizerJWT
	case "":
		return cfg, fmt.Errorf("the authorizer has no type: use token, request, cognito_user_pools (REST APIs) or jwt (HTTP APIs)")
	default:
		return cfg, fmt.Errorf("type %q is not token, request, cognito_user_pools or jwt", typ)
	}
	switch {
	case kind == HTTP && (cfg.Type == AuthorizerToken || cfg.Type == AuthorizerCognito):
		return cfg, fmt.Errorf("type %s is for REST APIs; an HTTP API takes request or jwt", strings.ToLower(cfg.Type))
	case kind == REST && cfg.Type == AuthorizerJWT:
		return cfg, fmt.Errorf("type jwt is for HTTP APIs; a REST API takes token, request or cognito_user_pools")
	}
	if v, ok := ext["identitySource"]; ok {
		s, isStr := v.(string)
		if !isStr {
			return cfg, fmt.Errorf("identitySource must be a string (a comma-separated list of mapping expressions)")
		}
		cfg.IdentitySource = s
	}
	if cfg.IdentitySource == "" && (cfg.Type == AuthorizerToken || cfg.Type == AuthorizerCognito) {
		// A REST API's token and user pool authorizers read the header the
		// apiKey scheme names.
		if hdr := str(scheme["name"]); hdr != "" && strings.EqualFold(str(scheme["in"]), "header") {
			cfg.IdentitySource = "method.request.header." + hdr
		}
	}
	switch cfg.Type {
	case AuthorizerToken, AuthorizerRequest:
		return cfg, im.lambdaAuthorizer(ext, &cfg)
	case AuthorizerCognito:
		arns, err := strList(ext["providerARNs"])
		if err != nil {
			return cfg, fmt.Errorf("providerARNs %v", err)
		}
		if len(arns) == 0 {
			return cfg, fmt.Errorf("a cognito_user_pools authorizer needs providerARNs")
		}
		var issuers []string
		for _, arn := range arns {
			region, pool, err := parseUserPoolARN(arn)
			if err != nil {
				return cfg, errors.New(errMessage(err))
			}
			issuers = append(issuers, "https://cognito-idp."+region+".amazonaws.com/"+pool)
		}
		cfg.ProviderARNs = arns
		cfg.JWKS, err = im.jwks(cfg.Type, issuers)
		return cfg, err
	default: // JWT
		jc, ok := ext["jwtConfiguration"].(obj)
		if !ok {
			return cfg, fmt.Errorf("a jwt authorizer needs a jwtConfiguration object with issuer and audience")
		}
		cfg.Issuer = str(jc["issuer"])
		if cfg.Issuer == "" {
			return cfg, fmt.Errorf("jwtConfiguration.issuer is required")
		}
		aud, err := strList(jc["audience"])
		if err != nil {
			return cfg, fmt.Errorf("jwtConfiguration.audience %v", err)
		}
		if len(aud) == 0 {
			return cfg, fmt.Errorf("jwtConfiguration.audience needs at least one audience")
		}
		cfg.Audience = aud
		cfg.JWKS, err = im.jwks(cfg.Type, []string{cfg.Issuer})
		return cfg, err
	}
}

// lambdaAuthorizer reads a token or request authorizer's function, cache
// TTL, validation expression and (HTTP APIs) payload format.
func (im *importer) lambdaAuthorizer(ext obj, cfg *Authorizer) error {
	uri := str(ext["authorizerUri"])
	if uri == "" {
		return fmt.Errorf("a %s authorizer needs an authorizerUri (the Lambda function's invocation URI)", strings.ToLower(cfg.Type))
	}
	arn, err := lambdaARNFromURI(uri)
	if err != nil {
		return fmt.Errorf("authorizerUri: %v", err)
	}
	if cfg.Function, err = im.function(arn); err != nil {
		return err
	}
	if v, ok := ext["authorizerResultTtlInSeconds"]; ok {
		n, ok := intValue(v)
		if !ok || n < 0 || n > int(MaxAuthorizerTTL/time.Second) {
			return fmt.Errorf("authorizerResultTtlInSeconds %v must be an integer from 0 to 3600", v)
		}
		cfg.ResultTTL = time.Duration(n) * time.Second
		if n == 0 {
			cfg.ResultTTL = -1 // 0 turns caching off; Authorizer's zero means the default
		}
	}
	if cfg.Type == AuthorizerToken {
		cfg.IdentityValidationExpression = str(ext["identityValidationExpression"])
	}
	if im.opts.Kind == HTTP {
		if v, ok := ext["authorizerPayloadFormatVersion"]; ok {
			cfg.AuthorizerPayloadFormatVersion = str(v)
			if cfg.AuthorizerPayloadFormatVersion != "1.0" && cfg.AuthorizerPayloadFormatVersion != "2.0" {
				return fmt.Errorf("authorizerPayloadFormatVersion %v must be 1.0 or 2.0", v)
			}
		}
		if cfg.EnableSimpleResponses, err = boolField(ext, "enableSimpleResponses"); err != nil {
			return err
		}
	}
	return nil
}

// jwks asks ImportOptions.JWKS for the key set of each issuer, merging
// several (a Cognito authorizer of several user pools) into one.
func (im *importer) jwks(typ string, issuers []string) ([]byte, error) {
	if im.opts.JWKS == nil {
		return nil, fmt.Errorf("a %s authorizer needs ImportOptions.JWKS to supply the JSON Web Key Set of %s", strings.ToLower(typ), strings.Join(issuers, ", "))
	}
	var keys []json.RawMessage
	var only []byte
	for _, iss := range issuers {
		doc, err := im.opts.JWKS(iss)
		if err != nil {
			return nil, fmt.Errorf("the JWKS of %s: %v", iss, err)
		}
		if len(doc) == 0 {
			return nil, fmt.Errorf("the JWKS of %s: ImportOptions.JWKS returned nothing", iss)
		}
		if len(issuers) == 1 {
			only = doc
			break
		}
		var set struct {
			Keys []json.RawMessage `json:"keys"`
		}
		if err := json.Unmarshal(doc, &set); err != nil {
			return nil, fmt.Errorf("the JWKS of %s is not a JSON Web Key Set: %v", iss, err)
		}
		keys = append(keys, set.Keys...)
	}
	if only != nil {
		return slices.Clone(only), nil
	}
	return json.Marshal(map[string]any{"keys": keys})
}

// function resolves a Lambda function ARN through ImportOptions.Functions.
func (im *importer) function(arn string) (Invoker, error) {
	if im.opts.Functions == nil {
		return nil, fmt.Errorf("a Lambda function needs ImportOptions.Functions to resolve %s", arn)
	}
	fn, err := im.opts.Functions(arn)
	if err != nil {
		return nil, fmt.Errorf("function %s: %v", arn, err)
	}
	if fn == nil {
		return nil, fmt.Errorf("function %s: ImportOptions.Functions returned no function", arn)
	}
	return fn, nil
}

// useAuthorizer sets the route's authorization from the security scheme
// name of an authorizer: CUSTOM (Lambda), COGNITO_USER_POOLS or JWT, with
// the requirement's scopes for the last two. AuthorizerID holds the
// scheme's name until the import creates the authorizer.
func (im *importer) useAuthorizer(where, name string, scopes any, r *Route) error {
	typ, ok := im.authTypes[name]
	if !ok {
		return importError(where, fmt.Sprintf("security scheme %q has no usable x-amazon-apigateway-authorizer", name))
	}
	auth := AuthCustom
	switch typ {
	case AuthorizerCognito:
		auth = AuthCognito
	case AuthorizerJWT:
		auth = AuthJWT
	}
	if err := im.setAuth(where, auth, name, r); err != nil {
		return err
	}
	if auth == AuthCognito || auth == AuthJWT {
		list, err := strList(scopes)
		if err != nil {
			return importError(where, fmt.Sprintf("the scopes of %q %v", name, err))
		}
		for _, s := range list {
			if !slices.Contains(r.AuthorizationScopes, s) {
				r.AuthorizationScopes = append(r.AuthorizationScopes, s)
			}
		}
	}
	return nil
}

// setAuth sets the route's authorization type, refusing a second, other
// one: a method has one authorizer, or AWS_IAM.
func (im *importer) setAuth(where, auth, authorizer string, r *Route) error {
	if r.AuthorizationType != "" && r.AuthorizationType != AuthNone &&
		(r.AuthorizationType != auth || r.AuthorizerID != authorizer) {
		was := r.AuthorizationType
		if r.AuthorizerID != "" {
			was = fmt.Sprintf("authorizer %q", r.AuthorizerID)
		}
		now := auth
		if authorizer != "" {
			now = fmt.Sprintf("authorizer %q", authorizer)
		}
		return importError(where, fmt.Sprintf("the security requirements name both %s and %s; a method takes one authorizer, or AWS_IAM", was, now))
	}
	r.AuthorizationType, r.AuthorizerID = auth, authorizer
	return nil
}

// errMessage is an error's message without its code.
func errMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// authSchemes writes the authorizers of the exported API as security
// schemes, by name: each with x-amazon-apigateway-authorizer, and for REST
// APIs x-amazon-apigateway-authtype.
func (ex *exporter) authSchemes(kind Kind) obj {
	out := obj{}
	for _, az := range ex.authorizers {
		out[az.cfg.Name] = ex.authScheme(az, kind)
	}
	return out
}

// authScheme writes one authorizer. A Lambda authorizer whose function
// has no name is written without authorizerUri, so that importing the
// document refuses it rather than leaving its routes open; the JWKS is
// not written (ImportOptions.JWKS supplies it again).
func (ex *exporter) authScheme(az *authorizer, kind Kind) obj {
	cfg := az.cfg
	ext := obj{"type": strings.ToLower(cfg.Type)}
	header := "Unused"
	if len(az.sources) > 0 && az.sources[0].where == "header" {
		header = az.sources[0].name
	}
	scheme := obj{"type": "apiKey", "name": header, "in": "header", "x-amazon-apigateway-authorizer": ext}
	switch cfg.Type {
	case AuthorizerToken, AuthorizerRequest:
		if arn := ex.functionARN(cfg.Function); arn != "" {
			ext["authorizerUri"] = ex.lambdaURI(arn)
		}
		ext["authorizerResultTtlInSeconds"] = int(az.ttl / time.Second)
		if cfg.Type == AuthorizerRequest && cfg.IdentitySource != "" {
			ext["identitySource"] = cfg.IdentitySource
		}
		if cfg.IdentityValidationExpression != "" {
			ext["identityValidationExpression"] = cfg.IdentityValidationExpression
		}
		if kind == HTTP {
			ext["authorizerPayloadFormatVersion"] = cfg.AuthorizerPayloadFormatVersion
			if cfg.EnableSimpleResponses {
				ext["enableSimpleResponses"] = true
			}
		} else {
			scheme["x-amazon-apigateway-authtype"] = "custom"
		}
	case AuthorizerCognito:
		ext["providerARNs"] = slices.Clone(cfg.ProviderARNs)
		scheme["x-amazon-apigateway-authtype"] = "cognito_user_pools"
	case AuthorizerJWT:
		ext["identitySource"] = cfg.IdentitySource
		ext["jwtConfiguration"] = obj{"issuer": cfg.Issuer, "audience": slices.Clone(cfg.Audience)}
		scheme = obj{"type": "oauth2", "flows": obj{}, "x-amazon-apigateway-authorizer": ext}
	}
	return scheme
}

// security writes the route's security requirement: the API key, and
// AWS_IAM or its authorizer with the route's scopes.
func (ex *exporter) security(cfg Route) []any {
	req := obj{}
	if cfg.APIKeyRequired {
		ex.apiKey = true
		req[ex.apiKeyName] = []any{}
	}
	switch cfg.AuthorizationType {
	case AuthIAM:
		ex.sigv4 = true
		req[ex.sigv4Name] = []any{}
	case AuthCustom, AuthCognito, AuthJWT:
		if az := ex.authorizers[cfg.AuthorizerID]; az != nil {
			scopes := []any{}
			for _, s := range cfg.AuthorizationScopes {
				scopes = append(scopes, s)
			}
			req[az.cfg.Name] = scopes
		}
	}
	if len(req) == 0 {
		return nil
	}
	return []any{req}
}

// schemeName picks the name of a built-in security scheme (the API key,
// SigV4) that no authorizer of the API has.
func (ex *exporter) schemeName(want string) string {
	taken := func(n string) bool {
		for _, az := range ex.authorizers {
			if az.cfg.Name == n {
				return true
			}
		}
		return false
	}
	name := want
	for i := 2; taken(name); i++ {
		name = fmt.Sprintf("%s_%d", want, i)
	}
	return name
}

// functionARN names a Lambda function by its Name() method (a
// *lambda.Function has one): an ARN as it is, a bare name as
// arn:aws:lambda:{region}:{account}:function:{name}; "" when it has none.
func (ex *exporter) functionARN(fn Invoker) string {
	named, ok := fn.(interface{ Name() string })
	if !ok || named.Name() == "" {
		return ""
	}
	arn := named.Name()
	if !strings.HasPrefix(arn, "arn:") {
		arn = "arn:aws:lambda:" + ex.api.s.region + ":" + ex.api.s.accountID + ":function:" + arn
	}
	return arn
}

// lambdaURI is the API Gateway invocation URI of a function ARN.
func (ex *exporter) lambdaURI(arn string) string {
	return "arn:aws:apigateway:" + ex.api.s.region + ":lambda:path/2015-03-31/functions/" + arn + "/invocations"
}
