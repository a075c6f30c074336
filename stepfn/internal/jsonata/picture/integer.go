package picture

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// intKind is the primary format token family of an integer picture.
type intKind int

const (
	kindDecimal intKind = iota
	kindLetters
	kindRoman
	kindWords
	kindSequence
)

// letterCase is how names, words and letters are cased.
type letterCase int

const (
	caseLower letterCase = iota
	caseUpper
	caseTitle
)

// separator is a grouping-separator-sign and its position, counted in digit
// places from the right-hand end of the digit pattern.
type separator struct {
	pos int
	ch  rune
}

// intFormat is an analysed fn:format-integer picture.
type intFormat struct {
	kind      intKind
	letters   letterCase
	ordinal   bool
	token     string // the primary token, for D3130 messages
	zero      rune   // the zero of the decimal digit family
	mandatory int    // mandatory digits (after width adjustments)
	optional  int    // optional digits ('#')
	regular   int    // >0: one separator every regular digits
	regularCh rune
	seps      []separator // irregular separators, rightmost first
	// parseWidth, when >0, is the exact digit count a parser must read
	// (set for a date/time component directly followed by another number).
	parseWidth int
}

// digitZero returns the zero of the Unicode decimal digit family r belongs
// to, and whether r is a decimal digit at all.
func digitZero(r rune) (rune, bool) {
	if r >= '0' && r <= '9' {
		return '0', true
	}
	if r < 0x80 || !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	// Decimal digits come in runs of ten that start at a zero; the Nd table
	// stores each run of consecutive families as one range.
	for _, rg := range unicode.Nd.R16 {
		if rg.Stride == 1 && r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return rune(rg.Lo) + (r-rune(rg.Lo))/10*10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rg.Stride == 1 && r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return rune(rg.Lo) + (r-rune(rg.Lo))/10*10, true
		}
	}
	return 0, false
}

// analyseInteger parses an fn:format-integer picture: a primary token, then
// optionally ';' and a format modifier whose leading 'o' asks for ordinals.
func analyseInteger(pic string) (*intFormat, error) {
	f := &intFormat{kind: kindDecimal, letters: caseLower}
	primary := pic
	if i := strings.LastIndexByte(pic, ';'); i >= 0 {
		primary = pic[:i]
		if strings.HasPrefix(pic[i+1:], "o") {
			f.ordinal = true
		}
	}
	switch primary {
	case "A":
		f.kind, f.letters = kindLetters, caseUpper
	case "a":
		f.kind = kindLetters
	case "I":
		f.kind, f.letters = kindRoman, caseUpper
	case "i":
		f.kind = kindRoman
	case "W":
		f.kind, f.letters = kindWords, caseUpper
	case "Ww":
		f.kind, f.letters = kindWords, caseTitle
	case "w":
		f.kind = kindWords
	default:
		return f, analyseDigits(f, primary)
	}
	return f, nil
}

// analyseDigits reads a decimal-digit-pattern. Anything that is neither a
// digit nor '#' is a grouping separator. A pattern with no digit at all is
// a numbering sequence, which (as in JSONata) is not supported: D3130.
func analyseDigits(f *intFormat, primary string) error {
	runes := []rune(primary)
	var seps []separator
	place := 0
	for i := len(runes) - 1; i >= 0; i-- {
		r := runes[i]
		if z, ok := digitZero(r); ok {
			if f.mandatory > 0 && z != f.zero {
				return errorf("D3131", "the decimal digit pattern %q mixes digits from different digit families", primary)
			}
			f.zero = z
			f.mandatory++
			place++
			continue
		}
		if r == '#' {
			f.optional++
			place++
			continue
		}
		seps = append(seps, separator{pos: place, ch: r})
	}
	if f.mandatory == 0 {
		f.kind = kindSequence
		f.token = primary
		return nil
	}
	if period := regularPeriod(seps); period > 0 {
		f.regular, f.regularCh = period, seps[0].ch
	} else {
		f.seps = seps
	}
	return nil
}

// regularPeriod returns the distance between separators when they are all
// the same character and sit at every multiple of one interval; else 0.
func regularPeriod(seps []separator) int {
	if len(seps) == 0 {
		return 0
	}
	g := 0
	for _, s := range seps {
		if s.ch != seps[0].ch {
			return 0
		}
		g = gcd(g, s.pos)
	}
	if g == 0 {
		return 0
	}
	have := map[int]bool{}
	for _, s := range seps {
		have[s.pos] = true
	}
	for k := 1; k <= len(seps); k++ {
		if !have[k*g] {
			return 0
		}
	}
	return g
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// FormatInteger implements $formatInteger(number, picture): decimal digit
// patterns with grouping, "a"/"A" letters, "i"/"I" roman numerals,
// "w"/"W"/"Ww" words (English, incl. ordinals with ;o modifier), "#"
// optional digits, other Unicode decimal digit families. The number is
// rounded down to an integer first.
func FormatInteger(value float64, picture string) (string, error) {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return "", errorf("D1001", "cannot format %v as an integer", value)
	}
	f, err := analyseInteger(picture)
	if err != nil {
		return "", err
	}
	return f.format(math.Floor(value))
}

// format writes the integer v (already integral) as the analysed picture says.
func (f *intFormat) format(v float64) (string, error) {
	neg := v < 0
	v = math.Abs(v)
	var s string
	switch f.kind {
	case kindLetters:
		a := 'a'
		if f.letters == caseUpper {
			a = 'A'
		}
		s = toLetters(v, a)
	case kindRoman:
		s = toRoman(v)
		if f.letters == caseUpper {
			s = strings.ToUpper(s)
		}
	case kindWords:
		s = toWords(v, f.ordinal)
		switch f.letters {
		case caseUpper:
			s = strings.ToUpper(s)
		case caseLower:
			s = strings.ToLower(s)
		}
	case kindDecimal:
		// shortest decimal form: 1e22 is a one and 22 zeros
		s = f.formatDecimal(strconv.FormatFloat(v, 'f', -1, 64))
	default:
		return "", errorf("D3130", "formatting an integer as a sequence starting with %q is not supported", f.token)
	}
	if neg {
		s = "-" + s
	}
	return s, nil
}

// formatDecimal pads, maps to the digit family, groups and adds any
// ordinal suffix to the ASCII digits of a non-negative integer.
func (f *intFormat) formatDecimal(ascii string) string {
	if pad := f.mandatory - len(ascii); pad > 0 {
		ascii = strings.Repeat("0", pad) + ascii
	}
	digits := make([]rune, 0, len(ascii))
	for _, c := range ascii {
		digits = append(digits, f.zero+(c-'0'))
	}
	var out []rune
	if f.regular > 0 {
		out = make([]rune, 0, len(digits)*2)
		for i, d := range digits {
			if i > 0 && (len(digits)-i)%f.regular == 0 {
				out = append(out, f.regularCh)
			}
			out = append(out, d)
		}
	} else {
		// irregular separators: each goes before the digit place it names,
		// provided there is a digit to its left.
		at := map[int]rune{}
		for _, s := range f.seps {
			if s.pos > 0 && s.pos < len(digits) {
				at[s.pos] = s.ch
			}
		}
		for i, d := range digits {
			if ch, ok := at[len(digits)-i]; ok && i > 0 {
				out = append(out, ch)
			}
			out = append(out, d)
		}
	}
	s := string(out)
	if f.ordinal {
		s += ordinalSuffix(ascii)
	}
	return s
}

// ordinalSuffix returns st, nd, rd or th for the ASCII digits of n.
func ordinalSuffix(ascii string) string {
	n := len(ascii)
	if n > 1 && ascii[n-2] == '1' {
		return "th"
	}
	switch ascii[n-1] {
	case '1':
		return "st"
	case '2':
		return "nd"
	case '3':
		return "rd"
	}
	return "th"
}

// toLetters writes v in the spreadsheet column scheme: a..z, aa..az, ...
func toLetters(v float64, a rune) string {
	var out []rune
	for v > 0 {
		out = append(out, a+rune(math.Mod(v-1, 26)))
		v = math.Floor((v - 1) / 26)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

var romanTable = []struct {
	v float64
	s string
}{
	{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
	{50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"},
}

// maxRoman bounds roman output: above it the string would be megabytes of
// 'm'; such values are written with a leading count of thousands instead.
const maxRoman = 1e6

func toRoman(v float64) string {
	var b strings.Builder
	if v > maxRoman {
		// Not in the spec; keeps the output finite for absurd values.
		th := math.Floor(v / 1000)
		b.WriteString(strconv.FormatFloat(th, 'f', 0, 64))
		b.WriteString("×m")
		v -= th * 1000
	}
	for _, e := range romanTable {
		for v >= e.v {
			b.WriteString(e.s)
			v -= e.v
		}
	}
	return b.String()
}

var (
	smallWords = []string{"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
		"Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	smallOrdinals = []string{"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
		"Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"}
	tensWords = []string{"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"}
	bigWords  = []string{"Thousand", "Million", "Billion", "Trillion"}
)

// toWords writes a non-negative integer in English words, title-cased, the
// way JSONata does: "and" before the last part below a hundred, commas
// between thousands groups, and "Trillion" repeated for larger magnitudes.
func toWords(v float64, ordinal bool) string {
	var b strings.Builder
	writeWords(&b, v, false, ordinal)
	return b.String()
}

func writeWords(b *strings.Builder, n float64, joined, ordinal bool) {
	switch {
	case n <= 19:
		if joined {
			b.WriteString(" and ")
		}
		if ordinal {
			b.WriteString(smallOrdinals[int(n)])
		} else {
			b.WriteString(smallWords[int(n)])
		}
	case n < 100:
		if joined {
			b.WriteString(" and ")
		}
		tens, rest := int(n)/10, int(n)%10
		w := tensWords[tens-2]
		switch {
		case rest > 0:
			b.WriteString(w)
			b.WriteByte('-')
			writeWords(b, float64(rest), false, ordinal)
		case ordinal:
			b.WriteString(w[:len(w)-1] + "ieth")
		default:
			b.WriteString(w)
		}
	case n < 1000:
		if joined {
			b.WriteString(", ")
		}
		b.WriteString(smallWords[int(n)/100])
		b.WriteString(" Hundred")
		if rest := math.Mod(n, 100); rest > 0 {
			writeWords(b, rest, true, ordinal)
		} else if ordinal {
			b.WriteString("th")
		}
	default:
		if joined {
			b.WriteString(", ")
		}
		mag := 0
		for t := 1e3; t <= n && mag < len(bigWords); t *= 1e3 {
			mag++
		}
		factor := math.Pow(10, float64(mag*3))
		mant := math.Floor(n / factor)
		rest := n - mant*factor
		writeWords(b, mant, false, false)
		b.WriteByte(' ')
		b.WriteString(bigWords[mag-1])
		if rest > 0 {
			writeWords(b, rest, true, ordinal)
		} else if ordinal {
			b.WriteString("th")
		}
	}
}

// wordValues maps every lower-case number word (cardinal and ordinal) to
// its value.
var wordValues = func() map[string]float64 {
	m := map[string]float64{}
	for i, w := range smallWords {
		m[strings.ToLower(w)] = float64(i)
	}
	for i, w := range smallOrdinals {
		m[strings.ToLower(w)] = float64(i)
	}
	for i, w := range tensWords {
		lw := strings.ToLower(w)
		m[lw] = float64(i+2) * 10
		m[lw[:len(lw)-1]+"ieth"] = float64(i+2) * 10
	}
	m["hundred"], m["hundredth"] = 100, 100
	for i, w := range bigWords {
		lw := strings.ToLower(w)
		v := math.Pow(10, float64(i+1)*3)
		m[lw], m[lw+"th"] = v, v
	}
	return m
}()

// wordsPattern matches a run of number words and their joiners. Longer
// words come first so that "sixteen" is not read as "six" + "teen".
var wordsPattern = func() string {
	words := make([]string, 0, len(wordValues)+1)
	for w := range wordValues {
		words = append(words, w)
	}
	words = append(words, "and")
	sort.Slice(words, func(i, j int) bool {
		if len(words[i]) != len(words[j]) {
			return len(words[i]) > len(words[j])
		}
		return words[i] < words[j]
	})
	return `(?:` + strings.Join(words, "|") + `|[\-, ])+`
}()

// wordsRegexp matches a whole string of number words.
var wordsRegexp = regexp.MustCompile(`(?i)^(?:` + wordsPattern + `)$`)

var wordSplit = regexp.MustCompile(`,\s|\sand\s|[\s\\-]`)

// fromWords reads English number words (case-insensitive). It returns NaN
// when a word is not a number word.
func fromWords(text string) float64 {
	parts := wordSplit.Split(strings.ToLower(text), -1)
	segs := []float64{0}
	for _, p := range parts {
		v, ok := wordValues[p]
		if !ok {
			return math.NaN()
		}
		last := len(segs) - 1
		if v < 100 {
			top := segs[last]
			if top >= 1000 {
				segs = append(segs, v)
			} else {
				segs[last] = top + v
			}
		} else {
			segs[last] *= v
		}
	}
	sum := 0.0
	for _, s := range segs {
		sum += s
	}
	return sum
}

var romanValues = map[rune]float64{'M': 1000, 'D': 500, 'C': 100, 'L': 50, 'X': 10, 'V': 5, 'I': 1}

func fromRoman(s string) float64 {
	total, maxSeen := 0.0, 1.0
	rs := []rune(strings.ToUpper(s))
	for i := len(rs) - 1; i >= 0; i-- {
		v, ok := romanValues[rs[i]]
		if !ok {
			return math.NaN()
		}
		if v < maxSeen {
			total -= v
		} else {
			maxSeen = v
			total += v
		}
	}
	return total
}

func fromLetters(s string, a rune) float64 {
	total := 0.0
	rs := []rune(s)
	for i := range rs {
		d := rs[len(rs)-1-i] - a + 1
		if d < 1 || d > 26 {
			return math.NaN()
		}
		total += float64(d) * math.Pow(26, float64(i))
	}
	return total
}

// ParseInteger implements $parseInteger(string, picture), the inverse of
// FormatInteger, including the leading '-' it writes for negative
// numbers. A string that does not have the form the picture describes
// gives NaN (JSONata yields no usable number); a bad picture gives
// an *Error.
func ParseInteger(s, picture string) (float64, error) {
	f, err := analyseInteger(picture)
	if err != nil {
		return 0, err
	}
	re := wordsRegexp
	if f.kind != kindWords {
		pat, err := f.pattern()
		if err != nil {
			return 0, err
		}
		if re, err = regexp.Compile(`(?i)^(?:` + pat + `)$`); err != nil {
			return 0, errorf("D3130", "cannot build a parser for the picture %q", picture)
		}
	}
	neg := false
	if rest, found := strings.CutPrefix(s, "-"); found && rest != "" {
		neg, s = true, rest
	}
	if !re.MatchString(s) {
		return math.NaN(), nil
	}
	v := f.parse(s)
	if neg {
		v = -v
	}
	return v, nil
}

// pattern returns a regular expression (RE2 syntax) matching the text
// format writes for a non-negative value.
func (f *intFormat) pattern() (string, error) {
	switch f.kind {
	case kindLetters:
		if f.letters == caseUpper {
			return `[A-Z]+`, nil
		}
		return `[a-z]+`, nil
	case kindRoman:
		if f.letters == caseUpper {
			return `[MDCLXVI]*`, nil
		}
		return `[mdclxvi]*`, nil
	case kindWords:
		return wordsPattern, nil
	case kindDecimal:
		var cls strings.Builder
		cls.WriteString("[")
		cls.WriteString(regexp.QuoteMeta(string(f.zero)) + "-" + regexp.QuoteMeta(string(f.zero+9)))
		if f.regular > 0 {
			cls.WriteString(quoteClass(f.regularCh))
		}
		for _, s := range f.seps {
			cls.WriteString(quoteClass(s.ch))
		}
		cls.WriteString("]")
		p := cls.String()
		if f.parseWidth > 0 {
			p += "{" + strconv.Itoa(f.parseWidth) + "}"
		} else {
			p += "+"
		}
		if f.ordinal {
			p += `(?:th|st|nd|rd)`
		}
		return p, nil
	}
	return "", errorf("D3130", "parsing an integer as a sequence starting with %q is not supported", f.token)
}

// quoteClass escapes r for use inside a character class.
func quoteClass(r rune) string {
	if r < utf8.RuneSelf && strings.ContainsRune(`\]^-[`, r) {
		return `\` + string(r)
	}
	if !utf8.ValidRune(r) {
		return ""
	}
	return string(r)
}

// parse reads text already matched by pattern.
func (f *intFormat) parse(s string) float64 {
	switch f.kind {
	case kindLetters:
		a := 'a'
		if f.letters == caseUpper {
			a = 'A'
		}
		if strings.ToLower(s) == s {
			a = 'a'
		} else if strings.ToUpper(s) == s {
			a = 'A'
		}
		return fromLetters(s, a)
	case kindRoman:
		return fromRoman(s)
	case kindWords:
		return fromWords(s)
	}
	if f.ordinal && len(s) >= 2 {
		s = s[:len(s)-2]
	}
	var b strings.Builder
	for _, r := range s {
		if r >= f.zero && r <= f.zero+9 {
			b.WriteRune('0' + (r - f.zero))
		}
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	if err != nil {
		return math.NaN()
	}
	return v
}
