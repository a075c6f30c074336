package picture

import (
	"math/rand"
	"testing"
	"time"
)

func TestFormatDateTime(t *testing.T) {
	const ts = 1521801216617 // 2018-03-23T10:33:36.617Z, a Friday
	tests := []struct {
		millis  int64
		picture string
		tz      string
		want    string
	}{
		{ts, "Hello", "", "Hello"},
		{ts, "Year: [Y0001]", "", "Year: 2018"},
		{ts, "Year: <[Y0001]>", "", "Year: <2018>"},
		{ts, "Year: <[Y9,999,*]>", "", "Year: <2,018>"},
		{ts, "[[Year: <[Y0001]>", "", "[Year: <2018>"},
		{ts, "Year]]: <[Y0001]>", "", "Year]: <2018>"},
		{ts, "[[Year]]: [[[Y0001]]]", "", "[Year]: [2018]"},
		{ts, "[D#1]/[M#1]/[Y0001]", "", "23/3/2018"},
		{1522616700000, "[F0] [FNn]", "", "7 Sunday"},
		{1522703100000, "[F0] [FNn]", "", "1 Monday"},
		{ts, "[Y0001]-[M01]-[D01]", "", "2018-03-23"},
		{ts, "[M01]/[D01]/[Y0001] at [H01]:[m01]:[s01]", "", "03/23/2018 at 10:33:36"},
		{ts, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]", "", "2018-03-23T10:33:36.617Z"},
		{ts, "[Y]-[ M01]-[D 01]T[H01 ]:[ m   ]:[s].[f0  01][Z01:\n 01t]", "", "2018-03-23T10:33:36.617Z"},
		{ts, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0100", "2018-03-23T11:33:36.617+0100"},
		{1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01]", "", "2018-07-11T12:00:00+00:00"},
		{1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]", "", "2018-07-11T12:00:00Z"},
		{1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "-0500", "2018-07-11T07:00:00-05:00"},
		{1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "-0500", "2018-07-11T07:00:00-5"},
		{1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "+1000", "2018-07-11T22:00:00+10:00"},
		{1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+1000", "2018-07-11T22:00:00+10"},
		{1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+0530", "2018-07-11T17:30:00+5:30"},
		{1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][z]", "-0500", "2018-07-11T07:00:00GMT-05:00"},
		{1531310400000, "[H01]:[m01] [Z]", "-0530", "06:30 -05:30"},
		{1531310400000, "[H01]:[m01] [Z0]", "-0030", "11:30 -0:30"},
		{1204405500000, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530", "2008-03-02T02:35:00.000+0530"},
		{1230757500000, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530", "2009-01-01T02:35:00.000+0530"},
		{ts, "[D#1,2]/[M1,2]/[Y,2]", "", "23/03/18"},
		{ts, "[D#1,2]/[M1,2]/[Y0001,2]", "", "23/03/2018"},
		{ts, "[D#1,2]/[M1,2]/[Y##01,2-2]", "", "23/03/18"},
		{ts, "[D#1,2]/[M1,2]/[Y0001,2-2]", "", "23/03/18"},
		{ts, "[D1] [M01] [YI]", "", "23 03 MMXVIII"},
		{ts, "[Da] [MA] [Yi]", "", "w C mmxviii"},
		{ts, "[D1o] [M01] [Y]", "", "23rd 03 2018"},
		{ts, "[Yw]", "", "two thousand and eighteen"},
		{ts, "[Dwo] [M01] [Y]", "", "twenty-third 03 2018"},
		{ts, "[D1o] [MNn] [Y]", "", "23rd March 2018"},
		{ts, "[D1o] [MN] [Y]", "", "23rd MARCH 2018"},
		{ts, "[FNn], [D1o] [MNn] [Y]", "", "Friday, 23rd March 2018"},
		{ts, "[FNn], the [Dwo] of [MNn] [Y] [E]", "", "Friday, the twenty-third of March 2018 ISO"},
		{ts, "[FNn,3-3], [D1o] [MNn,3-3] [Y] [C]", "", "Fri, 23rd Mar 2018 ISO"},
		{ts, "[FN,*-2] [Mn,*-3]", "", "FR mar"},
		{ts, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", "", "friday, 23/3/2018 10:33:36 am"},
		{1204405500000, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", "", "saturday, 1/3/2008 9:05:00 pm"},
		{1199664000000, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", "", "monday, 7/1/2008 12:00:00 am"},
		{1204405500000, "[h] [PN] [PNn]", "", "9 PM Pm"},
		{1514808000000, "[dwo] day of the year", "", "first day of the year"},
		{1546257600000, "[d] days in [Y0001]", "", "365 days in 2018"},
		{1483185600000, "[d] days in [Y0001]", "", "366 days in 2016"},
		{1514808000000, "Week: [W]", "", "Week: 1"},
		{1515326400000, "Week: [W]", "", "Week: 1"},
		{1545739200000, "Week: [W]", "", "Week: 52"},
		{1388577600000, "Week: [W]", "", "Week: 1"},
		{1419854400000, "Week: [W]", "", "Week: 1"},
		{1419768000000, "Week: [W]", "", "Week: 52"},
		{1419336000000, "Week: [W]", "", "Week: 52"},
		{1420113600000, "Week: [W]", "", "Week: 1"},
		{1420459200000, "Week: [W]", "", "Week: 2"},
		{1451304000000, "Week: [W]", "", "Week: 53"},
		{1451563200000, "Week: [W]", "", "Week: 53"},
		{1451736000000, "Week: [W]", "", "Week: 53"},
		{1359460800000, "Week: [w] of [xNn]", "", "Week: 5 of January"},
		{1359633600000, "Week: [w] of [xNn]", "", "Week: 5 of January"},
		{1359720000000, "Week: [w] of [xNn]", "", "Week: 5 of January"},
		{1514808000000, "Week: [w] of [xNn]", "", "Week: 1 of January"},
		{1483272000000, "Week: [w] of [xNn]", "", "Week: 5 of December"},
		{1533038400000, "Week: [w] of [xNn]", "", "Week: 1 of August"},
		{1419940800000, "Week: [w] of [xNn]", "", "Week: 1 of January"},
		{1540127100000, "", "", "2018-10-21T13:05:00.000Z"},
		{1540127100000, "", "-0500", "2018-10-21T08:05:00.000-05:00"},
		{1540127100000, "", "0000", "2018-10-21T13:05:00.000Z"},
		{0, "", "", "1970-01-01T00:00:00.000Z"},
		{1, "", "", "1970-01-01T00:00:00.001Z"},
		{1509380732935, "", "", "2017-10-30T16:25:32.935Z"},
		{-1, "", "", "1969-12-31T23:59:59.999Z"},
		{-2777932800000, "[Y0001]-[M01]-[D01] [FNn]", "", "1881-12-21 Wednesday"},
		{ts, "[f]|[f01]|[s1]|[m1]|[H]", "", "617|617|36|33|10"},
		{1521763200005, "[f001]", "", "005"},
	}
	for _, tc := range tests {
		got, err := FormatDateTime(tc.millis, tc.picture, tc.tz)
		if err != nil || got != tc.want {
			t.Errorf("FormatDateTime(%d, %q, %q) = %q, %v; want %q", tc.millis, tc.picture, tc.tz, got, err, tc.want)
		}
	}
}

// TestISOWeekDate checks [X]-W[W]-[F] against the ISO 8601 week dates
// around several year ends.
func TestISOWeekDate(t *testing.T) {
	tests := map[string]string{
		"2005-01-01": "2004-W53-6", "2005-01-02": "2004-W53-7", "2005-12-31": "2005-W52-6",
		"2006-01-01": "2005-W52-7", "2006-01-02": "2006-W01-1", "2006-12-31": "2006-W52-7",
		"2007-01-01": "2007-W01-1", "2007-12-30": "2007-W52-7", "2007-12-31": "2008-W01-1",
		"2008-01-01": "2008-W01-2", "2008-12-28": "2008-W52-7", "2008-12-29": "2009-W01-1",
		"2008-12-30": "2009-W01-2", "2008-12-31": "2009-W01-3", "2009-01-01": "2009-W01-4",
		"2009-12-31": "2009-W53-4", "2010-01-01": "2009-W53-5", "2010-01-02": "2009-W53-6",
		"2010-01-03": "2009-W53-7",
	}
	for date, want := range tests {
		ms, ok, err := ParseDateTime(date, "[Y]-[M]-[D]")
		if err != nil || !ok {
			t.Fatalf("ParseDateTime(%q): %v %v", date, ok, err)
		}
		got, err := FormatDateTime(ms, "[X0001]-W[W01]-[F1]", "")
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", date, got, err, want)
		}
		// cross-check with the standard library
		y, w := time.UnixMilli(ms).UTC().ISOWeek()
		if got2, _ := FormatDateTime(ms, "[X0001]-[W01]", ""); got2 != time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")+"-"+twoDigits(w) {
			t.Errorf("%s: [X]-[W] = %q, time.ISOWeek = %d-%d", date, got2, y, w)
		}
	}
}

func TestFormatDateTimeErrors(t *testing.T) {
	tests := []struct {
		picture, tz, code string
	}{
		{"[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z010101t]", "+0530", "D3134"},
		{"[Zw]", "", "D3134"},
		{"[YN]-[M]-[D]", "", "D3133"},
		{"[HNn]", "", "D3133"},
		{"[ZN]", "", "D3133"},
		{"[YN]-[M", "", "D3135"},
		{"[Y", "", "D3135"},
		{"[q]", "", "D3132"},
		{"[]", "", "D3132"},
		{"[ ]", "", "D3132"},
		{"[,2]", "", "D3132"},
		{"[Yα]", "", "D3130"},
		{"[D0١]", "", "D3131"},
		{"[Y]", "+1", "T0410"}, // not an error: one digit is minutes
		{"[Y]", "BST", "T0410"},
		{"[Y]", "+01:00", "T0410"},
		{"[Y]", "+0199", "T0410"},
		{"[Y]", "+-100", "T0410"},
	}
	for _, tc := range tests {
		got, err := FormatDateTime(1521801216617, tc.picture, tc.tz)
		code := errCode(t, err)
		if tc.tz == "+1" {
			if err != nil {
				t.Errorf("timezone +1: %v", err)
			}
			continue
		}
		if code != tc.code {
			t.Errorf("FormatDateTime(%q, %q) = %q, %v; want error %s", tc.picture, tc.tz, got, err, tc.code)
		}
	}
}

func TestParseDateTime(t *testing.T) {
	now := time.Date(2021, 6, 15, 8, 30, 0, 0, time.UTC)
	tests := []struct {
		s, picture string
		want       int64
	}{
		{"2018", "[Y1]", 1514764800000},
		{"2018-03-27", "[Y1]-[M01]-[D01]", 1522108800000},
		{"2018-03-27T14:03:00.123Z", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z", 1522159380123},
		{"27th 3 1976", "[D1o] [M#1] [Y0001]", 196732800000},
		{"21st 12 1881", "[D1o] [M01] [Y0001]", -2777932800000},
		{"2nd 12 2012", "[D1o] [M01] [Y0001]", 1354406400000},
		{"MCMLXXXIV", "[YI]", 441763200000},
		{"27 03 MMXVIII", "[D1] [M01] [YI]", 1522108800000},
		{"27 iii MMXVIII", "[D1] [Mi] [YI]", 1522108800000},
		{"w C mmxviii", "[Da] [MA] [Yi]", 1521763200000},
		{"ae C mmxviii", "[Da] [MA] [Yi]", 1522454400000},
		{"27th April 2008", "[D1o] [MNn] [Y0001]", 1209254400000},
		{"21 August 2017", "[D1] [MNn] [Y0001]", 1503273600000},
		{"2 Feb 2012", "[D1] [MNn,3-3] [Y0001]", 1328140800000},
		{"one thousand, nine hundred and eighty-four", "[Yw]", 441763200000},
		{"nineteen hundred and eighty-four", "[Yw]", 441763200000},
		{"twenty-seven April 2008", "[Dw] [MNn] [Y0001]", 1209254400000},
		{"twenty-seventh April 2008", "[Dw] [MNn] [Y0001]", 1209254400000},
		{"twenty-first August two thousand and seventeen", "[Dw] [MNn] [Yw]", 1503273600000},
		{"TWENTY-SECOND August two thousand and seventeen", "[DW] [MNn] [Yw]", 1503360000000},
		{"Twentieth of August, two thousand and seventeen", "[DW] of [MNn], [Yw]", 1503187200000},
		{"4/4/2018 12:06 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]", 1522800360000},
		{"4/4/2018 06:30 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]", 1522823400000},
		{"4/4/2018 12:06 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", 1522843560000},
		{"4/4/2018 11:30 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", 1522884600000},
		{"2018-094", "[Y0001]-[d001]", 1522800000000},
		{"Wednesday, 14th November 2018", "[FNn], [D1o] [MNn] [Y]", 1542153600000},
		{"Mon, Twelfth November 2018", "[FNn,*-3], [DWwo] [MNn] [Y]", 1541980800000},
		{"2018--180", "[Y]--[d]", 1530230400000},
		{"three hundred and sixty-fifth day of 2018", "[dwo] day of [Y]", 1546214400000},
		{"201802", "[Y0001][M01]", 1517443200000},
		{"201802", "[Y,*-4][M01]", 1517443200000},
		{"20180205", "[Y0001][M01][D01]", 1517788800000},
		{"20240101123849", "[Y0000][M00][D00][H00][m00][s00]", 1704112729000},
		// time only: today's date from now
		{"13:45", "[H]:[m]", 1623764700000},
		// month and day only: this year
		{"5-22", "[M]-[D]", 1621641600000},
		// timezones
		{"2018-07-11T07:00:00-05:00", "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", 1531310400000},
		{"2018-07-11T17:30:00+5:30", "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", 1531310400000},
		{"2018-07-11T07:00:00GMT-05:00", "[Y]-[M01]-[D01]T[H01]:[m]:[s][z]", 1531310400000},
		{"2018-07-11T12:00:00Z", "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]", 1531310400000},
		{"2018-07-11T13:00:00+0100", "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0101]", 1531310400000},
		// names are matched without regard to case
		{"15 MARCH 2020", "[D] [MNn] [Y]", 1584230400000},
		{"2020-01-31 ISO", "[Y]-[M]-[D] [C]", 1580428800000},
		// days and months beyond their range roll over, as in JavaScript
		{"2019-02-29", "[Y]-[M]-[D]", 1551398400000},
		// a two-digit year is that year
		{"18-03-23", "[Y01]-[M01]-[D01]", time.Date(18, 3, 23, 0, 0, 0, 0, time.UTC).UnixMilli()},
	}
	for _, tc := range tests {
		got, ok, err := ParseDateTimeAt(tc.s, tc.picture, now)
		if err != nil || !ok || got != tc.want {
			t.Errorf("ParseDateTimeAt(%q, %q) = %d, %v, %v; want %d (%s)", tc.s, tc.picture, got, ok, err, tc.want,
				time.UnixMilli(tc.want).UTC().Format(time.RFC3339Nano))
		}
	}
}

func TestParseDateTimeUndefined(t *testing.T) {
	for _, tc := range []struct{ s, picture string }{
		{"Hello", "Hello"},
		{"irrelevent string", "[Y]-[M]-[D]"},
		{"2018-13", "[Y]-[M]x"},
		{"2 Fbr 2012", "[D1] [MNn,3-3] [Y0001]"},
		{"Funday", "[FNn]"},
		{"99999999-01-01", "[Y]-[M]-[D]"},
		{"2018-02-30", ""},
		{"2018-00-01", ""},
		{"2018-01-01T25:00:00", ""},
		{"2018-01-01T24:00:01", ""},
		{"2018.5", ""},
		{"2018-01-01-01", ""},
		{"2018-01-01T10:00:00+2500", ""},
	} {
		got, ok, err := ParseDateTime(tc.s, tc.picture)
		if err != nil || ok {
			t.Errorf("ParseDateTime(%q, %q) = %d, %v, %v; want undefined", tc.s, tc.picture, got, ok, err)
		}
	}
}

func TestParseDateTimeErrors(t *testing.T) {
	for _, tc := range []struct{ s, picture, code string }{
		{"foo", "", "D3110"},
		{"01-02-2018", "", "D3110"},
		{"2018-1-1", "", "D3110"},
		{"18-01-01", "", "D3110"},
		{"2018-05-22", "[Y]-[M]-[q]", "D3132"},
		{"2018-05-22", "[YN]-[M]-[D]", "D3133"},
		{"2018-05-22", "[Y]-[M]-[D", "D3135"},
		{"2018-22", "[Y]-[D]", "D3136"},
		{"5-22 23:59", "[M]-[D] [m]:[s]", "D3136"},
		{"2018-3-2-5", "[Y]-[x]-[w]-[F1]", "D3136"},
		{"2018-32-5", "[X]-[W]-[F1]", "D3136"},
		{"5", "[Dα]", "D3130"},
		{"+05", "[Z000001]", "D3134"},
	} {
		_, _, err := ParseDateTime(tc.s, tc.picture)
		if code := errCode(t, err); code != tc.code {
			t.Errorf("ParseDateTime(%q, %q) error %v, want %s", tc.s, tc.picture, err, tc.code)
		}
	}
}

func TestParseISO(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int64
	}{
		{"2017-10-30T15:28:34Z", 1509377314000},
		{"2018-10-21T13:05:00Z", 1540127100000},
		{"2018", 1514764800000},
		{"2018-03", 1519862400000},
		{"2018-03-27", 1522108800000},
		{"2018-03-27T14:03:00.123Z", 1522159380123},
		{"2018-03-27T14:03:00.1Z", 1522159380100},
		{"2018-03-27T14:03:00.123456Z", 1522159380123},
		{"2018-03-27T14:03:00", 1522159380000},
		{"2018-03-27T15:03:00+01:00", 1522159380000},
		{"2018-03-27T08:33:00-0530", 1522159380000},
		{"2018-03-27T24:00:00Z", 1522195200000},
		{"2016-02-29", 1456704000000},
		{"2017-10-30", 1509321600000},
		{"1970-01-01T00:00:00.001Z", 1},
	} {
		got, ok, err := ParseDateTime(tc.s, "")
		if err != nil || !ok || got != tc.want {
			t.Errorf("ParseDateTime(%q) = %d, %v, %v; want %d", tc.s, got, ok, err, tc.want)
		}
	}
}

// TestDateTimeRoundTrip formats random instants with several pictures and
// timezones and parses them back.
func TestDateTimeRoundTrip(t *testing.T) {
	type pic struct {
		picture string
		unit    int64 // resolution the picture keeps, in ms
		zoned   bool  // the picture carries the offset
	}
	pictures := []pic{
		{isoPicture, 1, true},
		{"", 1, true},
		{"[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z0101t]", 1, true},
		{"[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][z]", 1, true},
		{"[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001] [Z0]", 1, true},
		{"[Y0001][M01][D01][H01][m01][s01]", 1000, false},
		{"[D1o] [MNn] [Y], [h]:[m01]:[s01].[f001] [P]", 1, false},
		{"[FNn], [Dwo] [MNn,3-3] [Yw] [H01]:[m01]:[s01]", 1000, false},
		{"[Y0001]-[d001]T[H01]:[m01]:[s01].[f001]", 1, false},
		{"[Da] [MI] [YI] [H]:[m]", 60000, false},
		{"[DW] of [MN], [Y0001] [h]:[m01] [PN]", 60000, false},
		{"[Y]-[M]-[D] [H]:[m]:[s]", 1000, false},
	}
	zones := []string{"", "+0000", "+0530", "-0800", "+1245", "-0030"}
	rng := rand.New(rand.NewSource(1))
	now := time.Date(2021, 6, 15, 8, 30, 0, 0, time.UTC)
	n := 0
	for i := 0; i < 400; i++ {
		// 1000-01-01 to 2200-01-01
		ms := rng.Int63n(7289654400000+30610224000000) - 30610224000000
		for _, p := range pictures {
			for _, tz := range zones {
				if !p.zoned && tz != "" {
					continue
				}
				s, err := FormatDateTime(ms, p.picture, tz)
				if err != nil {
					t.Fatalf("FormatDateTime(%d, %q, %q): %v", ms, p.picture, tz, err)
				}
				back, ok, err := ParseDateTimeAt(s, p.picture, now)
				want := ms - ((ms%p.unit)+p.unit)%p.unit
				if err != nil || !ok || back != want {
					t.Fatalf("ParseDateTimeAt(%q, %q) = %d, %v, %v; want %d", s, p.picture, back, ok, err, want)
				}
				n++
			}
		}
	}
	t.Logf("%d round trips", n)
}
