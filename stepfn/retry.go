package stepfn

import (
	"math"
	"time"
)

// retrier is one entry of a state's Retry: which errors it retries, how
// often and how long it waits.
type retrier struct {
	errorEquals []string
	interval    time.Duration // IntervalSeconds, default 1
	maxAttempts int64         // default 3; 0 never retries
	backoffRate float64       // default 2.0
	maxDelay    time.Duration // MaxDelaySeconds, 0 for no cap
	jitterFull  bool          // JitterStrategy FULL
}

// catcher is one entry of a state's Catch.
type catcher struct {
	errorEquals []string
	next        string
	resultPath  optPath
	assign      *assignSpec
	output      *ataTemplate // a JSONata catcher's Output
}

// maxRetryDelay is the largest MaxDelaySeconds: 31,622,400 seconds (366
// days).
const maxRetryDelay = 31622400

func (c *compiler) retriers(o *object, loc string) []retrier {
	v, ok := o.get("Retry")
	if !ok {
		return nil
	}
	rloc := ptr(loc, "Retry")
	arr, ok := v.([]any)
	if !ok {
		c.d.schema(rloc, "The value for the field 'Retry' must be an ARRAY")
		return nil
	}
	var out []retrier
	for i, e := range arr {
		eloc := ptrIndex(rloc, i)
		eo, ok := e.(*object)
		if !ok {
			c.d.schema(eloc, "A Retrier must be an OBJECT")
			continue
		}
		c.checkFields(eo, eloc, fieldSet("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"), nil)
		r := retrier{interval: time.Second, maxAttempts: 3, backoffRate: 2}
		r.errorEquals = c.errorEquals(eo, eloc, i == len(arr)-1, "Retrier")
		if v, ok := eo.get("IntervalSeconds"); ok {
			n, _ := c.intRange(v, ptr(eloc, "IntervalSeconds"), "IntervalSeconds", 1, maxTimeoutSeconds)
			r.interval = time.Duration(n) * time.Second
		}
		if v, ok := eo.get("MaxAttempts"); ok {
			r.maxAttempts, _ = c.intRange(v, ptr(eloc, "MaxAttempts"), "MaxAttempts", 0, maxTimeoutSeconds)
		}
		if v, ok := eo.get("BackoffRate"); ok {
			if f, ok := c.number(v, ptr(eloc, "BackoffRate"), "BackoffRate"); ok {
				if f < 1 {
					c.d.schema(ptr(eloc, "BackoffRate"), "The value for the field 'BackoffRate' must be greater than or equal to 1.0")
				}
				r.backoffRate = f
			}
		}
		if v, ok := eo.get("MaxDelaySeconds"); ok {
			n, _ := c.intRange(v, ptr(eloc, "MaxDelaySeconds"), "MaxDelaySeconds", 1, maxRetryDelay)
			r.maxDelay = time.Duration(n) * time.Second
		}
		if v, ok := eo.get("JitterStrategy"); ok {
			if s, ok := c.str(v, ptr(eloc, "JitterStrategy"), "JitterStrategy"); ok {
				switch s {
				case "FULL":
					r.jitterFull = true
				case "NONE":
				default:
					c.d.schema(ptr(eloc, "JitterStrategy"), "The value for the field 'JitterStrategy' must be one of [FULL, NONE]")
				}
			}
		}
		out = append(out, r)
	}
	return out
}

func (c *compiler) catchers(o *object, loc string) []catcher {
	v, ok := o.get("Catch")
	if !ok {
		return nil
	}
	cloc := ptr(loc, "Catch")
	arr, ok := v.([]any)
	if !ok {
		c.d.schema(cloc, "The value for the field 'Catch' must be an ARRAY")
		return nil
	}
	var out []catcher
	for i, e := range arr {
		eloc := ptrIndex(cloc, i)
		eo, ok := e.(*object)
		if !ok {
			c.d.schema(eloc, "A Catcher must be an OBJECT")
			continue
		}
		jsonata := c.lang == langJSONata
		if jsonata {
			c.checkFields(eo, eloc, fieldSet("ErrorEquals", "Next", "Output", "Assign", "Comment"), nil)
		} else {
			c.checkFields(eo, eloc, fieldSet("ErrorEquals", "Next", "ResultPath", "Assign", "Comment"), nil)
		}
		ct := catcher{errorEquals: c.errorEquals(eo, eloc, i == len(arr)-1, "Catcher")}
		if nv, ok := eo.get("Next"); ok {
			ct.next, _ = c.nonEmptyStr(nv, ptr(eloc, "Next"), "Next")
		} else {
			c.d.schema(eloc, "These fields are required: [Next]")
		}
		if jsonata {
			if ov, ok := eo.get("Output"); ok {
				ct.output = c.ataTemplate(ov, ptr(eloc, "Output"))
			}
		} else {
			ct.resultPath = c.optionalPath(eo, eloc, "ResultPath", true)
		}
		ct.assign = c.assign(eo, eloc, jsonata)
		out = append(out, ct)
	}
	return out
}

// errorEquals reads an ErrorEquals list: non-empty, and States.ALL only
// alone and only in the last retrier or catcher.
func (c *compiler) errorEquals(o *object, loc string, last bool, what string) []string {
	v, ok := o.get("ErrorEquals")
	if !ok {
		c.d.schema(loc, "These fields are required: [ErrorEquals]")
		return nil
	}
	eloc := ptr(loc, "ErrorEquals")
	arr, ok := v.([]any)
	if !ok {
		c.d.schema(eloc, "The value for the field 'ErrorEquals' must be an ARRAY")
		return nil
	}
	if len(arr) == 0 {
		c.d.schema(eloc, "The field 'ErrorEquals' should be non-empty")
		return nil
	}
	var names []string
	hasAll := false
	for i, e := range arr {
		s, ok := c.nonEmptyStr(e, ptrIndex(eloc, i), "ErrorEquals")
		if !ok {
			continue
		}
		if s == ErrorAll {
			hasAll = true
		}
		names = append(names, s)
	}
	if hasAll && len(arr) > 1 {
		c.d.schema(eloc, "'States.ALL' must appear alone in the field 'ErrorEquals'")
	}
	if hasAll && !last {
		c.d.schema(loc, "A %s with 'States.ALL' in 'ErrorEquals' must be the last one", what)
	}
	return names
}

// errorMatches reports whether an error name is matched by an
// ErrorEquals list. States.ALL matches everything; States.TaskFailed
// matches everything but States.Timeout; States.Runtime is matched by
// nothing, not even its own name, because it always fails the execution.
func errorMatches(list []string, name string) bool {
	if name == ErrorRuntime {
		return false
	}
	for _, e := range list {
		switch {
		case e == name:
			return true
		case e == ErrorAll:
			return true
		case e == ErrorTaskFailed && name != ErrorTimeout:
			return true
		}
	}
	return false
}

// retryDelay is the wait before retry number attempt (0-based) of r:
// IntervalSeconds × BackoffRate^attempt, capped at MaxDelaySeconds, and
// with FULL jitter a uniform draw from [0, that].
func (r *retrier) retryDelay(attempt int64, rnd *lockedRand) time.Duration {
	secs := r.interval.Seconds() * math.Pow(r.backoffRate, float64(attempt))
	if r.maxDelay > 0 && secs > r.maxDelay.Seconds() {
		secs = r.maxDelay.Seconds()
	}
	if secs > maxRetryDelay {
		secs = maxRetryDelay
	}
	d := time.Duration(secs * float64(time.Second))
	if r.jitterFull {
		d = time.Duration(rnd.float64() * float64(d))
	}
	return d
}
