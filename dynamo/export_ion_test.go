package dynamo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIon_WritesItemsAsDynamoDBExportsDo(t *testing.T) {
	item := Item{
		"Id": N("103"), "Price": N("19.5"), "Title": S(`Say "hi"`), "InPublication": BOOL(false),
		"Authors": SS{"Author1", "Author2"}, "Codes": NS{"1", "2.5"}, "Blob": B{1, 2}, "Blobs": BS{{3}},
		"Gone": NULL{}, "Tags": L{S("a"), N("1")}, "Dims": M{"w": N("8.5")}, "odd name": S("x"), "true": S("y"),
	}
	got := string(appendItemIon(nil, item))
	want := `{Authors:$dynamodb_SS::["Author1","Author2"],Blob:{{AQI=}},Blobs:$dynamodb_BS::[{{Aw==}}],Codes:$dynamodb_NS::[1.,2.5],` +
		`Dims:{w:8.5},Gone:null,Id:103.,InPublication:false,Price:19.5,Tags:["a",1.],Title:"Say \"hi\"",'odd name':"x",'true':"y"}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	back, err := decodeIonLine(ionVersionMarker + " {Item:" + got + "}")
	mustDo(t, err)
	if diff := cmp.Diff(item, back); diff != "" {
		t.Fatal(diff)
	}
}

func TestIon_ReadsWhatIonAllows(t *testing.T) {
	for _, tc := range []struct {
		line string
		want Item
	}{
		{`{Item:{pk:"a", n:1_000, d:1.5d2, e:2.5e-1, z:null.string}}`, Item{"pk": S("a"), "n": N("1000"), "d": N("150"), "e": N("0.25"), "z": NULL{}}},
		{`$ion_1_0 /* c */ {Item:{'a b':"\x41\u00e9\n", "c":sym}} // end`, Item{"a b": S("Aé\n"), "c": S("sym")}},
		{`{Item:{l:[], m:{}, s:$dynamodb_SS::["x",],}}`, Item{"l": L{}, "m": M{}, "s": SS{"x"}}},
	} {
		got, err := decodeIonLine(tc.line)
		mustDo(t, err)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s:\n%s", tc.line, diff)
		}
	}
	for _, bad := range []string{
		`{Item:{a:"unterminated}}`, `{Item:{a:1}} extra`, `{Other:{}}`, `{Item:{a:$dynamodb_SS::[1.]}}`, `{Item:{a:$foo::[1.]}}`,
		`{Item:{a:{{not base64!}}}}`, `{Item:{a:0x1F}}`, `{Item:{a 1}}`, `[1,2]`, `{Item:{a:"\q"}}`, `{Item:{a:1 b:2}}`,
	} {
		if _, err := decodeIonLine(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func FuzzIonLine(f *testing.F) {
	f.Add(`$ion_1_0 {Item:{pk:"a",sk:1.,s:$dynamodb_SS::["x"],b:{{AQI=}},n:null.string,'q r':1d-3}}`)
	f.Add(`{Item:{a:[{b:[{c:{{}}}]}]}}`)
	f.Fuzz(func(t *testing.T, line string) {
		item, err := decodeIonLine(line)
		if err != nil {
			return
		}
		// What reads, writes back and reads the same.
		again, err := decodeIonLine("{Item:" + string(appendItemIon(nil, item)) + "}")
		if err != nil {
			t.Fatalf("%q read as %v, which does not read back: %v", line, item, err)
		}
		if diff := cmp.Diff(item, again); diff != "" {
			t.Fatalf("%q: %s", line, diff)
		}
	})
}
