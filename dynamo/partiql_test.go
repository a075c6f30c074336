package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// musicDB returns a DB with the tables of the PartiQL tests:
//
//   - "Music": Artist (S) and SongTitle (S), a global index "ByYear" on
//     Year (N) with the projection ALL, and a local index "ByAlbum" on
//     Artist and Album (S) with KEYS_ONLY;
//   - "Users": pk (S) only.
func musicDB(t testing.TB) *DB {
	t.Helper()
	db, _ := newTestDB(t)
	ctx := context.Background()
	_, err := db.CreateTable(ctx, &CreateTableInput{
		TableName:            "Music",
		AttributeDefinitions: []AttributeDefinition{{"Artist", "S"}, {"SongTitle", "S"}, {"Year", "N"}, {"Album", "S"}},
		KeySchema:            []KeySchemaElement{{"Artist", KeyTypeHash}, {"SongTitle", KeyTypeRange}},
		BillingMode:          BillingModePayPerRequest,
		GlobalSecondaryIndexes: []GlobalSecondaryIndex{{
			IndexName:  "ByYear",
			KeySchema:  []KeySchemaElement{{"Year", KeyTypeHash}},
			Projection: Projection{ProjectionType: ProjectionTypeAll},
		}},
		LocalSecondaryIndexes: []LocalSecondaryIndex{{
			IndexName:  "ByAlbum",
			KeySchema:  []KeySchemaElement{{"Artist", KeyTypeHash}, {"Album", KeyTypeRange}},
			Projection: Projection{ProjectionType: ProjectionTypeKeysOnly},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.CreateTable(ctx, &CreateTableInput{
		TableName:            "Users",
		AttributeDefinitions: []AttributeDefinition{{"pk", "S"}},
		KeySchema:            []KeySchemaElement{{"pk", KeyTypeHash}},
		BillingMode:          BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// songs fills Music with three artists' songs.
func songs(t testing.TB, db *DB) {
	t.Helper()
	for _, it := range []Item{
		{"Artist": S("Acme Band"), "SongTitle": S("Alpha"), "Year": N("2019"), "Album": S("First"), "Plays": N("10")},
		{"Artist": S("Acme Band"), "SongTitle": S("Beta"), "Year": N("2020"), "Album": S("First"), "Plays": N("25"), "Tags": SS{"rock", "live"}},
		{"Artist": S("Acme Band"), "SongTitle": S("Gamma"), "Year": N("2021"), "Album": S("Second"), "Info": M{"label": S("Acme"), "tracks": L{S("a"), S("b")}}},
		{"Artist": S("Beta Band"), "SongTitle": S("Delta"), "Year": N("2020"), "Plays": N("5")},
		{"Artist": S("Beta Band"), "SongTitle": S("Epsilon"), "Year": N("2019"), "Awards": N("1")},
		{"Artist": S("Gamma Trio"), "SongTitle": S("Zeta"), "Year": N("2020")},
	} {
		if _, err := db.PutItem(context.Background(), &PutItemInput{TableName: "Music", Item: it}); err != nil {
			t.Fatal(err)
		}
	}
}

// run executes a statement and fails the test on error.
func run(t testing.TB, db *DB, stmt string, params ...AttributeValue) *ExecuteStatementOutput {
	t.Helper()
	out, err := db.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: stmt, Parameters: params})
	if err != nil {
		t.Fatalf("ExecuteStatement(%s): %v", stmt, err)
	}
	return out
}

// titles returns the SongTitle of each item, sorted.
func titles(items []Item) []string {
	var out []string
	for _, it := range items {
		if s, ok := it["SongTitle"].(S); ok {
			out = append(out, string(s))
		}
	}
	sort.Strings(out)
	return out
}

func TestPartiQLSelect_Forms(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	cases := []struct {
		name   string
		stmt   string
		params []AttributeValue
		want   []string
	}{
		{"partition key equality", `SELECT * FROM "Music" WHERE Artist = 'Acme Band'`, nil, []string{"Alpha", "Beta", "Gamma"}},
		{"value on the left", `SELECT * FROM "Music" WHERE 'Acme Band' = Artist`, nil, []string{"Alpha", "Beta", "Gamma"}},
		{"full key", `SELECT * FROM "Music" WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`, nil, []string{"Beta"}},
		{"parameters", `SELECT * FROM "Music" WHERE Artist = ? AND SongTitle = ?`, []AttributeValue{S("Beta Band"), S("Delta")}, []string{"Delta"}},
		{"sort key range", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND SongTitle > 'Alpha'`, nil, []string{"Beta", "Gamma"}},
		{"sort key range mirrored", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND 'Beta' >= SongTitle`, nil, []string{"Alpha", "Beta"}},
		{"sort key between", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND SongTitle BETWEEN 'B' AND 'H'`, nil, []string{"Beta", "Gamma"}},
		{"sort key begins_with", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND begins_with(SongTitle, 'Ga')`, nil, []string{"Gamma"}},
		{"two sort key terms, one filters", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND SongTitle > 'A' AND SongTitle < 'Gamma'`, nil, []string{"Alpha", "Beta"}},
		{"IN on the partition key", `SELECT * FROM Music WHERE Artist IN ['Beta Band', 'Gamma Trio']`, nil, []string{"Delta", "Epsilon", "Zeta"}},
		{"IN with parentheses", `SELECT * FROM Music WHERE Artist IN ('Gamma Trio')`, nil, []string{"Zeta"}},
		{"OR of partition keys", `SELECT * FROM Music WHERE Artist = 'Beta Band' OR Artist = 'Gamma Trio'`, nil, []string{"Delta", "Epsilon", "Zeta"}},
		{"OR of key branches", `SELECT * FROM Music WHERE (Artist = 'Acme Band' AND SongTitle = 'Alpha') OR (Artist = 'Acme Band' AND SongTitle = 'Gamma')`, nil, []string{"Alpha", "Gamma"}},
		{"IN and a sort key condition", `SELECT * FROM Music WHERE Artist IN ['Acme Band', 'Beta Band'] AND SongTitle < 'C'`, nil, []string{"Alpha", "Beta"}},
		{"filter on a non-key attribute", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND Plays > 15`, nil, []string{"Beta"}},
		{"scan with filter", `SELECT * FROM "Music" WHERE "Year" = 2020`, nil, []string{"Beta", "Delta", "Zeta"}},
		{"scan without WHERE", `SELECT * FROM Music`, nil, []string{"Alpha", "Beta", "Delta", "Epsilon", "Gamma", "Zeta"}},
		{"partition key range scans", `SELECT * FROM Music WHERE Artist > 'B'`, nil, []string{"Delta", "Epsilon", "Zeta"}},
		{"OR with a non-key branch scans", `SELECT * FROM Music WHERE Artist = 'Gamma Trio' OR Awards = 1`, nil, []string{"Epsilon", "Zeta"}},
		{"not equal", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND SongTitle <> 'Beta'`, nil, []string{"Alpha", "Gamma"}},
		{"bang equal", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND SongTitle != 'Beta'`, nil, []string{"Alpha", "Gamma"}},
		{"less or equal", `SELECT * FROM Music WHERE Plays <= 10`, nil, []string{"Alpha", "Delta"}},
		{"greater or equal", `SELECT * FROM Music WHERE Plays >= 10`, nil, []string{"Alpha", "Beta"}},
		{"NOT", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND NOT Plays = 10`, nil, []string{"Beta", "Gamma"}},
		{"NOT BETWEEN", `SELECT * FROM Music WHERE "Year" NOT BETWEEN 2020 AND 2021`, nil, []string{"Alpha", "Epsilon"}},
		{"NOT IN", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND SongTitle NOT IN ['Alpha', 'Beta']`, nil, []string{"Gamma"}},
		{"IN on a non-key attribute", `SELECT * FROM Music WHERE Plays IN [5, 25]`, nil, []string{"Beta", "Delta"}},
		{"IS MISSING", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND Plays IS MISSING`, nil, []string{"Gamma"}},
		{"IS NOT MISSING", `SELECT * FROM Music WHERE Awards IS NOT MISSING`, nil, []string{"Epsilon"}},
		{"IS type", `SELECT * FROM Music WHERE Info IS STRUCT`, nil, []string{"Gamma"}},
		{"IS NOT type", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND Info IS NOT TUPLE`, nil, []string{"Alpha", "Beta"}},
		{"attribute_type", `SELECT * FROM Music WHERE attribute_type(Tags, 'SS')`, nil, []string{"Beta"}},
		{"contains on a set", `SELECT * FROM Music WHERE contains(Tags, 'live')`, nil, []string{"Beta"}},
		{"contains on a string", `SELECT * FROM Music WHERE contains(SongTitle, 'psi')`, nil, []string{"Epsilon"}},
		{"begins_with on a non-key attribute", `SELECT * FROM Music WHERE begins_with(Album, 'Sec')`, nil, []string{"Gamma"}},
		{"size", `SELECT * FROM Music WHERE size(Tags) = 2`, nil, []string{"Beta"}},
		{"nested map path", `SELECT * FROM Music WHERE Info.label = 'Acme'`, nil, []string{"Gamma"}},
		{"list index path", `SELECT * FROM Music WHERE Info.tracks[1] = 'b'`, nil, []string{"Gamma"}},
		{"bracketed map key", `SELECT * FROM Music WHERE Info['label'] = 'Acme'`, nil, []string{"Gamma"}},
		{"attribute_exists", `SELECT * FROM Music WHERE attribute_exists(Awards)`, nil, []string{"Epsilon"}},
		{"OR of filters in a partition", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND (Plays = 10 OR Album = 'Second')`, nil, []string{"Alpha", "Gamma"}},
		{"global index", `SELECT * FROM "Music"."ByYear" WHERE "Year" = 2019`, nil, []string{"Alpha", "Epsilon"}},
		{"global index scan", `SELECT * FROM "Music"."ByYear" WHERE Plays = 5`, nil, []string{"Delta"}},
		{"keywords in lower case", `select * from "Music" where Artist = 'Gamma Trio'`, nil, []string{"Zeta"}},
		{"comments and a semicolon", "SELECT * -- all\nFROM \"Music\" /* the table */ WHERE Artist = 'Gamma Trio';", nil, []string{"Zeta"}},
		{"a question mark in a string is text", `SELECT * FROM Music WHERE SongTitle = '?'`, nil, nil},
		{"escaped quotes", `SELECT * FROM "Music" WHERE "Artist" = 'It''s'`, nil, nil},
		{"parameter of a list in IN", `SELECT * FROM Music WHERE Artist IN [?, ?]`, []AttributeValue{S("Gamma Trio"), S("Nobody")}, []string{"Zeta"}},
		{"NULL literal", `SELECT * FROM Music WHERE Plays = NULL`, nil, nil},
		{"IS NULL", `SELECT * FROM Music WHERE Plays IS NULL`, nil, nil},
		{"boolean literal", `SELECT * FROM Music WHERE Plays = TRUE`, nil, nil},
		{"negative number", `SELECT * FROM Music WHERE Plays > -1 AND Plays < 6`, nil, []string{"Delta"}},
		{"exponent", `SELECT * FROM Music WHERE Plays = 2.5e1`, nil, []string{"Beta"}},
		{"unary plus", `SELECT * FROM Music WHERE Plays = +5`, nil, []string{"Delta"}},
		{"IS NUMERIC", `SELECT * FROM Music WHERE Awards IS NUMERIC`, nil, []string{"Epsilon"}},
		{"IS STRING", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND Album IS STRING AND Album <> 'First'`, nil, []string{"Gamma"}},
		{"IS LIST", `SELECT * FROM Music WHERE Info.tracks IS LIST`, nil, []string{"Gamma"}},
		{"IS BOOLEAN", `SELECT * FROM Music WHERE Plays IS BOOLEAN`, nil, nil},
		{"attribute_not_exists", `SELECT * FROM Music WHERE Artist = 'Beta Band' AND attribute_not_exists(Awards)`, nil, []string{"Delta"}},
		{"size of a string", `SELECT * FROM Music WHERE size(SongTitle) > 5`, nil, []string{"Epsilon"}},
		{"local index query", `SELECT * FROM "Music"."ByAlbum" WHERE Artist = 'Acme Band' AND Album = 'First'`, nil, []string{"Alpha", "Beta"}},
		{"global index IN", `SELECT * FROM "Music"."ByYear" WHERE "Year" IN [2021, 2019]`, nil, []string{"Alpha", "Epsilon", "Gamma"}},
		{"partition key in a nested AND", `SELECT * FROM Music WHERE (Plays > 1 AND (Artist = 'Beta Band')) AND SongTitle = 'Delta'`, nil, []string{"Delta"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := run(t, db, c.stmt, c.params...)
			if diff := cmp.Diff(c.want, titles(out.Items)); diff != "" {
				t.Fatalf("%s returned (-want +got):\n%s", c.stmt, diff)
			}
			if out.NextToken != "" {
				t.Fatalf("NextToken %q on a result that fits one page", out.NextToken)
			}
		})
	}
}

func TestPartiQLSelect_Projection(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	cases := []struct {
		name string
		stmt string
		want []Item
	}{
		{"attributes", `SELECT SongTitle, Plays FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			[]Item{{"SongTitle": S("Beta"), "Plays": N("25")}}},
		{"a missing attribute leaves an empty item", `SELECT Awards FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			[]Item{{}}},
		{"a nested path comes back under its last name", `SELECT Info.label, Info.tracks[1], "Year" FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'Gamma'`,
			[]Item{{"label": S("Acme"), "tracks[1]": S("b"), "Year": N("2021")}}},
		{"a list element keeps its index", `SELECT Info FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'Gamma'`,
			[]Item{{"Info": M{"label": S("Acme"), "tracks": L{S("a"), S("b")}}}}},
		{"quoted name with a dot is one attribute", `SELECT "Info.label" FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'Gamma'`,
			[]Item{{}}},
		{"projection of a scan", `SELECT Awards FROM Music WHERE Awards = 1`,
			[]Item{{"Awards": N("1")}}},
		{"keys-only local index fetches the rest", `SELECT Plays FROM "Music"."ByAlbum" WHERE Artist = 'Acme Band' AND Album = 'First' AND Plays > 20`,
			[]Item{{"Plays": N("25")}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := run(t, db, c.stmt)
			if diff := cmp.Diff(c.want, out.Items); diff != "" {
				t.Fatalf("%s returned (-want +got):\n%s", c.stmt, diff)
			}
		})
	}
}

func TestPartiQLSelect_OrderBy(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	cases := []struct {
		name string
		stmt string
		want []string
	}{
		{"sort key descending", `SELECT * FROM Music WHERE Artist = 'Acme Band' ORDER BY SongTitle DESC`, []string{"Gamma", "Beta", "Alpha"}},
		{"sort key ascending", `SELECT * FROM Music WHERE Artist = 'Acme Band' ORDER BY SongTitle ASC`, []string{"Alpha", "Beta", "Gamma"}},
		{"partitions by hash key descending", `SELECT * FROM Music WHERE Artist IN ['Acme Band', 'Gamma Trio', 'Beta Band'] ORDER BY Artist DESC, SongTitle`,
			[]string{"Zeta", "Delta", "Epsilon", "Alpha", "Beta", "Gamma"}},
		{"partitions in statement order without ORDER BY", `SELECT * FROM Music WHERE Artist IN ['Gamma Trio', 'Acme Band']`,
			[]string{"Zeta", "Alpha", "Beta", "Gamma"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := run(t, db, c.stmt)
			var got []string
			for _, it := range out.Items {
				got = append(got, string(it["SongTitle"].(S)))
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("%s returned (-want +got):\n%s", c.stmt, diff)
			}
		})
	}
}

func TestPartiQLInsert(t *testing.T) {
	db := musicDB(t)
	ctx := context.Background()
	run(t, db, `INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks', 'Year': 2024, 'Price': 1.50,
		'Tags': <<'a', 'b'>>, 'Scores': <<1, 2.0>>, 'Credits': ['x', 1, TRUE, NULL], 'Meta': {'k': {'deep': 'v'}}, 'Empty': '', 'Bin': ?}`, B{1, 2})
	got, err := db.GetItem(ctx, &GetItemInput{TableName: "Music", Key: Item{"Artist": S("Acme Band"), "SongTitle": S("PartiQL Rocks")}})
	if err != nil {
		t.Fatal(err)
	}
	want := Item{"Artist": S("Acme Band"), "SongTitle": S("PartiQL Rocks"), "Year": N("2024"), "Price": N("1.5"),
		"Tags": SS{"a", "b"}, "Scores": NS{"1", "2"}, "Credits": L{S("x"), N("1"), BOOL(true), NULL{}},
		"Meta": M{"k": M{"deep": S("v")}}, "Empty": S(""), "Bin": B{1, 2}}
	if diff := cmp.Diff(want, got.Item); diff != "" {
		t.Fatalf("inserted item (-want +got):\n%s", diff)
	}
	_, err = db.ExecuteStatement(ctx, &ExecuteStatementInput{Statement: `INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks'}`})
	wantCode(t, err, "DuplicateItemException", "Duplicate primary key exists in table")
	if !errors.Is(err, ErrDuplicateItem) {
		t.Fatalf("errors.Is(%v, ErrDuplicateItem) is false", err)
	}
	out := run(t, db, `INSERT INTO Users VALUE {'pk': ?}`, S("u1"))
	if out.Items == nil || len(out.Items) != 0 {
		t.Fatalf("an INSERT returned Items %v, want empty", out.Items)
	}
}

func TestPartiQLUpdate(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	ctx := context.Background()
	key := Item{"Artist": S("Acme Band"), "SongTitle": S("Beta")}
	read := func() Item {
		out, err := db.GetItem(ctx, &GetItemInput{TableName: "Music", Key: key})
		if err != nil {
			t.Fatal(err)
		}
		return out.Item
	}
	cases := []struct {
		name  string
		stmt  string
		check func(Item) bool
	}{
		{"set a value", `UPDATE "Music" SET Rating = 5 WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return it["Rating"] == N("5") }},
		{"set with arithmetic", `UPDATE Music SET Plays = Plays + 1 WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return it["Plays"] == N("26") }},
		{"subtract", `UPDATE Music SET Plays = Plays - 6 WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return it["Plays"] == N("20") }},
		{"several SET clauses and a map", `UPDATE Music SET A = 1 SET B = {'x': [1, 2]} WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return it["A"] == N("1") && cmp.Equal(it["B"], M{"x": L{N("1"), N("2")}}) }},
		{"comma separated SET", `UPDATE Music SET C = 'c', D = 'd' WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return it["C"] == S("c") && it["D"] == S("d") }},
		{"remove", `UPDATE Music REMOVE A, B WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return it["A"] == nil && it["B"] == nil }},
		{"set and remove", `UPDATE Music SET E = 'e' REMOVE C WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return it["E"] == S("e") && it["C"] == nil }},
		{"nested path", `UPDATE Music SET Info = {'a': [1]} SET D = 'x' WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return cmp.Equal(it["Info"], M{"a": L{N("1")}}) }},
		{"list element", `UPDATE Music SET Info.a[0] = 9 WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return cmp.Equal(it["Info"], M{"a": L{N("9")}}) }},
		{"list_append", `UPDATE Music SET Info.a = list_append(Info.a, [10]) WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return cmp.Equal(it["Info"], M{"a": L{N("9"), N("10")}}) }},
		{"if_not_exists", `UPDATE Music SET Fresh = if_not_exists(Fresh, 'new') WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return it["Fresh"] == S("new") }},
		{"set_add", `UPDATE Music SET Tags = set_add(Tags, <<'pop'>>) WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool {
				tags := slices.Clone(it["Tags"].(SS))
				slices.Sort(tags)
				return cmp.Equal(tags, SS{"live", "pop", "rock"})
			}},
		{"set_delete", `UPDATE Music SET Tags = set_delete(Tags, <<'rock', 'pop'>>) WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`,
			func(it Item) bool { return cmp.Equal(it["Tags"], SS{"live"}) }},
		{"condition holds", `UPDATE Music SET Plays = 100 WHERE Artist = 'Acme Band' AND SongTitle = 'Beta' AND Plays = 20`,
			func(it Item) bool { return it["Plays"] == N("100") }},
		{"parameters in SET and WHERE", `UPDATE Music SET Plays = ? WHERE Artist = ? AND SongTitle = ?`,
			func(it Item) bool { return it["Plays"] == N("7") }},
		{"FROM form", `FROM "Music" WHERE Artist = 'Acme Band' AND SongTitle = 'Beta' SET Via = 'from'`,
			func(it Item) bool { return it["Via"] == S("from") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var params []AttributeValue
			if strings.Contains(c.stmt, "?") {
				params = []AttributeValue{N("7"), S("Acme Band"), S("Beta")}
			}
			out := run(t, db, c.stmt, params...)
			if len(out.Items) != 0 {
				t.Fatalf("UPDATE without RETURNING returned %v", out.Items)
			}
			if it := read(); !c.check(it) {
				t.Fatalf("after %s the item is %v", c.stmt, it)
			}
		})
	}
}

func TestPartiQLUpdate_ItemMustExistAndConditionMustHold(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	ctx := context.Background()
	cases := []struct {
		name string
		stmt string
		rv   ReturnValuesOnConditionCheckFailure
		item Item
	}{
		{"missing item", `UPDATE Music SET X = 1 WHERE Artist = 'Nobody' AND SongTitle = 'None'`, "", nil},
		{"false condition", `UPDATE Music SET X = 1 WHERE Artist = 'Beta Band' AND SongTitle = 'Delta' AND Plays > 100`, "", nil},
		{"false condition returns the old item", `UPDATE Music SET X = 1 WHERE Artist = 'Beta Band' AND SongTitle = 'Delta' AND Plays > 100`,
			ReturnValuesOnConditionCheckFailureAllOld, Item{"Artist": S("Beta Band"), "SongTitle": S("Delta"), "Year": N("2020"), "Plays": N("5")}},
		{"false condition on a missing item", `DELETE FROM Music WHERE Artist = 'Nobody' AND SongTitle = 'None' AND Plays = 1`, "", nil},
		{"false delete condition returns the old item", `DELETE FROM Music WHERE Artist = 'Beta Band' AND SongTitle = 'Delta' AND attribute_exists(Awards)`,
			ReturnValuesOnConditionCheckFailureAllOld, Item{"Artist": S("Beta Band"), "SongTitle": S("Delta"), "Year": N("2020"), "Plays": N("5")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.ExecuteStatement(ctx, &ExecuteStatementInput{Statement: c.stmt, ReturnValuesOnConditionCheckFailure: c.rv})
			wantCode(t, err, "ConditionalCheckFailedException", "The conditional request failed")
			var ccf *ConditionalCheckFailedException
			if !errors.As(err, &ccf) {
				t.Fatalf("error %v is not a *ConditionalCheckFailedException", err)
			}
			if diff := cmp.Diff(c.item, ccf.Item); diff != "" {
				t.Fatalf("Item of the failure (-want +got):\n%s", diff)
			}
		})
	}
	out, err := db.GetItem(ctx, &GetItemInput{TableName: "Music", Key: Item{"Artist": S("Nobody"), "SongTitle": S("None")}})
	if err != nil || out.Item != nil {
		t.Fatalf("a refused UPDATE created the item: %v, %v", out, err)
	}
}

func TestPartiQLReturning(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	cases := []struct {
		name string
		stmt string
		want []Item
	}{
		{"ALL OLD", `UPDATE Music SET Plays = 11 WHERE Artist = 'Acme Band' AND SongTitle = 'Alpha' RETURNING ALL OLD *`,
			[]Item{{"Artist": S("Acme Band"), "SongTitle": S("Alpha"), "Year": N("2019"), "Album": S("First"), "Plays": N("10")}}},
		{"ALL NEW", `UPDATE Music SET Plays = 12 WHERE Artist = 'Acme Band' AND SongTitle = 'Alpha' RETURNING ALL NEW *`,
			[]Item{{"Artist": S("Acme Band"), "SongTitle": S("Alpha"), "Year": N("2019"), "Album": S("First"), "Plays": N("12")}}},
		{"MODIFIED OLD", `UPDATE Music SET Plays = 13 WHERE Artist = 'Acme Band' AND SongTitle = 'Alpha' RETURNING MODIFIED OLD *`,
			[]Item{{"Plays": N("12")}}},
		{"MODIFIED NEW", `UPDATE Music SET Plays = 14 WHERE Artist = 'Acme Band' AND SongTitle = 'Alpha' RETURNING MODIFIED NEW *`,
			[]Item{{"Plays": N("14")}}},
		{"MODIFIED NEW of a removal is empty", `UPDATE Music REMOVE Plays WHERE Artist = 'Acme Band' AND SongTitle = 'Alpha' RETURNING MODIFIED NEW *`,
			[]Item{}},
		{"DELETE ALL OLD", `DELETE FROM Music WHERE Artist = 'Gamma Trio' AND SongTitle = 'Zeta' RETURNING ALL OLD *`,
			[]Item{{"Artist": S("Gamma Trio"), "SongTitle": S("Zeta"), "Year": N("2020")}}},
		{"DELETE of a missing item returns nothing", `DELETE FROM Music WHERE Artist = 'Gamma Trio' AND SongTitle = 'Zeta' RETURNING ALL OLD *`,
			[]Item{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := run(t, db, c.stmt)
			if diff := cmp.Diff(c.want, out.Items); diff != "" {
				t.Fatalf("%s returned (-want +got):\n%s", c.stmt, diff)
			}
		})
	}
}

func TestPartiQLDelete(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	run(t, db, `DELETE FROM "Music" WHERE "Artist" = 'Acme Band' AND "SongTitle" = 'Alpha'`)
	run(t, db, `DELETE FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'Beta' AND Plays = 25`)
	// Deleting an item that is not there succeeds.
	run(t, db, `DELETE FROM Music WHERE Artist = 'Nobody' AND SongTitle = 'None'`)
	out := run(t, db, `SELECT * FROM Music WHERE Artist = 'Acme Band'`)
	if diff := cmp.Diff([]string{"Gamma"}, titles(out.Items)); diff != "" {
		t.Fatalf("after the deletes (-want +got):\n%s", diff)
	}
}

// Errors, each a statement and the code and message DynamoDB answers it
// with.
func TestPartiQL_Errors(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	const malformed = "Statement wasn't well formed, can't be processed: "
	cases := []struct {
		name   string
		stmt   string
		params []AttributeValue
		code   string
		msg    string
	}{
		// Syntax, with the details of DynamoDB's parser.
		{"misspelt keyword", `SLECT * FROM "Music"`, nil, "ValidationException", malformed + "Expected data manipulation"},
		{"token after the statement", `SELECT * FROM "Music" WHERE Artist = 'a' foo`, nil, "ValidationException", malformed + "Unexpected token after expression"},
		{"number split from its exponent", `SELECT * FROM Music WHERE Plays = 1 e5`, nil, "ValidationException", malformed + "Unexpected token after expression"},
		{"stray parenthesis", `SELECT * FROM Music WHERE Plays = 1)`, nil, "ValidationException", malformed + "Unexpected token after expression"},
		{"ORDER BY on a DELETE", `DELETE FROM Music WHERE Artist = 'a' AND SongTitle = 'b' ORDER BY Artist`, nil, "ValidationException", malformed + "Unexpected token after expression"},
		{"ORDER BY before WHERE", `SELECT * FROM Music ORDER BY Artist WHERE Artist = 'a'`, nil, "ValidationException", malformed + "Unexpected token after expression"},
		{"empty WHERE", `SELECT * FROM Music WHERE`, nil, "ValidationException", malformed + "Unexpected term"},
		{"WHERE then semicolon", `SELECT * FROM Music WHERE;`, nil, "ValidationException", malformed + "Unexpected term"},
		{"WHERE NOT", `SELECT * FROM Music WHERE NOT`, nil, "ValidationException", malformed + "Unexpected term"},
		{"ends in AND", `SELECT * FROM Music WHERE Artist = 'a' AND`, nil, "ValidationException", malformed + "Missing right-hand side expression of infix operator"},
		{"ends in OR", `SELECT * FROM Music WHERE Artist = 'a' OR`, nil, "ValidationException", malformed + "Missing right-hand side expression of infix operator"},
		{"WHERE ORDER BY", `SELECT * FROM Music WHERE ORDER BY Artist`, nil, "ValidationException", malformed + "Unexpected keyword"},
		{"IS where a term starts", `SELECT * FROM Music WHERE IS NULL`, nil, "ValidationException", malformed + "Unexpected operator"},
		{"LIKE where an operand starts", `SELECT * FROM Music WHERE Artist = LIKE`, nil, "ValidationException", malformed + "Unexpected operator"},
		{"IS with no type", `SELECT * FROM Music WHERE Artist = 'a' AND x IS FOO`, nil, "ValidationException", malformed + "Expected type name"},
		{"DELETE FROM without a table", `DELETE FROM`, nil, "ValidationException", malformed + "Expected identifier for simple path"},
		{"DELETE FROM WHERE", `DELETE FROM WHERE pk = 'a'`, nil, "ValidationException", malformed + "Expected identifier for simple path"},
		{"SELECT FROM without a table", `SELECT * FROM`, nil, "ValidationException", malformed + "Unexpected term"},
		{"reserved word as a name", `SELECT * FROM Users WHERE pad = 'none'`, nil, "ValidationException", malformed + "Unexpected keyword"},
		{"exponent beyond 32 bits", `SELECT * FROM Music WHERE Plays = 1e2147483648`, nil, "ValidationException", malformed},
		{"scale beyond 32 bits", `SELECT * FROM Music WHERE Plays = 1.5e-2147483647`, nil, "ValidationException", malformed},
		{"hash comment", `SELECT * FROM Music WHERE Plays = 1 # note`, nil, "ValidationException", malformed},
		{"unterminated comment", `SELECT * FROM Music WHERE Plays = 1 /* note`, nil, "ValidationException", malformed},
		{"unterminated string", `SELECT * FROM Music WHERE Artist = 'a`, nil, "ValidationException", malformed},
		{"two statements", `SELECT * FROM Music; SELECT * FROM Users`, nil, "ValidationException", malformed + "Unexpected token after semicolon. (Only one query is allowed.)"},
		{"empty statement", `   `, nil, "ValidationException", malformed + "Unexpected term"},
		{"no statement", ``, nil, "ValidationException", "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null"},
		{"too long", `SELECT * FROM Music WHERE Artist = '` + strings.Repeat("x", 8200) + `'`, nil, "ValidationException", "Member must have length less than or equal to 8192"},

		// What DynamoDB's PartiQL does not support.
		{"table alias", `SELECT * FROM "Users" t WHERE pk = 'x'`, nil, "ValidationException", "Aliasing is not supported"},
		{"AS alias", `SELECT * FROM "Users" AS t WHERE pk = 'x'`, nil, "ValidationException", "Aliasing is not supported"},
		{"UPDATE alias", `UPDATE "Users" t SET a = 3 WHERE pk = 'x'`, nil, "ValidationException", "Aliasing is not supported"},
		{"DELETE alias", `DELETE FROM "Users" t WHERE pk = 'x'`, nil, "ValidationException", "Aliasing is not supported"},
		{"INSERT alias", `INSERT INTO "Users" t VALUE {'pk': 'x'}`, nil, "ValidationException", malformed + "Unexpected token after expression"},
		{"LIMIT", `SELECT * FROM Users LIMIT 1`, nil, "ValidationException", "Unsupported clause: LIMIT"},
		{"GROUP BY", `SELECT * FROM Users GROUP BY pk`, nil, "ValidationException", "Unsupported clause: GROUP BY"},
		{"DISTINCT", `SELECT DISTINCT pk FROM Users`, nil, "ValidationException", "Unsupported token in expression: DISTINCT"},
		{"COUNT", `SELECT COUNT(*) FROM "Users"`, nil, "ValidationException", "Unexpected path component at 1:8:5"},
		{"COUNT after a column", `SELECT pk, count(*) FROM "Users"`, nil, "ValidationException", "Unexpected path component at 1:12:5"},
		{"COUNT on a table that does not exist", `SELECT COUNT(*) FROM "NoSuchTable"`, nil, "ValidationException", "Unexpected path component at 1:8:5"},
		{"star and names", `SELECT *, pk FROM Users`, nil, "ValidationException", "Other attributes should not be present in the projection when '*' is used."},
		{"duplicate names", `SELECT Info.label, label FROM Music`, nil, "ValidationException", "Duplicate identifiers in select clause: label"},
		{"join", `SELECT * FROM Users, Music`, nil, "ValidationException", "Only select from a single table or index is supported."},
		{"three-part source", `SELECT * FROM "Music"."ByYear"."x"`, nil, "ValidationException", "A path may contain at most 2 components in the FROM clause"},
		{"LIKE", `SELECT * FROM Users WHERE pk LIKE 'a%'`, nil, "ValidationException", "Unsupported operator in Condition Expression. Operator: like"},
		{"arithmetic in WHERE", `SELECT * FROM Users WHERE n + 1 = 2`, nil, "ValidationException", "Unsupported operator in Condition Expression. Operator: +"},
		{"unknown function", `SELECT * FROM Users WHERE foo(pk)`, nil, "ValidationException", "Unrecognized function: foo"},
		{"WHERE that is no condition", `SELECT * FROM Users WHERE pk`, nil, "ValidationException", "WHERE clause must contain an expression that resolves to a boolean"},
		{"NOT of a term", `SELECT * FROM Users WHERE NOT pk`, nil, "ValidationException", "The argument to NOT must be a Type or Expression"},
		{"AND of a term", `SELECT * FROM Users WHERE pk = 'a' AND 1`, nil, "ValidationException", "The arguments to AND/OR must be Expressions"},
		{"MISSING compared with =", `SELECT * FROM Users WHERE a = MISSING`, nil, "ValidationException", "MISSING must be compared using IS operator"},
		{"IS of an unsupported type", `SELECT * FROM Users WHERE a IS INT`, nil, "ValidationException", "Unsupported data type for IS operator: INTEGER."},
		{"IN without a list", `SELECT * FROM Users WHERE pk IN 'a'`, nil, "ValidationException", "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member"},
		{"IN with an empty list", `SELECT * FROM Users WHERE pk IN []`, nil, "ValidationException", "IN operator must have a left hand argument"},
		{"UPSERT", `UPSERT INTO Users VALUE {'pk': 'a'}`, nil, "ValidationException", "Unsupported operation: UPSERT"},
		{"EXISTS outside a transaction", `EXISTS(SELECT * FROM Users WHERE pk = 'a' AND x = 1)`, nil, "ValidationException", "EXISTS can only be used in ExecuteTransaction write requests."},
		{"several items", `INSERT INTO Users VALUES ('a')`, nil, "ValidationException", `Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead`},
		{"INSERT of a list", `INSERT INTO Users VALUE ['a']`, nil, "ValidationException", "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement."},
		{"INSERT RETURNING", `INSERT INTO Users VALUE {'pk': 'a'} RETURNING ALL OLD *`, nil, "ValidationException", "RETURNING is not supported in INSERT"},
		{"DELETE RETURNING MODIFIED", `DELETE FROM Users WHERE pk = 'a' RETURNING MODIFIED OLD *`, nil, "ValidationException", "Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements."},
		{"RETURNING a name", `UPDATE Users SET a = 1 WHERE pk = 'a' RETURNING ALL NEW a`, nil, "ValidationException", "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause"},
		{"ADD clause", `UPDATE Users SET a = 1 ADD b 1 WHERE pk = 'a'`, nil, "ValidationException", "Only SET and REMOVE are supported in update expressions at this time"},
		{"wildcard path", `SELECT * FROM Users WHERE a[*].b = 1`, nil, "ValidationException", "Wildcard path component like a[*].b are not supported"},
		{"unpivot path", `SELECT * FROM Users WHERE a.*.b = 1`, nil, "ValidationException", "Unpivot path component like a.*.b are not supported"},
		{"DML on an index", `UPDATE "Music"."ByYear" SET a = 1 WHERE "Year" = 1`, nil, "ValidationException", "FROM clause may only contain a single table name in data manipulation statements"},

		// The key of writes.
		{"UPDATE without the sort key", `UPDATE Music SET X = 1 WHERE Artist = 'Acme Band'`, nil, "ValidationException", "Where clause does not contain a mandatory equality on all key attributes"},
		{"UPDATE without WHERE", `UPDATE Music SET X = 1`, nil, "ValidationException", "Where clause does not contain a mandatory equality on all key attributes"},
		{"DELETE by a range", `DELETE FROM Users WHERE pk > 'a'`, nil, "ValidationException", "Where clause does not contain a mandatory equality on all key attributes"},
		{"DELETE by a key in an OR", `DELETE FROM Users WHERE pk = 'a' OR pk = 'b'`, nil, "ValidationException", "Where clause does not contain a mandatory equality on all key attributes"},
		{"FROM form without WHERE", `FROM "Users" SET c = 1`, nil, "ValidationException", "Where clause does not contain a mandatory equality on all key attributes"},
		{"FROM form with WHERE last", `FROM "Users" SET c = 1 WHERE pk = 'x'`, nil, "ValidationException", malformed + "Unexpected token after expression"},
		{"two values for one key", `DELETE FROM Users WHERE pk = 'a' AND pk = 'b'`, nil, "ValidationException", "Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported"},
		{"key of the wrong type", `DELETE FROM Users WHERE pk = 1`, nil, "ValidationException", "Key attribute's data type should match its data type in table's schema: Key pk"},
		{"key that is no scalar", `DELETE FROM Users WHERE pk = [1]`, nil, "ValidationException", "Key value must be of type S, N, or B. Key name: pk, Key type: L"},
		{"INSERT without the key", `INSERT INTO Music VALUE {'Artist': 'a'}`, nil, "ValidationException", "Key attribute should be present in the item: Key SongTitle"},
		{"INSERT key of the wrong type", `INSERT INTO Users VALUE {'pk': 1}`, nil, "ValidationException", "Key attribute's data type should match its data type in table's schema: Key pk"},
		{"update of a key attribute", `UPDATE Users SET pk = 'b' WHERE pk = 'a'`, nil, "ValidationException", "Cannot update attribute pk. This attribute is part of the key"},
		{"set_add with one argument", `UPDATE Users SET s = set_add(s) WHERE pk = 'a'`, nil, "ValidationException", "SET_ADD must have exactly two arguments"},
		{"set_add of another path", `UPDATE Users SET s = set_add(t, <<'a'>>) WHERE pk = 'a'`, nil, "ValidationException", "The first argument to SET_ADD must equal the assignment value"},
		{"set_delete of a list", `UPDATE Users SET s = set_delete(s, ['a']) WHERE pk = 'a'`, nil, "ValidationException", "The second argument to SET_DELETE must be a value with type SET"},
		{"comparison in SET", `UPDATE Users SET s = a = 1 WHERE pk = 'a'`, nil, "ValidationException", "Unsupported operator in Update Expression. Operator: ="},
		{"IS in SET", `UPDATE Users SET s = a IS MISSING WHERE pk = 'a'`, nil, "ValidationException", "IS operator is not supported in update expressions"},
		{"multiplication in SET", `UPDATE Users SET s = a * 2 WHERE pk = 'a'`, nil, "ValidationException", "Unsupported operator in Update Expression. Operator: *"},

		// Literals and parameters.
		{"number above the range", `SELECT * FROM Music WHERE Plays = 1e126`, nil, "ValidationException", "Number overflow. Attempting to store a number with magnitude larger than supported range under root"},
		{"number below the range", `SELECT * FROM Music WHERE Plays = 1e-131`, nil, "ValidationException", "Number underflow. Attempting to store a number with magnitude smaller than supported range under root"},
		{"39 digits", `SELECT * FROM Music WHERE Plays = 123456789012345678901234567890123456789`, nil, "ValidationException", "Attempting to store more than 38 significant digits in a Number under root"},
		{"number inside a map", `INSERT INTO Users VALUE {'pk': 'a', 'm': {'x': 1e126}}`, nil, "ValidationException", "Number overflow. Attempting to store a number with magnitude larger than supported range under root.x"},
		{"number inside a list", `INSERT INTO Users VALUE {'pk': 'a', 'l': [1, 1e126]}`, nil, "ValidationException", "Number overflow. Attempting to store a number with magnitude larger than supported range under root[1]"},
		{"number in a map of a SET", `UPDATE Users SET m = {'a': {'b': 1e-131}} WHERE pk = 'a'`, nil, "ValidationException", "Number underflow. Attempting to store a number with magnitude smaller than supported range under root.a.b"},
		{"empty bag", `INSERT INTO Users VALUE {'pk': 'a', 's': <<>>}`, nil, "ValidationException", "Empty bags are not supported"},
		{"bag of two types", `INSERT INTO Users VALUE {'pk': 'a', 's': <<1, 'a'>>}`, nil, "ValidationException", "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"},
		{"bag with a parameter", `INSERT INTO Users VALUE {'pk': 'a', 's': <<?>>}`, []AttributeValue{S("x")}, "ValidationException", "Unsupported data type in Bag"},
		{"bag with duplicates", `INSERT INTO Users VALUE {'pk': 'a', 's': <<1, 1.0>>}`, nil, "ValidationException", "Input collection contains duplicates"},
		{"struct key that is no string", `INSERT INTO Users VALUE {'pk': 'a', 'm': {1: 2}}`, nil, "ValidationException", "Tuple keys must be of type String. Actual type: INT under root"},
		{"duplicate struct keys", `INSERT INTO Users VALUE {'pk': 'a', 'pk': 'b'}`, nil, "ValidationException", "Duplicate keys in tuple. Key: pk under root"},
		{"too few parameters", `SELECT * FROM Users WHERE pk = ? AND x = ?`, []AttributeValue{S("a")}, "ValidationException", "Number of parameters in request and statement don't match."},
		{"no parameters", `SELECT * FROM Users WHERE pk = ?`, nil, "ValidationException", "Number of parameters in request and statement don't match."},
		{"empty parameter list", `SELECT * FROM Users WHERE pk = ?`, []AttributeValue{}, "ValidationException", "Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"invalid parameter", `SELECT * FROM Users WHERE pk = ?`, []AttributeValue{SS{}}, "ValidationException", "An string set  may not be empty"},
		{"empty path component", `SELECT * FROM Users WHERE "" = 1`, nil, "ValidationException", "Path component cannot be an empty string"},

		// Tables, indexes, keys and plans.
		{"table that does not exist", `SELECT * FROM "Nope"`, nil, "ResourceNotFoundException", "Requested resource not found"},
		{"table name too short", `SELECT * FROM "ab"`, nil, "ValidationException", "Table name should be within the length [3, 255]"},
		{"index that does not exist", `SELECT * FROM "Music"."Nope"`, nil, "ValidationException", "The table does not have the specified index: Nope"},
		{"key condition of the wrong type", `SELECT * FROM Music WHERE Artist = 1`, nil, "ValidationException", "Key attribute's data type should match its data type in table's schema: Key Artist"},
		{"sort key condition of the wrong type", `SELECT * FROM Music WHERE Artist = 'a' AND SongTitle > 1`, nil, "ValidationException", "Key attribute's data type should match its data type in table's schema: Key SongTitle"},
		{"overlapping IN values", `SELECT * FROM Users WHERE pk IN ['a', 'a']`, nil, "ValidationException", "Overlapping conditions with range keys are not supported in where clause"},
		{"overlapping OR branches", `SELECT * FROM Music WHERE Artist = 'a' AND Plays = 1 OR Artist = 'a' AND SongTitle = '2'`, nil, "ValidationException", "Overlapping conditions with range keys are not supported in where clause"},
		{"overlapping sort ranges", `SELECT * FROM Music WHERE Artist = 'a' AND (SongTitle > '0' OR SongTitle < '5')`, nil, "ValidationException", "Overlapping conditions with range keys are not supported in where clause"},
		{"too many partitions", `SELECT * FROM Users WHERE pk IN [` + inList(51) + `]`, nil, "ValidationException", "Too many decomposed read operations for a given query."},
		{"ORDER BY without WHERE", `SELECT * FROM Music ORDER BY Artist`, nil, "ValidationException", "Must have WHERE clause in the statement when using ORDER BY clause."},
		{"ORDER BY of a scan", `SELECT * FROM Music WHERE Plays = 1 ORDER BY Artist`, nil, "ValidationException", "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."},
		{"ORDER BY a non-key", `SELECT * FROM Music WHERE Artist = 'a' ORDER BY Plays`, nil, "ValidationException", "Variable reference Plays in ORDER BY clause must be part of the primary key"},
		{"ORDER BY a literal", `SELECT * FROM Music WHERE Artist = 'a' ORDER BY 1`, nil, "ValidationException", "Argument to ORDER BY must be of type VariableReference. Type: Literal"},
		{"ORDER BY partitions without the hash key", `SELECT * FROM Music WHERE Artist IN ['a', 'b'] ORDER BY SongTitle`, nil, "ValidationException", "Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause."},
		{"consistent read of a global index", `SELECT * FROM "Music"."ByYear" WHERE "Year" = 2019`, nil, "ValidationException", "Strongly consistent read is not supported on Global Secondary Indexes"},
		{"NextToken of a write", `DELETE FROM Users WHERE pk = 'a'`, nil, "ValidationException", "Invalid NextToken"},
		{"NextToken that is not one", `SELECT * FROM Users`, nil, "ValidationException", "Invalid NextToken"},
		{"BETWEEN on the sort key upside down", `SELECT * FROM Music WHERE Artist = 'a' AND SongTitle BETWEEN 'z' AND 'a'`, nil, "ValidationException", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := &ExecuteStatementInput{Statement: c.stmt, Parameters: c.params}
			switch c.name {
			case "consistent read of a global index":
				in.ConsistentRead = true
			case "NextToken of a write", "NextToken that is not one":
				in.NextToken = "not-a-token"
			}
			_, err := db.ExecuteStatement(context.Background(), in)
			wantCode(t, err, c.code, c.msg)
		})
	}
}

// inList returns n distinct string literals separated by commas.
func inList(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("'k%d'", i)
	}
	return strings.Join(parts, ", ")
}
