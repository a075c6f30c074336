package apigw

import (
	"bytes"
	"errors"
	"mime"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Request validation of REST APIs.
//
// A method with a [RequestValidator] is checked after authorization, the
// API key and throttling, before the cache and the integration:
//
//   - ValidateRequestParameters: every RequestParameters entry marked
//     required ("method.request.querystring.page",
//     "method.request.header.X-Token", "method.request.path.id") must be
//     present and not blank, else 400 {"message": "Missing required
//     request parameters: [page, X-Token]"} (gateway response
//     BAD_REQUEST_PARAMETERS).
//   - ValidateRequestBody: the body is checked against the model of the
//     request's content type as a JSON Schema draft 4 document, else 400
//     {"message": "Invalid request body"} (BAD_REQUEST_BODY). The log line
//     of the denied request lists the schema violations.
//
// Parameters are checked before the body. The model is chosen as API
// Gateway chooses it: by the request's media type (its Content-Type
// without parameters, compared without regard to case; "application/json"
// when the request has none), else the "$default" model. A request whose
// content type has no model passes unchecked, as it does in AWS, and an
// empty body is checked as the empty object {}.

// validate runs the route's request validator.
func (c *call) validate() *gwError {
	v := c.route.cfg.RequestValidator
	if v == nil || c.kind != REST {
		return nil
	}
	if v.ValidateRequestParameters {
		if missing := c.missingParameters(); len(missing) > 0 {
			msg := "Missing required request parameters: [" + strings.Join(missing, ", ") + "]"
			return &gwError{typ: ResponseBadRequestParameters, status: 400, message: msg, reason: msg}
		}
	}
	if v.ValidateRequestBody {
		if e := c.validateBody(); e != nil {
			return e
		}
	}
	return nil
}

// missingParameters returns the names of the required request parameters
// the request lacks or leaves blank, sorted.
func (c *call) missingParameters() []string {
	var missing []string
	for key, required := range c.route.cfg.RequestParameters {
		if !required {
			continue
		}
		rest, ok := strings.CutPrefix(key, "method.request.")
		if !ok {
			continue
		}
		where, name, ok := strings.Cut(rest, ".")
		if !ok || name == "" {
			continue
		}
		var present bool
		switch where {
		case "querystring":
			for _, v := range c.r.URL.Query()[name] {
				if strings.TrimSpace(v) != "" {
					present = true
					break
				}
			}
		case "header":
			for _, v := range c.r.Header.Values(name) {
				if strings.TrimSpace(v) != "" {
					present = true
					break
				}
			}
		case "path":
			present = strings.TrimSpace(c.params[name]) != ""
		case "multivaluequerystring":
			present = len(c.r.URL.Query()[name]) > 0
		case "multivalueheader":
			present = len(c.r.Header.Values(name)) > 0
		default:
			continue
		}
		if !present {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return missing
}

// validateBody checks the body against the model of its content type.
func (c *call) validateBody() *gwError {
	ct, schema, ok := c.requestModel()
	if !ok {
		return nil
	}
	sch, err := c.s.models.compile(schema)
	if err != nil {
		return &gwError{typ: ResponseAPIConfigurationError, status: 500, message: "Internal server error",
			reason: "the model for content type " + ct + " is not a valid JSON Schema draft 4 document: " + err.Error()}
	}
	body := c.body
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	const invalid = "Invalid request body"
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return &gwError{typ: ResponseBadRequestBody, status: 400, message: invalid,
			reason: "Request body does not match model schema for content type " + ct + ": [the body is not JSON: " + err.Error() + "]"}
	}
	if err := sch.Validate(doc); err != nil {
		return &gwError{typ: ResponseBadRequestBody, status: 400, message: invalid,
			reason: "Request body does not match model schema for content type " + ct + ": [" + strings.Join(schemaViolations(err), ", ") + "]"}
	}
	return nil
}

// requestModel picks the model for the request's content type.
func (c *call) requestModel() (contentType, schema string, ok bool) {
	models := c.route.cfg.RequestModels
	if len(models) == 0 {
		return "", "", false
	}
	ct := "application/json"
	if h := c.r.Header.Get("Content-Type"); h != "" {
		if mt, _, err := mime.ParseMediaType(h); err == nil {
			ct = mt
		} else {
			ct = strings.ToLower(strings.TrimSpace(strings.Split(h, ";")[0]))
		}
	}
	if s, ok := models[ct]; ok {
		return ct, s, true
	}
	for k, s := range models {
		if strings.EqualFold(k, ct) {
			return ct, s, true
		}
	}
	if s, ok := models["$default"]; ok {
		return ct, s, true
	}
	return "", "", false
}

// schemaViolations lists a validation error's leaves as "at /path: what".
func schemaViolations(err error) []string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{err.Error()}
	}
	var out []string
	var walk func(u jsonschema.OutputUnit)
	walk = func(u jsonschema.OutputUnit) {
		if u.Error != nil && len(u.Errors) == 0 {
			loc := u.InstanceLocation
			if loc == "" {
				loc = "/"
			}
			out = append(out, "at "+loc+": "+u.Error.String())
		}
		for _, e := range u.Errors {
			walk(e)
		}
	}
	walk(*ve.DetailedOutput())
	if len(out) == 0 {
		out = append(out, ve.Error())
	}
	return out
}

// ValidateModel reports whether schema is a JSON Schema draft 4 document
// that API Gateway can use as a request model: valid JSON, valid against
// the draft 4 meta-schema, with no reference outside itself. It returns a
// BadRequestException saying what is wrong ("Invalid model specified: …"),
// as CreateModel does.
func ValidateModel(schema string) error {
	if _, err := compileModel(schema); err != nil {
		return ErrBadRequest.Newf("Invalid model specified: %v", err)
	}
	return nil
}

// modelCache memoises a service's compiled models by their text: a model
// compiles once, however many deployments and requests use it. It holds
// at most maxCachedModels entries and starts afresh when full. Its zero
// value is ready to use.
type modelCache struct {
	mu    sync.Mutex
	byDoc map[string]*jsonschema.Schema
}

const maxCachedModels = 4096

// modelURL is the location a model compiles under: API Gateway's own
// location for models, so a model that names no $id resolves "#/..."
// references within itself.
const modelURL = "https://apigateway.amazonaws.com/restapis/minicloud/models/model.json"

// compile compiles a draft 4 model, once per distinct text.
func (m *modelCache) compile(schema string) (*jsonschema.Schema, error) {
	m.mu.Lock()
	sch := m.byDoc[schema]
	m.mu.Unlock()
	if sch != nil {
		return sch, nil
	}
	sch, err := compileModel(schema)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if m.byDoc == nil || len(m.byDoc) >= maxCachedModels {
		m.byDoc = map[string]*jsonschema.Schema{}
	}
	m.byDoc[schema] = sch
	m.mu.Unlock()
	return sch, nil
}

// compileModel compiles a draft 4 model.
func compileModel(schema string) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		return nil, errors.New("the model is not JSON: " + err.Error())
	}
	comp := jsonschema.NewCompiler()
	comp.DefaultDraft(jsonschema.Draft4)
	if err := comp.AddResource(modelURL, doc); err != nil {
		return nil, err
	}
	return comp.Compile(modelURL)
}
