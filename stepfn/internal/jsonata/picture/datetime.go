package picture

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// dtPart is one piece of an analysed date/time picture: literal text or a
// variable marker such as [D01] or [MNn,3-3].
type dtPart struct {
	literal    string
	isLiteral  bool
	comp       rune
	pres1      string
	pres2      byte // 'a', 't', 'c', 'o' or 0
	named      bool // N, n or Nn presentation
	names      letterCase
	minW, maxW int // width modifier; -1 when absent or '*'
	intf       *intFormat
	yearDigits int  // [Y]: keep only this many low digits; -1 keeps all
	badName    bool // a name presentation on a component that has no names
}

// defaultPresentation is the presentation modifier a bare component gets.
var defaultPresentation = map[rune]string{
	'Y': "1", 'M': "1", 'D': "1", 'd': "1", 'F': "n", 'W': "1", 'w': "1", 'X': "1", 'x': "1",
	'H': "1", 'h': "1", 'P': "n", 'm': "01", 's': "01", 'f': "1", 'Z': "01:01", 'z': "01:01",
	'C': "n", 'E': "n",
}

// maxWidth bounds width modifiers so that a picture cannot ask for
// gigabytes of padding.
const maxWidth = 1000

const integerComponents = "YMDdFWwXxHhmsf"

var (
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	dayNames = []string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
)

// isoPicture is what $fromMillis uses when no picture is given.
const isoPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"

// isoParts is isoPicture analysed once; formatting never changes it.
var isoParts = func() []*dtPart {
	parts, err := analyseDateTime(isoPicture)
	if err != nil {
		panic("picture: the built-in ISO 8601 picture does not analyse: " + err.Error())
	}
	return parts
}()

// analyseDateTime splits a picture into literals and variable markers.
// "[[" and "]]" stand for literal brackets; whitespace inside a marker is
// ignored.
func analyseDateTime(pic string) ([]*dtPart, error) {
	var parts []*dtPart
	addLiteral := func(s string) {
		if s != "" {
			parts = append(parts, &dtPart{isLiteral: true, literal: strings.ReplaceAll(s, "]]", "]")})
		}
	}
	start, pos := 0, 0
	for pos < len(pic) {
		if pic[pos] != '[' {
			pos++
			continue
		}
		if pos+1 < len(pic) && pic[pos+1] == '[' {
			addLiteral(pic[start:pos])
			parts = append(parts, &dtPart{isLiteral: true, literal: "["})
			pos += 2
			start = pos
			continue
		}
		addLiteral(pic[start:pos])
		end := strings.IndexByte(pic[pos:], ']')
		if end < 0 {
			return nil, errorf("D3135", "the variable marker at offset %d of the date/time picture has no closing ']'", pos)
		}
		end += pos
		p, err := analyseMarker(strings.Join(strings.FieldsFunc(pic[pos+1:end], unicode.IsSpace), ""))
		if err != nil {
			return nil, err
		}
		// Two numbers with nothing between them can only be told apart if
		// the first has a fixed width.
		if p.intf != nil && strings.ContainsRune(integerComponents, p.comp) && len(parts) > 0 {
			if prev := parts[len(parts)-1]; prev.intf != nil {
				prev.intf.parseWidth = prev.intf.mandatory
			}
		}
		parts = append(parts, p)
		pos = end + 1
		start = pos
	}
	addLiteral(pic[start:])
	for _, p := range parts {
		if p.badName {
			return nil, errorf("D3133", "the name modifier only applies to months and days, not to component %q", string(p.comp))
		}
	}
	return parts, nil
}

// parseWidthValue reads one side of a width modifier: digits, or '*' (or
// nothing) for "no limit", which is -1.
func parseWidthValue(s string) int {
	n := 0
	digits := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			break
		}
		digits++
		if n < maxWidth {
			n = n*10 + int(c-'0')
		}
	}
	if digits == 0 {
		return -1
	}
	return min(n, maxWidth)
}

// analyseMarker reads the inside of one variable marker (whitespace
// already removed): component, presentation modifiers, width modifier.
func analyseMarker(m string) (*dtPart, error) {
	p := &dtPart{minW: -1, maxW: -1, yearDigits: -1}
	c, size := utf8.DecodeRuneInString(m)
	def, known := defaultPresentation[c]
	if m == "" || !known {
		return nil, errorf("D3132", "unknown component specifier %q in the date/time picture", string(c))
	}
	p.comp = c
	pres := m[size:]
	if comma := strings.LastIndexByte(m, ','); comma >= size {
		width := m[comma+1:]
		pres = m[size:comma]
		lo, hi, dash := strings.Cut(width, "-")
		p.minW = parseWidthValue(lo)
		if dash {
			p.maxW = parseWidthValue(hi)
		}
	}
	switch n := utf8.RuneCountInString(pres); {
	case n == 0:
		p.pres1 = def
	case n > 1 && strings.IndexByte("atco", pres[len(pres)-1]) >= 0:
		p.pres2 = pres[len(pres)-1]
		p.pres1 = pres[:len(pres)-1]
	default:
		p.pres1 = pres
	}
	switch {
	case p.pres1[0] == 'n':
		p.named, p.names = true, caseLower
	case p.pres1[0] == 'N':
		p.named, p.names = true, caseUpper
		if len(p.pres1) > 1 && p.pres1[1] == 'n' {
			p.names = caseTitle
		}
	}
	if p.named && !strings.ContainsRune("MxFPCE", c) {
		// reported once the whole picture has been read, as JSONata does
		p.badName = true
		return p, nil
	}
	switch {
	case !p.named && strings.ContainsRune(integerComponents, c):
		ip := p.pres1
		if p.pres2 != 0 {
			ip += ";" + string(p.pres2)
		}
		f, err := analyseInteger(ip)
		if err != nil {
			return nil, err
		}
		p.intf = f
		if p.minW > f.mandatory {
			f.mandatory = p.minW
		}
		if c == 'Y' {
			if p.maxW >= 0 {
				p.yearDigits = p.maxW
				f.mandatory = p.maxW
			} else if w := f.mandatory + f.optional; w >= 2 {
				p.yearDigits = w
			}
		}
	case c == 'Z' || c == 'z':
		f, err := analyseInteger(p.pres1)
		if err != nil {
			return nil, err
		}
		p.intf = f
	}
	return p, nil
}

// dayNumber returns the days since 1970-01-01 of a proleptic Gregorian date.
func dayNumber(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := int64((153*mp+2)/5 + d - 1)
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// isoWeekday returns 1 (Monday) to 7 (Sunday) for a day number.
func isoWeekday(days int64) int {
	return int(((days%7)+7+3)%7) + 1
}

// firstWeekStart returns the day number of the Monday starting week 1 of
// the given month: the week that holds the month's first Thursday.
func firstWeekStart(y int64, m int) int64 {
	first := dayNumber(y, m, 1)
	dow := isoWeekday(first)
	if dow > 4 {
		return first + int64(8-dow)
	}
	return first - int64(dow-1)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func nextMonth(y int64, m int) (int64, int) {
	if m == 12 {
		return y + 1, 1
	}
	return y, m + 1
}

func prevMonth(y int64, m int) (int64, int) {
	if m == 1 {
		return y - 1, 12
	}
	return y, m - 1
}

// component returns the integer value of an integer-valued component.
func component(t time.Time, c rune) int64 {
	y, mo, d := t.Date()
	year, month := int64(y), int(mo)
	today := dayNumber(year, month, d)
	switch c {
	case 'Y':
		return year
	case 'M':
		return int64(month)
	case 'D':
		return int64(d)
	case 'd':
		return int64(t.YearDay())
	case 'F':
		return int64(isoWeekday(today))
	case 'W':
		week := floorDiv(today-firstWeekStart(year, 1), 7) + 1
		if week > 52 && today >= firstWeekStart(year+1, 1) {
			week = 1
		} else if week < 1 {
			week = floorDiv(today-firstWeekStart(year-1, 1), 7) + 1
		}
		return week
	case 'w':
		week := floorDiv(today-firstWeekStart(year, month), 7) + 1
		if week > 4 {
			if ny, nm := nextMonth(year, month); today >= firstWeekStart(ny, nm) {
				week = 1
			}
		} else if week < 1 {
			py, pm := prevMonth(year, month)
			week = floorDiv(today-firstWeekStart(py, pm), 7) + 1
		}
		return week
	case 'X':
		switch {
		case today < firstWeekStart(year, 1):
			return year - 1
		case today >= firstWeekStart(year+1, 1):
			return year + 1
		}
		return year
	case 'x':
		ny, nm := nextMonth(year, month)
		switch {
		case today < firstWeekStart(year, month):
			_, pm := prevMonth(year, month)
			return int64(pm)
		case today >= firstWeekStart(ny, nm):
			return int64(nm)
		}
		return int64(month)
	case 'H':
		return int64(t.Hour())
	case 'h':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return int64(h)
	case 'P':
		if t.Hour() >= 12 {
			return 1
		}
		return 0
	case 'm':
		return int64(t.Minute())
	case 's':
		return int64(t.Second())
	case 'f':
		return int64(t.Nanosecond() / 1e6)
	}
	return 0
}

// parseTimezone reads a $fromMillis timezone such as "+0100", "-0530" or
// "0000" into hours and minutes (both carrying the sign).
func parseTimezone(tz string) (hours, minutes int, err error) {
	if tz == "" {
		return 0, 0, nil
	}
	s := strings.TrimPrefix(strings.TrimPrefix(tz, "+"), "-")
	if s == "" || len(s) > 4 || len(tz)-len(s) > 1 {
		return 0, 0, errorf("T0410", "the timezone %q must be written as ±HHMM", tz)
	}
	v, convErr := strconv.Atoi(s)
	if convErr != nil || strings.ContainsAny(s, "+-") || v%100 > 59 {
		return 0, 0, errorf("T0410", "the timezone %q must be written as ±HHMM", tz)
	}
	if strings.HasPrefix(tz, "-") {
		v = -v
	}
	return v / 100, v % 100, nil
}

// FormatDateTime implements $fromMillis(millis, picture, timezone):
// picture "" means ISO 8601 "2006-01-02T15:04:05.000Z" in UTC; timezone
// like "+0100" or "-0530" ("" = UTC).
//
// Differences from JSONata's reference implementation: a negative offset
// with minutes ("-0530") is five and a half hours, not six and a half; a
// timezone that is not ±HHMM is an error (T0410); [PN] gives "AM"/"PM".
func FormatDateTime(millis int64, picture, timezone string) (string, error) {
	hours, minutes, err := parseTimezone(timezone)
	if err != nil {
		return "", err
	}
	parts := isoParts
	if picture != "" {
		if parts, err = analyseDateTime(picture); err != nil {
			return "", err
		}
	}
	t := time.UnixMilli(millis).UTC().Add(time.Duration(hours*60+minutes) * time.Minute)
	var b strings.Builder
	for _, p := range parts {
		if p.isLiteral {
			b.WriteString(p.literal)
			continue
		}
		s, err := formatMarker(t, p, hours, minutes)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func applyCase(s string, c letterCase) string {
	switch c {
	case caseUpper:
		return strings.ToUpper(s)
	case caseLower:
		return strings.ToLower(s)
	}
	return s
}

func formatMarker(t time.Time, p *dtPart, hours, minutes int) (string, error) {
	switch p.comp {
	case 'C', 'E':
		return "ISO", nil
	case 'Z', 'z':
		return formatZone(p, hours, minutes)
	}
	v := component(t, p.comp)
	if p.named {
		var name string
		switch p.comp {
		case 'M', 'x':
			name = monthNames[v-1]
		case 'F':
			name = dayNames[v]
		case 'P':
			name = "am"
			if v == 1 {
				name = "pm"
			}
			if p.names == caseTitle {
				name = strings.ToUpper(name[:1]) + name[1:]
			}
		}
		name = applyCase(name, p.names)
		if p.maxW >= 0 && len(name) > p.maxW {
			name = name[:p.maxW]
		}
		return name, nil
	}
	if p.comp == 'P' {
		// a numeric presentation makes no sense for am/pm; write the name
		if v == 1 {
			return "pm", nil
		}
		return "am", nil
	}
	if p.comp == 'Y' && p.yearDigits >= 0 {
		mod := int64(1)
		for i := 0; i < p.yearDigits && mod < 1e17; i++ {
			mod *= 10
		}
		v %= mod
	}
	return p.intf.format(float64(v))
}

// formatZone writes the timezone offset as [Z] or [z] asks.
func formatZone(p *dtPart, hours, minutes int) (string, error) {
	f := p.intf
	offset := hours*100 + minutes
	absOff := offset
	if absOff < 0 {
		absOff = -absOff
	}
	var body string
	var err error
	switch {
	case f.kind != kindDecimal:
		return "", errorf("D3134", "the timezone picture %q is not a decimal digit pattern", p.pres1)
	case f.regular > 0:
		body, err = f.format(float64(absOff))
	case f.mandatory == 1 || f.mandatory == 2:
		body, err = f.format(float64(absOff / 100))
		if err == nil && minutes != 0 {
			body += ":" + twoDigits(absOff%100)
		}
	case f.mandatory == 3 || f.mandatory == 4:
		body, err = f.format(float64(absOff))
	default:
		return "", errorf("D3134", "the timezone picture %q has %d digits; it may have at most four", p.pres1, f.mandatory)
	}
	if err != nil {
		return "", err
	}
	sign := "+"
	if offset < 0 {
		sign = "-"
	}
	s := sign + body
	if p.comp == 'z' {
		s = "GMT" + s
	}
	if offset == 0 && p.pres2 == 't' {
		s = "Z"
	}
	return s, nil
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// ParseDateTime implements $toMillis(timestamp, picture): picture ""
// means ISO 8601 (as JSONata's default parsing: accepts the forms it
// accepts); ok=false when JSONata would return undefined. Components the
// picture leaves out before the first one it gives are taken from the
// current time; see ParseDateTimeAt.
func ParseDateTime(s, picture string) (millis int64, ok bool, err error) {
	return ParseDateTimeAt(s, picture, time.Now())
}

// ParseDateTimeAt is ParseDateTime with "now" given, for components that
// come before the first one the picture has (e.g. the date of "[H]:[m]").
// JSONata takes now from the evaluation's fixed timestamp.
//
// Components after the last one given default to their lowest value
// (midnight, the first of the month). A gap in between (a year and a day
// but no month) is D3136, as are the week-date forms ([X]-[W]-[F],
// [Y]-[x]-[w]-[F]) that JSONata cannot parse either. A timestamp that
// does not match the picture, or names an unknown month or day, is
// ok=false.
func ParseDateTimeAt(s, picture string, now time.Time) (millis int64, ok bool, err error) {
	if picture == "" {
		return parseISO(s)
	}
	parts, err := analyseDateTime(picture)
	if err != nil {
		return 0, false, err
	}
	var re strings.Builder
	re.WriteString(`(?i)^`)
	for _, p := range parts {
		pat, err := partPattern(p)
		if err != nil {
			return 0, false, err
		}
		re.WriteString("(" + pat + ")")
	}
	re.WriteString("$")
	rx, compErr := regexp.Compile(re.String())
	if compErr != nil {
		return 0, false, errorf("D3136", "cannot build a parser for the date/time picture %q", picture)
	}
	m := rx.FindStringSubmatch(s)
	if m == nil {
		return 0, false, nil
	}
	vals := map[rune]float64{}
	for i, p := range parts {
		if p.isLiteral || p.comp == 'C' || p.comp == 'E' {
			continue
		}
		v, good := parsePart(p, m[i+1])
		if !good {
			return 0, false, nil
		}
		vals[p.comp] = v
	}
	if len(vals) == 0 {
		return 0, false, nil
	}
	return assemble(vals, now)
}

// partPattern returns the regular expression for one picture part.
func partPattern(p *dtPart) (string, error) {
	switch {
	case p.isLiteral:
		return regexp.QuoteMeta(p.literal), nil
	case p.comp == 'C' || p.comp == 'E':
		return `ISO`, nil
	case p.comp == 'Z' || p.comp == 'z':
		pat := `[-+][0-9]+`
		f := p.intf
		switch {
		case f.kind != kindDecimal:
			return "", errorf("D3134", "the timezone picture %q is not a decimal digit pattern", p.pres1)
		case f.regular > 0:
			pat += regexp.QuoteMeta(string(f.regularCh)) + `[0-9]+`
		case f.mandatory > 4:
			return "", errorf("D3134", "the timezone picture %q has %d digits; it may have at most four", p.pres1, f.mandatory)
		case f.mandatory <= 2:
			pat += `(?::[0-9]{2})?`
		}
		if p.comp == 'z' {
			pat = `GMT` + pat
		}
		if p.pres2 == 't' {
			pat = `Z|` + pat
		}
		return pat, nil
	case p.named:
		return `[a-zA-Z]+`, nil
	case p.comp == 'P':
		return `[ap]m`, nil
	}
	return p.intf.pattern()
}

// parsePart converts matched text to a component value.
func parsePart(p *dtPart, text string) (float64, bool) {
	switch {
	case p.comp == 'Z' || p.comp == 'z':
		return parseZone(p, text), true
	case p.named || p.comp == 'P':
		var names []string
		switch p.comp {
		case 'M', 'x':
			names = monthNames
		case 'F':
			names = dayNames
		default:
			names = []string{"am", "pm"}
		}
		for i, n := range names {
			if n == "" {
				continue
			}
			if p.maxW >= 0 && len(n) > p.maxW {
				n = n[:p.maxW]
			}
			if strings.EqualFold(n, text) {
				if p.comp == 'M' || p.comp == 'x' {
					return float64(i + 1), true
				}
				return float64(i), true
			}
		}
		return 0, false
	}
	v := p.intf.parse(text)
	return v, !math.IsNaN(v)
}

// parseZone reads an offset written by formatZone, in minutes.
func parseZone(p *dtPart, text string) float64 {
	if strings.EqualFold(text, "Z") {
		return 0
	}
	if p.comp == 'z' {
		text = text[3:]
	}
	sign := 1.0
	if text[0] == '-' {
		sign = -1
	}
	text = text[1:]
	var h, m float64
	if hs, ms, found := strings.Cut(text, ":"); found && p.intf.regular == 0 {
		h, _ = strconv.ParseFloat(hs, 64)
		m, _ = strconv.ParseFloat(ms, 64)
	} else if p.intf.regular > 0 {
		digits := strings.ReplaceAll(text, string(p.intf.regularCh), "")
		v, _ := strconv.ParseFloat(digits, 64)
		h, m = math.Floor(v/100), math.Mod(v, 100)
	} else if len(text) <= 2 {
		h, _ = strconv.ParseFloat(text, 64)
	} else {
		h, _ = strconv.ParseFloat(text[:len(text)-2], 64)
		m, _ = strconv.ParseFloat(text[len(text)-2:], 64)
	}
	return sign * (h*60 + m)
}

// maxMillis is the largest distance from the epoch a JavaScript Date can
// hold; JSONata cannot produce timestamps beyond it.
const maxMillis = 8.64e15

// assemble checks which components were given, fills in the rest and
// computes milliseconds since the epoch.
func assemble(vals map[rune]float64, now time.Time) (int64, bool, error) {
	has := func(c rune) bool { _, ok := vals[c]; return ok }
	isType := func(allowed, group string) bool {
		found := false
		for _, c := range group {
			if has(c) {
				if !strings.ContainsRune(allowed, c) {
					return false
				}
				found = true
			}
		}
		return found
	}
	const dateGroup, timeGroup = "YXMxWwdD", "PHhmsf"
	dateA := isType("YMD", dateGroup)
	dateB := !dateA && isType("Yd", dateGroup)
	// Week-based dates: by month ({Y or X, x, w}) or by year ({X, W}).
	dateC := !dateA && !dateB && isType("YXxw", dateGroup)
	dateD := !dateA && !dateB && !dateC && isType("XW", dateGroup)
	timeA := isType("Hmsf", timeGroup)
	timeB := !timeA && isType("Phmsf", timeGroup)

	comps := "YMD"
	switch {
	case dateB:
		comps = "Yd"
	case dateC:
		comps = "XxwF"
	case dateD:
		comps = "XWF"
	}
	if timeB {
		comps += "Phmsf"
	} else {
		comps += "Hmsf"
	}
	now = now.UTC()
	started, ended := false, false
	for _, c := range comps {
		if has(c) {
			started = true
			if ended {
				return 0, false, errorf("D3136", "the date/time picture leaves a gap before component %q, so the timestamp cannot be worked out", string(c))
			}
			continue
		}
		switch {
		case started:
			vals[c] = 0
			if c == 'M' || c == 'D' || c == 'd' {
				vals[c] = 1
			}
			ended = true
		case c == 'P':
			vals[c] = 0 // as JSONata: a missing am/pm means am
		default:
			vals[c] = float64(component(now, c))
		}
	}
	if dateC || dateD {
		return 0, false, errorf("D3136", "parsing week-based dates ([X], [x], [W], [w]) is not supported")
	}
	y := vals['Y']
	if math.Abs(y) > 1e6 || vals['M'] > 1e7 || vals['d'] > maxMillis || vals['D'] > maxMillis {
		return 0, false, nil
	}
	var days float64
	if dateB {
		days = float64(dayNumber(int64(y), 1, 1)) + vals['d'] - 1
	} else {
		month := int64(vals['M'])
		if month < 1 {
			month = 1
		}
		yy := int64(y) + (month-1)/12
		mm := int((month-1)%12) + 1
		days = float64(dayNumber(yy, mm, 1)) + vals['D'] - 1
	}
	hour := vals['H']
	if timeB {
		hour = vals['h']
		if hour == 12 {
			hour = 0
		}
		if vals['P'] == 1 {
			hour += 12
		}
	}
	ms := days*86400000 + hour*3600000 + vals['m']*60000 + vals['s']*1000 + vals['f']
	if z, ok := vals['Z']; ok {
		ms -= z * 60000
	} else if z, ok := vals['z']; ok {
		ms -= z * 60000
	}
	if math.IsNaN(ms) || math.Abs(ms) > maxMillis {
		return 0, false, nil
	}
	return int64(ms), true, nil
}

// isoShape is the check JSONata applies before reading a timestamp with
// no picture; anything else is D3110.
var isoShape = regexp.MustCompile(`^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$`)

// isoForm is the subset of isoShape that is an actual ISO 8601 date or
// date-time (what a JavaScript Date can read).
var isoForm = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?)?)?)?$`)

// parseISO reads an ISO 8601 timestamp: YYYY, YYYY-MM, YYYY-MM-DD, or
// YYYY-MM-DDThh:mm:ss with optional fraction and offset (Z, ±hh:mm or
// ±hhmm). A date-time without an offset is read as UTC (JavaScript would
// use the host's local time). Text of the right shape that is not a real
// date (2018-02-30) gives ok=false.
func parseISO(s string) (int64, bool, error) {
	if !isoShape.MatchString(s) {
		return 0, false, errorf("D3110", "%q is not an ISO 8601 timestamp", s)
	}
	m := isoForm.FindStringSubmatch(s)
	if m == nil {
		return 0, false, nil
	}
	num := func(i, def int) int {
		if m[i] == "" {
			return def
		}
		v, _ := strconv.Atoi(m[i])
		return v
	}
	y, mo, d := num(1, 0), num(2, 1), num(3, 1)
	h, mi, sec := num(4, 0), num(5, 0), num(6, 0)
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || mi > 59 || sec > 59 || h > 24 {
		return 0, false, nil
	}
	ms := 0
	if frac := m[7]; frac != "" {
		ms, _ = strconv.Atoi((frac + "00")[:3])
	}
	if h == 24 && (mi != 0 || sec != 0 || ms != 0) {
		return 0, false, nil
	}
	total := dayNumber(int64(y), mo, d)*86400000 + int64(h)*3600000 + int64(mi)*60000 + int64(sec)*1000 + int64(ms)
	if z := m[8]; z != "" && z != "Z" {
		zh, _ := strconv.Atoi(z[1:3])
		zm, _ := strconv.Atoi(strings.TrimPrefix(z[3:], ":"))
		if zh > 23 || zm > 59 {
			return 0, false, nil
		}
		off := int64(zh*60+zm) * 60000
		if z[0] == '-' {
			off = -off
		}
		total -= off
	}
	return total, true, nil
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
