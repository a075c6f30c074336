package picture

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// decimalFormat holds the properties of an XPath decimal format, as
// $formatNumber's options name them.
type decimalFormat struct {
	decimal, grouping, exponent, infinity, minus, nan, percent, perMille, digit, patternSep string
	family                                                                                  []rune // the ten digits, zero first
}

func newDecimalFormat(options map[string]string) decimalFormat {
	d := decimalFormat{
		decimal: ".", grouping: ",", exponent: "e", infinity: "Infinity", minus: "-",
		nan: "NaN", percent: "%", perMille: "\u2030", digit: "#", patternSep: ";",
	}
	zero := '0'
	for k, v := range options {
		switch k {
		case "decimal-separator":
			d.decimal = v
		case "grouping-separator":
			d.grouping = v
		case "exponent-separator":
			d.exponent = v
		case "infinity":
			d.infinity = v
		case "minus-sign":
			d.minus = v
		case "NaN":
			d.nan = v
		case "percent":
			d.percent = v
		case "per-mille":
			d.perMille = v
		case "zero-digit":
			if v != "" {
				zero = []rune(v)[0]
			}
		case "digit":
			d.digit = v
		case "pattern-separator":
			d.patternSep = v
		}
	}
	for i := rune(0); i < 10; i++ {
		d.family = append(d.family, zero+i)
	}
	return d
}

func (d *decimalFormat) isDigit(r rune) bool {
	return r >= d.family[0] && r <= d.family[9]
}

// isActive reports whether r is one of the picture's active characters.
func (d *decimalFormat) isActive(r rune) bool {
	s := string(r)
	return d.isDigit(r) || s == d.decimal || s == d.exponent || s == d.grouping || s == d.digit || s == d.patternSep
}

// subPicture is one half of a picture (positive or negative), split into
// its parts as F&O 4.7 describes.
type subPicture struct {
	text                                        string
	prefix, suffix                              string
	active, mantissa, integer, fraction         []rune
	exponent                                    []rune
	hasExponent                                 bool
	intGroups                                   []int // digits to the right of each integer-part separator
	fracGroups                                  []int // digits to the left of each fraction-part separator
	regular                                     int
	minInt, scaling, minFrac, maxFrac, minExpon int
}

func (d *decimalFormat) split(text string) *subPicture {
	p := &subPicture{text: text}
	rs := []rune(text)
	exp := []rune(d.exponent)
	isBoundary := func(r rune) bool { return d.isActive(r) && string(r) != d.exponent }
	start, end := len(rs), len(rs)
	for i, r := range rs {
		if isBoundary(r) {
			start = i
			break
		}
	}
	if start == len(rs) {
		// no active character at all: JSONata treats the whole picture as
		// the active part, so it fails validation as passive (D3086).
		p.active = rs
	} else {
		end = start
		for i := len(rs) - 1; i >= start; i-- {
			if isBoundary(rs[i]) {
				end = i + 1
				break
			}
		}
		p.prefix, p.suffix = string(rs[:start]), string(rs[end:])
		p.active = rs[start:end]
	}
	p.mantissa = p.active
	// The exponent separator may sit right after the last active character
	// (as in "0e"), in which case the exponent is empty: D3093.
	if len(exp) > 0 && start < len(rs) {
		if i := indexRunes(rs[start:], exp); i >= 0 && start+i <= end {
			p.hasExponent = true
			p.mantissa = rs[start : start+i]
			if from := start + i + len(exp); from < end {
				p.exponent = rs[from:end]
			}
		}
	}
	dec := []rune(d.decimal)
	if i := indexRunes(p.mantissa, dec); len(dec) > 0 && i >= 0 {
		p.integer, p.fraction = p.mantissa[:i], p.mantissa[i+len(dec):]
	} else {
		p.integer = p.mantissa
	}
	return p
}

func indexRunes(hay, needle []rune) int {
	if len(needle) == 0 {
		return -1
	}
	for i := 0; i+len(needle) <= len(hay); i++ {
		if string(hay[i:i+len(needle)]) == string(needle) {
			return i
		}
	}
	return -1
}

// once reports whether sub occurs in s at most once.
func once(s, sub string) bool {
	return sub == "" || strings.Index(s, sub) == strings.LastIndex(s, sub)
}

// validate applies the rules of F&O 4.7.3. Like JSONata, when several rules
// are broken the last one checked is reported.
func (d *decimalFormat) validate(p *subPicture) error {
	var code, msg string
	fail := func(c, m string) { code, msg = c, m }
	t := p.text
	if !once(t, d.decimal) {
		fail("D3081", "a picture may contain at most one decimal separator")
	}
	if !once(t, d.percent) {
		fail("D3082", "a picture may contain at most one percent sign")
	}
	if !once(t, d.perMille) {
		fail("D3083", "a picture may contain at most one per-mille sign")
	}
	hasPercent := d.percent != "" && strings.Contains(t, d.percent)
	hasPerMille := d.perMille != "" && strings.Contains(t, d.perMille)
	if hasPercent && hasPerMille {
		fail("D3084", "a picture cannot contain both a percent and a per-mille sign")
	}
	digitSeen := false
	for _, r := range p.mantissa {
		if d.isDigit(r) || string(r) == d.digit {
			digitSeen = true
			break
		}
	}
	if !digitSeen {
		fail("D3085", "the mantissa of a picture must contain at least one digit sign")
	}
	for _, r := range p.active {
		if !d.isActive(r) {
			fail("D3086", "a picture cannot have passive characters between its active characters")
			break
		}
	}
	g := d.grouping
	if i := strings.Index(t, d.decimal); d.decimal != "" && i >= 0 {
		if g != "" && (strings.HasSuffix(t[:i], g) || strings.HasPrefix(t[i+len(d.decimal):], g)) {
			fail("D3087", "a grouping separator cannot be next to the decimal separator")
		}
	} else if g != "" && strings.HasSuffix(string(p.integer), g) {
		fail("D3088", "the integer part of a picture cannot end with a grouping separator")
	}
	if g != "" && strings.Contains(t, g+g) {
		fail("D3089", "a picture cannot have two adjacent grouping separators")
	}
	if i := indexRunes(p.integer, []rune(d.digit)); i >= 0 {
		for _, r := range p.integer[:i] {
			if d.isDigit(r) {
				fail("D3090", "in the integer part, an optional digit sign cannot follow a mandatory digit")
				break
			}
		}
	}
	if i := lastIndexRunes(p.fraction, []rune(d.digit)); i >= 0 {
		for _, r := range p.fraction[i:] {
			if d.isDigit(r) {
				fail("D3091", "in the fractional part, a mandatory digit cannot follow an optional digit sign")
				break
			}
		}
	}
	if p.hasExponent && len(p.exponent) > 0 && (hasPercent || hasPerMille) {
		fail("D3092", "a picture with an exponent cannot contain a percent or per-mille sign")
	}
	if p.hasExponent {
		bad := len(p.exponent) == 0
		for _, r := range p.exponent {
			if !d.isDigit(r) {
				bad = true
			}
		}
		if bad {
			fail("D3093", "the exponent of a picture must be one or more mandatory digits")
		}
	}
	if code != "" {
		return errorf(code, "%s (picture %q)", msg, t)
	}
	return nil
}

func lastIndexRunes(hay, needle []rune) int {
	if len(needle) == 0 {
		return -1
	}
	for i := len(hay) - len(needle); i >= 0; i-- {
		if string(hay[i:i+len(needle)]) == string(needle) {
			return i
		}
	}
	return -1
}

// analyse works out the sizes and grouping positions (F&O 4.7.4).
func (d *decimalFormat) analyse(p *subPicture) {
	g := []rune(d.grouping)
	isSign := func(r rune) bool { return d.isDigit(r) || string(r) == d.digit }
	if len(g) > 0 {
		for i := 0; i+len(g) <= len(p.integer); i++ {
			if string(p.integer[i:i+len(g)]) != d.grouping {
				continue
			}
			n := 0
			for _, r := range p.integer[i:] {
				if isSign(r) {
					n++
				}
			}
			p.intGroups = append(p.intGroups, n)
		}
		for i := 0; i+len(g) <= len(p.fraction); i++ {
			if string(p.fraction[i:i+len(g)]) != d.grouping {
				continue
			}
			n := 0
			for _, r := range p.fraction[:i] {
				if isSign(r) {
					n++
				}
			}
			p.fracGroups = append(p.fracGroups, n)
		}
	}
	seps := make([]separator, len(p.intGroups))
	for i, pos := range p.intGroups {
		seps[i] = separator{pos: pos}
	}
	p.regular = regularPeriod(seps)
	for _, r := range p.integer {
		if d.isDigit(r) {
			p.minInt++
		}
	}
	p.scaling = p.minInt
	for _, r := range p.fraction {
		if d.isDigit(r) {
			p.minFrac++
			p.maxFrac++
		} else if string(r) == d.digit {
			p.maxFrac++
		}
	}
	if p.minInt == 0 && p.maxFrac == 0 {
		if p.hasExponent {
			p.minFrac, p.maxFrac = 1, 1
		} else {
			p.minInt = 1
		}
	}
	if p.hasExponent && p.minInt == 0 && indexRunes(p.integer, []rune(d.digit)) >= 0 {
		p.minInt = 1
	}
	if p.minInt == 0 && p.minFrac == 0 {
		p.minFrac = 1
	}
	if p.hasExponent {
		for _, r := range p.exponent {
			if d.isDigit(r) {
				p.minExpon++
			}
		}
	}
}

// FormatNumber implements $formatNumber(number, picture [, options]) —
// options keys as JSONata: decimal-separator, grouping-separator,
// exponent-separator, infinity, minus-sign, NaN, percent, per-mille,
// zero-digit, digit, pattern-separator. It follows XPath F&O 3.1
// fn:format-number, with JSONata's choices where the two differ.
func FormatNumber(value float64, picture string, options map[string]string) (string, error) {
	d := newDecimalFormat(options)
	var texts []string
	if d.patternSep == "" {
		texts = []string{picture}
	} else {
		texts = strings.Split(picture, d.patternSep)
	}
	if len(texts) > 2 {
		return "", errorf("D3080", "a picture may contain at most one pattern separator (picture %q)", picture)
	}
	pics := make([]*subPicture, len(texts))
	for i, t := range texts {
		pics[i] = d.split(t)
		if err := d.validate(pics[i]); err != nil {
			return "", err
		}
		d.analyse(pics[i])
	}
	if math.IsNaN(value) {
		return d.nan, nil
	}
	pic := pics[0]
	prefix := pic.prefix
	if value < 0 {
		if len(pics) == 2 {
			pic = pics[1]
			prefix = pic.prefix
		} else {
			prefix = d.minus + pic.prefix
		}
	}
	adjusted := value
	if d.percent != "" && strings.Contains(pic.text, d.percent) {
		adjusted *= 100
	} else if d.perMille != "" && strings.Contains(pic.text, d.perMille) {
		adjusted *= 1000
	}
	if math.IsInf(adjusted, 0) {
		return prefix + d.infinity + pic.suffix, nil
	}
	mantissa, exponent := adjusted, 0
	if pic.minExpon > 0 && mantissa != 0 {
		maxM := math.Pow(10, float64(pic.scaling))
		minM := math.Pow(10, float64(pic.scaling-1))
		for math.Abs(mantissa) < minM {
			mantissa *= 10
			exponent--
		}
		for math.Abs(mantissa) > maxM {
			mantissa /= 10
			exponent++
		}
	}
	rounded := roundHalfEven(mantissa, pic.maxFrac)
	if math.IsInf(rounded, 0) {
		// only reachable with pictures of hundreds of digits
		return prefix + d.infinity + pic.suffix, nil
	}
	// The shortest decimal form, so that 1e22 is 1 and 22 zeros rather
	// than the digits of the nearest binary value.
	str := strconv.FormatFloat(math.Abs(rounded), 'f', -1, 64)
	intStr, fracStr, _ := strings.Cut(str, ".")
	if len(fracStr) > pic.maxFrac {
		str = strconv.FormatFloat(math.Abs(rounded), 'f', pic.maxFrac, 64)
		intStr, fracStr, _ = strings.Cut(str, ".")
	}
	intStr = strings.TrimLeft(intStr, "0")
	fracStr = strings.TrimRight(fracStr, "0")
	if pad := pic.minInt - len(intStr); pad > 0 {
		intStr = strings.Repeat("0", pad) + intStr
	}
	if pad := pic.minFrac - len(fracStr); pad > 0 {
		fracStr += strings.Repeat("0", pad)
	}
	var b strings.Builder
	b.WriteString(prefix)
	writeGrouped(&b, d.mapDigits(intStr), pic.regular, pic.intGroups, d.grouping)
	if fracStr != "" && strings.Contains(pic.text, d.decimal) && d.decimal != "" {
		b.WriteString(d.decimal)
		writeFraction(&b, d.mapDigits(fracStr), pic.fracGroups, d.grouping)
	}
	if pic.minExpon > 0 {
		e := strconv.Itoa(exponent)
		e = strings.TrimPrefix(e, "-")
		if pad := pic.minExpon - len(e); pad > 0 {
			e = strings.Repeat("0", pad) + e
		}
		b.WriteString(d.exponent)
		if exponent < 0 {
			b.WriteString(d.minus)
		}
		b.WriteString(string(d.mapDigits(e)))
	}
	b.WriteString(pic.suffix)
	return b.String(), nil
}

func (d *decimalFormat) mapDigits(ascii string) []rune {
	out := make([]rune, 0, len(ascii))
	for _, c := range ascii {
		out = append(out, d.family[c-'0'])
	}
	return out
}

// writeGrouped writes integer digits with separators: every regular digits
// when regular > 0, else at each listed place (digits to the right).
func writeGrouped(b *strings.Builder, digits []rune, regular int, places []int, sep string) {
	at := map[int]bool{}
	if regular == 0 {
		for _, p := range places {
			at[p] = true
		}
	}
	n := len(digits)
	for i, r := range digits {
		left := n - i // digits from here to the right-hand end
		if i > 0 && ((regular > 0 && left%regular == 0) || at[left]) {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
}

// writeFraction writes fractional digits with separators after the listed
// number of digits.
func writeFraction(b *strings.Builder, digits []rune, places []int, sep string) {
	at := map[int]bool{}
	for _, p := range places {
		at[p] = true
	}
	for i, r := range digits {
		if i > 0 && at[i] {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
}

// roundHalfEven rounds x to places decimal places, ties to even, working
// on x's shortest decimal form so that 34.555 rounds as the decimal it is
// written as (to 34.56), not as the binary value just below it.
func roundHalfEven(x float64, places int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
		return x
	}
	// Nothing to do when x has no more than places fractional digits; this
	// also keeps x×10^places from overflowing for long pictures.
	if fractionDigits(x) <= places {
		return x
	}
	shifted := shiftDecimal(x, places)
	r := math.RoundToEven(shifted)
	if places != 0 {
		r = shiftDecimal(r, -places)
	}
	if r == 0 {
		r = 0 // no negative zero
	}
	return r
}

// fractionDigits returns how many digits follow the decimal point in the
// shortest decimal form of x.
func fractionDigits(x float64) int {
	s := strconv.FormatFloat(x, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	digits := len(strings.TrimPrefix(strings.Replace(mant, ".", "", 1), "-"))
	return max(0, digits-1-e)
}

// shiftDecimal returns x×10^n computed on the decimal text of x.
func shiftDecimal(x float64, n int) float64 {
	if n == 0 || x == 0 {
		return x
	}
	s := strconv.FormatFloat(x, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	// ParseFloat reports overflow and underflow as ±Inf and 0, which is
	// the right value here.
	v, _ := strconv.ParseFloat(mant+"e"+strconv.Itoa(e+n), 64)
	return v
}

// FormatBase implements $formatBase(number, radix): radix 2..36 (D3100
// otherwise), number rounded half-to-even first. Lower-case letters are
// used for digits above 9 and a negative number starts with '-'. JSONata
// also rounds a fractional radix half-to-even ($formatBase(99.5, 2.5) is
// "1100100"); the caller does that before converting it to int.
func FormatBase(value float64, radix int) (string, error) {
	if radix < 2 || radix > 36 {
		return "", errorf("D3100", "the radix of $formatBase must be between 2 and 36, not %d", radix)
	}
	if math.IsNaN(value) {
		return "NaN", nil
	}
	if math.IsInf(value, 1) {
		return "Infinity", nil
	}
	if math.IsInf(value, -1) {
		return "-Infinity", nil
	}
	v := math.RoundToEven(value)
	if v == 0 {
		return "0", nil
	}
	n, _ := new(big.Float).SetFloat64(v).Int(nil)
	return n.Text(radix), nil
}
