package stepfn

import (
	"strings"
)

// Fields each state type accepts, besides Type and Comment.
var stateFields = map[string]map[string]bool{
	"Pass":     fieldSet("Next", "End", "InputPath", "OutputPath", "Parameters", "Result", "ResultPath"),
	"Task":     fieldSet("Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials"),
	"Choice":   fieldSet("InputPath", "OutputPath", "Choices", "Default"),
	"Wait":     fieldSet("Next", "End", "InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath", "TimestampPath"),
	"Succeed":  fieldSet("InputPath", "OutputPath"),
	"Fail":     fieldSet("Error", "Cause", "ErrorPath", "CausePath"),
	"Parallel": fieldSet("Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "Branches"),
	"Map": fieldSet("Next", "End", "InputPath", "OutputPath", "ItemsPath", "ItemSelector", "Parameters", "ResultSelector", "ResultPath",
		"Retry", "Catch", "ItemProcessor", "Iterator", "MaxConcurrency", "MaxConcurrencyPath", "ItemBatcher",
		"ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label"),
}

var commonFields = fieldSet("Type", "Comment", "QueryLanguage")

// Fields each state type accepts in a JSONata state, besides Type,
// Comment and QueryLanguage.
var ataStateFields = map[string]map[string]bool{
	"Pass":     fieldSet("Next", "End", "Output", "Assign"),
	"Task":     fieldSet("Next", "End", "Arguments", "Output", "Assign", "Retry", "Catch", "Resource", "TimeoutSeconds", "HeartbeatSeconds", "Credentials"),
	"Choice":   fieldSet("Choices", "Default", "Output", "Assign"),
	"Wait":     fieldSet("Next", "End", "Seconds", "Timestamp", "Output", "Assign"),
	"Succeed":  fieldSet("Output"),
	"Fail":     fieldSet("Error", "Cause"),
	"Parallel": fieldSet("Next", "End", "Arguments", "Output", "Assign", "Retry", "Catch", "Branches"),
	"Map": fieldSet("Next", "End", "Items", "ItemSelector", "Output", "Assign", "Retry", "Catch", "ItemProcessor",
		"MaxConcurrency", "ItemBatcher", "ToleratedFailurePercentage", "ToleratedFailureCount", "Label"),
}

// assignable are the state types that accept Assign in either language.
var assignable = fieldSet("Pass", "Task", "Choice", "Wait", "Parallel", "Map")

// state compiles one state.
func (c *compiler) state(name string, o *object, loc string, depth int) *state {
	tv, ok := o.get("Type")
	if !ok {
		c.d.schema(loc, "These fields are required: [Type]")
		return nil
	}
	typ, ok := c.str(tv, ptr(loc, "Type"), "Type")
	if !ok {
		return nil
	}
	if _, known := stateFields[typ]; !known {
		c.d.schema(ptr(loc, "Type"), "The value for the field 'Type' must be one of [Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map]")
		return nil
	}
	saved := c.lang
	defer func() { c.lang = saved }()
	c.lang = c.topLang
	if v, ok := o.get("QueryLanguage"); ok {
		if l := c.queryLanguage(v, ptr(loc, "QueryLanguage")); l != "" {
			if c.topLang == langJSONata && l == langJSONPath {
				c.d.schema(loc, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine")
			}
			c.lang = l
		}
	}
	st := &state{name: name, typ: typ, loc: loc, jsonata: c.lang == langJSONata}
	if st.jsonata {
		return c.ataState(st, o, loc, depth)
	}
	allowed := stateFields[typ]
	var extra map[string]bool
	if assignable[typ] {
		extra = fieldSet("Assign")
	}
	c.languageFields(o, loc, jsonataOnly, langJSONPath)
	c.checkFields(o, loc, allowed, union(commonFields, extra, jsonataOnly))
	if allowed["Next"] {
		c.transition(st, o, loc)
	}
	if allowed["InputPath"] {
		st.inputPath = c.optionalPath(o, loc, "InputPath", false)
		st.outputPath = c.optionalPath(o, loc, "OutputPath", false)
	}
	if allowed["ResultPath"] {
		st.resultPath = c.optionalPath(o, loc, "ResultPath", true)
	}
	if allowed["Parameters"] && typ != "Map" {
		st.parameters = c.template(o, loc, "Parameters")
	}
	if allowed["ResultSelector"] {
		st.resultSelector = c.template(o, loc, "ResultSelector")
	}
	if allowed["Retry"] {
		st.retry = c.retriers(o, loc)
		st.catch = c.catchers(o, loc)
	}
	if assignable[typ] {
		st.assign = c.assign(o, loc, false)
	}
	if v, ok := o.get("Result"); ok && typ == "Pass" {
		st.result, st.hasResult = plain(v), true
	}
	return c.typeFields(st, o, loc, depth)
}

// ataState compiles a JSONata state.
func (c *compiler) ataState(st *state, o *object, loc string, depth int) *state {
	typ := st.typ
	allowed := ataStateFields[typ]
	c.languageFields(o, loc, jsonPathOnly, langJSONata)
	c.checkFields(o, loc, allowed, union(commonFields, jsonPathOnly))
	if allowed["Next"] {
		c.transition(st, o, loc)
	}
	if allowed["Arguments"] {
		if v, ok := o.get("Arguments"); ok {
			st.arguments = c.ataTemplate(v, ptr(loc, "Arguments"))
		}
	}
	if v, ok := o.get("Output"); ok && allowed["Output"] {
		st.output = c.ataTemplate(v, ptr(loc, "Output"))
	}
	if allowed["Assign"] {
		st.assign = c.assign(o, loc, true)
	}
	if allowed["Retry"] {
		st.retry = c.retriers(o, loc)
		st.catch = c.catchers(o, loc)
	}
	return c.typeFields(st, o, loc, depth)
}

// typeFields compiles the fields particular to a state's type, in
// either query language.
func (c *compiler) typeFields(st *state, o *object, loc string, depth int) *state {
	switch st.typ {
	case "Task":
		c.task(st, o, loc)
	case "Choice":
		c.choice(st, o, loc)
	case "Wait":
		c.wait(st, o, loc)
	case "Fail":
		c.fail(st, o, loc)
	case "Parallel":
		c.parallel(st, o, loc, depth)
	case "Map":
		c.mapState(st, o, loc, depth)
	}
	return st
}

// languageFields reports each field of o in fields, which a state of
// language lang does not accept.
func (c *compiler) languageFields(o *object, loc string, fields map[string]bool, lang string) {
	other := langJSONata
	if lang == langJSONata {
		other = langJSONPath
	}
	for _, k := range o.keys {
		if fields[k] {
			c.d.schema(ptr(loc, k), "The QueryLanguage is set to '%s', but field '%s' is only supported for the '%s' QueryLanguage", lang, k, other)
		}
	}
}

// union merges field sets.
func union(sets ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, s := range sets {
		for k := range s {
			out[k] = true
		}
	}
	return out
}

// transition reads Next and End: exactly one must be given.
func (c *compiler) transition(st *state, o *object, loc string) {
	nv, hasNext := o.get("Next")
	ev, hasEnd := o.get("End")
	if hasNext {
		st.next, _ = c.nonEmptyStr(nv, ptr(loc, "Next"), "Next")
	}
	if hasEnd {
		st.end, _ = c.boolean(ev, ptr(loc, "End"), "End")
	}
	switch {
	case hasNext && st.end:
		c.d.schema(loc, "Only one of the fields [Next, End] may be set")
	case !hasNext && !st.end:
		c.d.schema(loc, "These fields are required: [Next] (or \"End\": true)")
	}
}

func (c *compiler) task(st *state, o *object, loc string) {
	rv, ok := o.get("Resource")
	if !ok {
		c.d.schema(loc, "These fields are required: [Resource]")
	} else if r, ok := c.nonEmptyStr(rv, ptr(loc, "Resource"), "Resource"); ok {
		if !validResourceARN(r) {
			c.d.schema(ptr(loc, "Resource"), "The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.", r)
		}
		st.resource = r
	}
	if st.jsonata {
		st.timeoutSeconds, st.ataTimeout = c.ataInt(o, loc, "TimeoutSeconds", 1, maxTimeoutSeconds)
		st.heartbeatSeconds, st.ataHeartbeat = c.ataInt(o, loc, "HeartbeatSeconds", 1, maxTimeoutSeconds)
	} else {
		st.timeoutSeconds, st.timeoutPath = c.secondsPair(o, loc, "TimeoutSeconds")
		st.heartbeatSeconds, st.heartbeatPath = c.secondsPair(o, loc, "HeartbeatSeconds")
	}
	if st.heartbeatSeconds > 0 && st.timeoutSeconds > 0 && st.heartbeatSeconds >= st.timeoutSeconds {
		c.d.schema(ptr(loc, "HeartbeatSeconds"), "The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'")
	}
}

// ataExprField compiles field as a JSONata expression when its value is
// a "{% %}" string of a JSONata state, and reports whether it was one.
func (c *compiler) ataExprField(o *object, loc, field string) (*ataTemplate, bool) {
	if c.lang != langJSONata {
		return nil, false
	}
	v, ok := o.get(field)
	if !ok {
		return nil, false
	}
	s, ok := v.(string)
	if !ok {
		return nil, false
	}
	if _, ok := ataExpression(s); !ok {
		return nil, false
	}
	return c.ataTemplate(s, ptr(loc, field)), true
}

// ataInt reads an integer field of a JSONata state: a literal in
// [lo, hi] or an expression evaluated when the state runs.
func (c *compiler) ataInt(o *object, loc, field string, lo, hi int64) (int64, *ataTemplate) {
	if t, ok := c.ataExprField(o, loc, field); ok {
		return 0, t
	}
	v, ok := o.get(field)
	if !ok {
		return 0, nil
	}
	n, _ := c.intRange(v, ptr(loc, field), field, lo, hi)
	return n, nil
}

// secondsPair reads a duration given as Field or FieldPath, not both.
func (c *compiler) secondsPair(o *object, loc, field string) (int64, *jsonPath) {
	v, has := o.get(field)
	pv, hasPath := o.get(field + "Path")
	if has && hasPath {
		c.d.schema(loc, "Only one of the fields [%s, %sPath] may be set", field, field)
		return 0, nil
	}
	if has {
		n, _ := c.intRange(v, ptr(loc, field), field, 1, maxTimeoutSeconds)
		return n, nil
	}
	if hasPath {
		p := c.path(pv, ptr(loc, field+"Path"), field+"Path")
		if p != nil && !p.reference() && !p.context && p.variable == "" {
			c.d.schema(ptr(loc, field+"Path"), "The value for the field '%sPath' must be a valid ReferencePath", field)
		}
		return 0, p
	}
	return 0, nil
}

// validResourceARN checks the shape arn:partition:service:region:account:resource.
func validResourceARN(r string) bool {
	parts := strings.SplitN(r, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" || parts[5] == "" {
		return false
	}
	switch parts[1] {
	case "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b":
	default:
		return false
	}
	return true
}

func (c *compiler) wait(st *state, o *object, loc string) {
	n := 0
	if t, ok := c.ataExprField(o, loc, "Seconds"); ok {
		n++
		st.ataSeconds = t
	} else if v, ok := o.get("Seconds"); ok {
		n++
		st.waitSeconds, _ = c.intRange(v, ptr(loc, "Seconds"), "Seconds", 0, maxTimeoutSeconds)
		st.hasWaitSeconds = true
	}
	if t, ok := c.ataExprField(o, loc, "Timestamp"); ok {
		n++
		st.ataTimestamp = t
	} else if v, ok := o.get("Timestamp"); ok {
		n++
		if s, ok := c.str(v, ptr(loc, "Timestamp"), "Timestamp"); ok {
			t, ok := parseTimestamp(s)
			if !ok {
				c.d.schema(ptr(loc, "Timestamp"), "The value for the field 'Timestamp' must be a valid RFC3339 timestamp")
			}
			st.waitTimestamp, st.hasWaitTimestamp = t, true
		}
	}
	if v, ok := o.get("SecondsPath"); ok {
		n++
		st.waitSecondsPath = c.path(v, ptr(loc, "SecondsPath"), "SecondsPath")
	}
	if v, ok := o.get("TimestampPath"); ok {
		n++
		st.waitTimestampPath = c.path(v, ptr(loc, "TimestampPath"), "TimestampPath")
	}
	switch {
	case n != 1 && c.lang == langJSONata:
		c.d.schema(loc, "Exactly one of the fields [Seconds, Timestamp] must be set")
	case n != 1:
		c.d.schema(loc, "Exactly one of the fields [Seconds, Timestamp, SecondsPath, TimestampPath] must be set")
	}
}

func (c *compiler) fail(st *state, o *object, loc string) {
	ev, hasErr := o.get("Error")
	epv, hasErrPath := o.get("ErrorPath")
	cv, hasCause := o.get("Cause")
	cpv, hasCausePath := o.get("CausePath")
	if hasErr && hasErrPath {
		c.d.schema(loc, "Only one of the fields [Error, ErrorPath] may be set")
	}
	if hasCause && hasCausePath {
		c.d.schema(loc, "Only one of the fields [Cause, CausePath] may be set")
	}
	if t, ok := c.ataExprField(o, loc, "Error"); ok {
		st.ataError = t
	} else if hasErr {
		st.errorName, _ = c.str(ev, ptr(loc, "Error"), "Error")
	}
	if t, ok := c.ataExprField(o, loc, "Cause"); ok {
		st.ataCause = t
	} else if hasCause {
		st.cause, _ = c.str(cv, ptr(loc, "Cause"), "Cause")
	}
	if hasErrPath {
		st.errorPath = c.valueRef(epv, ptr(loc, "ErrorPath"), "ErrorPath")
	}
	if hasCausePath {
		st.causePath = c.valueRef(cpv, ptr(loc, "CausePath"), "CausePath")
	}
}

var branchFields = fieldSet("StartAt", "States", "Comment")

func (c *compiler) parallel(st *state, o *object, loc string, depth int) {
	bv, ok := o.get("Branches")
	if !ok {
		c.d.schema(loc, "These fields are required: [Branches]")
		return
	}
	bloc := ptr(loc, "Branches")
	arr, ok := bv.([]any)
	if !ok {
		c.d.schema(bloc, "The value for the field 'Branches' must be an ARRAY")
		return
	}
	if len(arr) == 0 {
		c.d.schema(bloc, "The field 'Branches' should be non-empty")
		return
	}
	for i, b := range arr {
		iloc := ptrIndex(bloc, i)
		bo, ok := b.(*object)
		if !ok {
			c.d.schema(iloc, "A branch must be an OBJECT")
			continue
		}
		c.checkFields(bo, iloc, branchFields, nil)
		if set := c.stateSet(bo, iloc, depth+1); set != nil {
			st.branches = append(st.branches, set)
		}
	}
}

var processorFields = fieldSet("StartAt", "States", "Comment", "ProcessorConfig")

// distributedOnly are Map fields AWS accepts only in DISTRIBUTED mode.
var distributedOnly = []string{"ItemBatcher", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label"}

func (c *compiler) mapState(st *state, o *object, loc string, depth int) {
	pv, hasProc := o.get("ItemProcessor")
	iv, hasIter := o.get("Iterator")
	switch {
	case hasProc && hasIter:
		c.d.schema(loc, "Only one of the fields [ItemProcessor, Iterator] may be set")
	case !hasProc && !hasIter:
		c.d.schema(loc, "These fields are required: [ItemProcessor]")
	case hasProc:
		ploc := ptr(loc, "ItemProcessor")
		if po, ok := pv.(*object); !ok {
			c.d.schema(ploc, "The value for the field 'ItemProcessor' must be an OBJECT")
		} else {
			c.checkFields(po, ploc, processorFields, nil)
			c.processorConfig(st, po, ploc)
			st.processor = c.stateSet(po, ploc, depth+1)
		}
	default:
		iloc := ptr(loc, "Iterator")
		if io, ok := iv.(*object); !ok {
			c.d.schema(iloc, "The value for the field 'Iterator' must be an OBJECT")
		} else {
			c.checkFields(io, iloc, branchFields, nil)
			st.processor = c.stateSet(io, iloc, depth+1)
		}
	}
	if st.jsonata {
		c.ataMap(st, o, loc)
		return
	}
	if v, ok := o.get("ItemsPath"); ok {
		st.itemsPath = c.path(v, ptr(loc, "ItemsPath"), "ItemsPath")
	}
	_, hasSel := o.get("ItemSelector")
	_, hasParams := o.get("Parameters")
	if hasSel && hasParams {
		c.d.schema(loc, "Only one of the fields [ItemSelector, Parameters] may be set")
	}
	st.itemSelector = c.template(o, loc, "ItemSelector")
	if st.itemSelector == nil {
		st.itemSelector = c.template(o, loc, "Parameters")
	}
	if v, ok := o.get("MaxConcurrency"); ok {
		if _, hasPath := o.get("MaxConcurrencyPath"); hasPath {
			c.d.schema(loc, "Only one of the fields [MaxConcurrency, MaxConcurrencyPath] may be set")
		}
		st.maxConcurrency, _ = c.intRange(v, ptr(loc, "MaxConcurrency"), "MaxConcurrency", 0, maxTimeoutSeconds)
	}
	if v, ok := o.get("MaxConcurrencyPath"); ok {
		st.maxConcurrencyPath = c.path(v, ptr(loc, "MaxConcurrencyPath"), "MaxConcurrencyPath")
	}
	if !st.distributed {
		for _, f := range distributedOnly {
			if _, ok := o.get(f); ok {
				c.d.schema(ptr(loc, f), "The field '%s' is only supported for a Map state in DISTRIBUTED mode", f)
			}
		}
		return
	}
	if v, ok := o.get("ToleratedFailureCount"); ok {
		st.toleratedCount, st.hasToleratedCount = c.intRange(v, ptr(loc, "ToleratedFailureCount"), "ToleratedFailureCount", 0, maxTimeoutSeconds)
	}
	if v, ok := o.get("ToleratedFailurePercentage"); ok {
		if f, ok := c.number(v, ptr(loc, "ToleratedFailurePercentage"), "ToleratedFailurePercentage"); ok {
			if f < 0 || f > 100 {
				c.d.schema(ptr(loc, "ToleratedFailurePercentage"), "The value for the field 'ToleratedFailurePercentage' must be between 0 and 100")
			}
			st.toleratedPercent, st.hasToleratedPct = f, true
		}
	}
	if v, ok := o.get("ToleratedFailureCountPath"); ok {
		st.toleratedCountPath = c.path(v, ptr(loc, "ToleratedFailureCountPath"), "ToleratedFailureCountPath")
	}
	if v, ok := o.get("ToleratedFailurePercentagePath"); ok {
		st.toleratedPctPath = c.path(v, ptr(loc, "ToleratedFailurePercentagePath"), "ToleratedFailurePercentagePath")
	}
	if v, ok := o.get("Label"); ok {
		if s, ok := c.str(v, ptr(loc, "Label"), "Label"); ok && len(s) > 40 {
			c.d.schema(ptr(loc, "Label"), "The value for the field 'Label' must be at most 40 characters long")
		}
	}
	if v, ok := o.get("ItemBatcher"); ok {
		st.batcher = c.itemBatcher(v, ptr(loc, "ItemBatcher"))
	}
}

// ataMap compiles the fields of a JSONata Map state: Items (an array or
// an expression), ItemSelector (a JSONata template) and the limits as
// literals or expressions.
func (c *compiler) ataMap(st *state, o *object, loc string) {
	if v, ok := o.get("Items"); ok {
		iloc := ptr(loc, "Items")
		switch x := v.(type) {
		case []any:
			st.ataItems = c.ataTemplate(x, iloc)
		case string:
			if _, ok := ataExpression(x); !ok {
				c.d.schema(iloc, "The value for the field 'Items' must be an ARRAY or a JSONata expression")
				break
			}
			st.ataItems = c.ataTemplate(x, iloc)
		default:
			c.d.schema(iloc, "The value for the field 'Items' must be an ARRAY or a JSONata expression")
		}
	}
	if v, ok := o.get("ItemSelector"); ok {
		st.ataItemSelector = c.ataTemplate(v, ptr(loc, "ItemSelector"))
	}
	st.maxConcurrency, st.ataMaxConcurrency = c.ataInt(o, loc, "MaxConcurrency", 0, maxTimeoutSeconds)
	if !st.distributed {
		for _, f := range distributedOnly {
			if _, ok := o.get(f); ok {
				c.d.schema(ptr(loc, f), "The field '%s' is only supported for a Map state in DISTRIBUTED mode", f)
			}
		}
		return
	}
	st.toleratedCount, st.ataTolCount = c.ataInt(o, loc, "ToleratedFailureCount", 0, maxTimeoutSeconds)
	st.hasToleratedCount = st.ataTolCount == nil && hasField(o, "ToleratedFailureCount")
	if t, ok := c.ataExprField(o, loc, "ToleratedFailurePercentage"); ok {
		st.ataTolPct = t
	} else if v, ok := o.get("ToleratedFailurePercentage"); ok {
		if f, ok := c.number(v, ptr(loc, "ToleratedFailurePercentage"), "ToleratedFailurePercentage"); ok {
			if f < 0 || f > 100 {
				c.d.schema(ptr(loc, "ToleratedFailurePercentage"), "The value for the field 'ToleratedFailurePercentage' must be between 0 and 100")
			}
			st.toleratedPercent, st.hasToleratedPct = f, true
		}
	}
	if v, ok := o.get("ItemBatcher"); ok {
		st.batcher = c.itemBatcher(v, ptr(loc, "ItemBatcher"))
	}
}

func hasField(o *object, k string) bool {
	_, ok := o.get(k)
	return ok
}

func (c *compiler) processorConfig(st *state, po *object, ploc string) {
	cv, ok := po.get("ProcessorConfig")
	if !ok {
		return
	}
	cloc := ptr(ploc, "ProcessorConfig")
	co, ok := cv.(*object)
	if !ok {
		c.d.schema(cloc, "The value for the field 'ProcessorConfig' must be an OBJECT")
		return
	}
	c.checkFields(co, cloc, fieldSet("Mode", "ExecutionType"), nil)
	if mv, ok := co.get("Mode"); ok {
		mode, _ := c.str(mv, ptr(cloc, "Mode"), "Mode")
		switch mode {
		case "INLINE":
		case "DISTRIBUTED":
			st.distributed = true
		default:
			c.d.schema(ptr(cloc, "Mode"), "The value for the field 'Mode' must be one of [INLINE, DISTRIBUTED]")
		}
	}
	if ev, ok := co.get("ExecutionType"); ok {
		et, _ := c.str(ev, ptr(cloc, "ExecutionType"), "ExecutionType")
		if et != "STANDARD" && et != "EXPRESS" {
			c.d.schema(ptr(cloc, "ExecutionType"), "The value for the field 'ExecutionType' must be one of [STANDARD, EXPRESS]")
		}
		if !st.distributed {
			c.d.schema(ptr(cloc, "ExecutionType"), "The field 'ExecutionType' is only supported in DISTRIBUTED mode")
		}
	} else if st.distributed {
		c.d.schema(cloc, "These fields are required: [ExecutionType]")
	}
}

func (c *compiler) itemBatcher(v any, loc string) *itemBatcher {
	o, ok := v.(*object)
	if !ok {
		c.d.schema(loc, "The value for the field 'ItemBatcher' must be an OBJECT")
		return nil
	}
	c.checkFields(o, loc, fieldSet("MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput"), nil)
	b := &itemBatcher{}
	if v, ok := o.get("MaxItemsPerBatch"); ok {
		b.maxItems, b.hasMaxItems = c.intRange(v, ptr(loc, "MaxItemsPerBatch"), "MaxItemsPerBatch", 1, maxTimeoutSeconds)
	}
	if v, ok := o.get("MaxItemsPerBatchPath"); ok {
		b.maxItemsPath = c.path(v, ptr(loc, "MaxItemsPerBatchPath"), "MaxItemsPerBatchPath")
		b.hasMaxItemsPath = true
	}
	if v, ok := o.get("MaxInputBytesPerBatch"); ok {
		b.maxBytes, b.hasMaxBytes = c.intRange(v, ptr(loc, "MaxInputBytesPerBatch"), "MaxInputBytesPerBatch", 1, 256*1024)
	}
	if v, ok := o.get("MaxInputBytesPerBatchPath"); ok {
		b.maxBytesPath = c.path(v, ptr(loc, "MaxInputBytesPerBatchPath"), "MaxInputBytesPerBatchPath")
	}
	if _, ok := o.get("BatchInput"); ok {
		b.batchInput = c.template(o, loc, "BatchInput")
	}
	if !b.hasMaxItems && b.maxItemsPath == nil && !b.hasMaxBytes && b.maxBytesPath == nil {
		c.d.schema(loc, "At least one of the fields [MaxItemsPerBatch, MaxItemsPerBatchPath, MaxInputBytesPerBatch, MaxInputBytesPerBatchPath] is required")
	}
	return b
}
