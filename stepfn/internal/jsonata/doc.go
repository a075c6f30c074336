// Package jsonata evaluates JSONata 2.x expressions, the second query
// language of AWS Step Functions (which runs jsonata-js 2.0.6; this
// package also has the 2.1 operators ?: and ??).
//
// Compile parses an expression once; the *Expr it returns holds no mutable
// state and may be evaluated by many goroutines at once with Eval:
//
//	e, err := jsonata.Compile(`$sum($states.input.items.(price * qty))`)
//	out, err := e.Eval(nil, &jsonata.Env{Vars: map[string]any{"states": states}})
//
// # Values
//
// Inputs are JSON values as encoding/json builds them: nil, bool, string,
// json.Number (or float64 or any Go integer type), []any and
// map[string]any. Numbers the evaluator computes are float64; numbers
// passed through untouched keep their type. A result of "nothing" is
// Undefined (distinct from nil, which is JSON null). Results are plain
// values: sequences are collapsed as JSONata does (one item becomes the
// item, none becomes Undefined, [] keeps a singleton array) and arrays are
// []any. Function values (lambdas, builtins, partial applications, regex
// matchers) may be returned; IsFunction reports them. Input values are
// never modified: the transform operator works on a deep copy and changes
// only maps of that copy.
//
// # Errors
//
// Every error is an *Error carrying JSONata's code (S0xxx syntax, T0xxx
// and T1xxx/T2xxx type, D1xxx-D3xxx dynamic), the character offset
// jsonata-js reports (the end of the offending token, counted in code
// points) and the message jsonata-js gives for that code. Codes this
// package adds: S0303 (a regular expression Go cannot run), S0403 (a
// malformed function signature), D2016 ($pad wider than 1e7), U1001 (more
// nested function calls than Env.MaxDepth, default 500; tail calls do not
// count) and U1002 (more evaluation steps than Env.MaxSteps; ranges count
// one step per item).
//
// # Environment
//
// Env.Vars are visible as $name, Env.Funcs add or replace functions (their
// signatures are checked and coerced exactly as the builtins'), Env.Now
// fixes $now() and $millis() (one instant per evaluation when zero) and
// Env.Rand feeds $random() and $shuffle(). $eval evaluates in the calling
// scope with the same Env.
//
// # Differences from jsonata-js
//
//   - Object key order: Go maps do not keep insertion order. Wherever
//     jsonata-js's result follows key order — $keys, $each, $sift, $spread,
//     the * and ** wildcards, $string of an object, the order of groups —
//     this package uses sorted key order instead.
//   - Regular expressions run on Go's RE2 engine. JavaScript syntax is
//     translated where it has a direct equivalent (\uXXXX, \u{X}, \/, [^],
//     the i and m flags); lookahead, lookbehind and backreferences cannot
//     be run and are rejected at compile time (S0303). \d, \w, \b and \s
//     are ASCII-only as in RE2 (JavaScript's \s also matches Unicode
//     spaces). An unmatched capture group is null in match objects (JSON's
//     rendering of jsonata-js's undefined).
//   - Match positions ($match index, matcher start/end) are JavaScript
//     string indexes (UTF-16 units) as in jsonata-js; $length and
//     $substring count code points as jsonata-js does; error positions are
//     counted in code points. $split(s, "") splits into code points where
//     JavaScript would split a surrogate pair.
//   - A replacement function given to $replace with a plain string pattern
//     is called with a match object (jsonata-js 2.0.6 inserts the
//     function's source text instead).
//   - $uppercase and $lowercase use Go's Unicode case mapping (one rune to
//     one rune: "ß" stays "ß" where JavaScript gives "SS").
//   - $base64encode/$base64decode use jsonata-js's Node behaviour: one byte
//     per UTF-16 unit (Latin-1), so characters above U+00FF do not survive.
//   - The in operator compares objects and arrays by identity in
//     jsonata-js; here an object or array on its left never matches.
//   - An error a Func returns that is not an *Error becomes D3137 with the
//     error's text as message.
//   - Numbers are never negative zero, and arithmetic that produces
//     Infinity or NaN (1/0, 0%0) is error D1001 at once; jsonata-js 2.0.6
//     carries the value on (JSON shows it as null) until an operator
//     rejects it.
//   - Lambda signatures follow the later jsonata-js fix: the arguments
//     matched by a variadic parameter (<n+>) arrive as one array, and a
//     skipped optional parameter does not shift the arguments after it.
//   - Expressions nested more than 400 levels deep are rejected (S0201)
//     rather than risking the stack.
//   - A builtin passed as a callback ($map($a, $string)) receives as many
//     arguments as its jsonata-js implementation declares; a Func from
//     Env.Funcs receives as many as its signature declares, or three
//     without a signature.
//   - $clone is always a deep copy; redefining it does not change the
//     transform operator.
//   - The picture-string functions ($formatNumber, $formatBase,
//     $formatInteger, $parseInteger, $fromMillis, $toMillis and the picture
//     form of $now) are implemented in the picture subpackage; see its
//     documentation for its own differences.
package jsonata
