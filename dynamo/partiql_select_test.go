package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// users puts n items u00, u01, ... into Users, each with a padding
// attribute of pad bytes.
func users(t testing.TB, db *DB, n, pad int) {
	t.Helper()
	for i := 0; i < n; i++ {
		it := Item{"pk": S(fmt.Sprintf("u%02d", i)), "n": N(fmt.Sprint(i))}
		if pad > 0 {
			it["pad"] = S(strings.Repeat("x", pad))
		}
		if _, err := db.PutItem(context.Background(), &PutItemInput{TableName: "Users", Item: it}); err != nil {
			t.Fatal(err)
		}
	}
}

// page is one page of a paginated SELECT.
type page struct {
	keys      []string
	nextToken bool
	lek       bool
}

// paginate reads a SELECT to its end, page by page.
func paginate(t testing.TB, db *DB, in ExecuteStatementInput) []page {
	t.Helper()
	var pages []page
	for {
		out, err := db.ExecuteStatement(context.Background(), &in)
		if err != nil {
			t.Fatalf("page %d of %s: %v", len(pages)+1, in.Statement, err)
		}
		var p page
		for _, it := range out.Items {
			p.keys = append(p.keys, string(it["pk"].(S)))
		}
		p.nextToken, p.lek = out.NextToken != "", out.LastEvaluatedKey != nil
		pages = append(pages, p)
		if out.NextToken == "" {
			return pages
		}
		if len(pages) > 100 {
			t.Fatal("the SELECT did not end")
		}
		in.NextToken = out.NextToken
	}
}

func allKeys(pages []page) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p.keys...)
	}
	slices.Sort(out)
	return out
}

func sizes(pages []page) []int {
	var out []int
	for _, p := range pages {
		out = append(out, len(p.keys))
	}
	return out
}

func keysFrom(lo, hi int) []string {
	var out []string
	for i := lo; i < hi; i++ {
		out = append(out, fmt.Sprintf("u%02d", i))
	}
	return out
}

func TestPartiQLSelect_Paging(t *testing.T) {
	db := musicDB(t)
	users(t, db, 12, 0)
	in12 := "SELECT * FROM Users WHERE pk IN [" + quotedKeys(0, 12) + "]"
	cases := []struct {
		name  string
		in    ExecuteStatementInput
		sizes []int
		keys  []string
	}{
		{"a scan with Limit stops at Limit and continues",
			ExecuteStatementInput{Statement: "SELECT * FROM Users", Limit: 5}, []int{5, 5, 2}, keysFrom(0, 12)},
		{"Limit counts items read before the filter",
			ExecuteStatementInput{Statement: "SELECT * FROM Users WHERE n >= 10", Limit: 4}, []int{-1, -1, -1, 0}, []string{"u10", "u11"}},
		{"a scan that stops exactly at Limit offers one more page",
			ExecuteStatementInput{Statement: "SELECT * FROM Users", Limit: 12}, []int{12, 0}, keysFrom(0, 12)},
		{"a SELECT of more than 10 partitions reads 10 a page",
			ExecuteStatementInput{Statement: in12}, []int{10, 2}, keysFrom(0, 12)},
		{"Limit spans partitions",
			ExecuteStatementInput{Statement: "SELECT * FROM Users WHERE pk IN ['u00', 'u01', 'u02']", Limit: 2}, []int{2, 1}, keysFrom(0, 3)},
		{"parameters stay with the token",
			ExecuteStatementInput{Statement: "SELECT * FROM Users WHERE n < ?", Parameters: []AttributeValue{N("3")}, Limit: 6}, []int{-1, -1, 0}, keysFrom(0, 3)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pages := paginate(t, db, c.in)
			if diff := cmp.Diff(c.keys, allKeys(pages)); diff != "" {
				t.Fatalf("items over all pages (-want +got):\n%s", diff)
			}
			if len(pages) != len(c.sizes) {
				t.Fatalf("%d pages %v, want %d", len(pages), sizes(pages), len(c.sizes))
			}
			for i, want := range c.sizes {
				if want >= 0 && len(pages[i].keys) != want {
					t.Fatalf("page sizes %v, want %v", sizes(pages), c.sizes)
				}
			}
		})
	}
}

func quotedKeys(lo, hi int) string {
	var parts []string
	for _, k := range keysFrom(lo, hi) {
		parts = append(parts, "'"+k+"'")
	}
	return strings.Join(parts, ", ")
}

func TestPartiQLSelect_PagingWithinAPartition(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	in := ExecuteStatementInput{Statement: `SELECT * FROM Music WHERE Artist = 'Acme Band'`, Limit: 2}
	out, err := db.ExecuteStatement(context.Background(), &in)
	if err != nil {
		t.Fatal(err)
	}
	want := Item{"Artist": S("Acme Band"), "SongTitle": S("Beta")}
	if diff := cmp.Diff(want, out.LastEvaluatedKey); diff != "" {
		t.Fatalf("LastEvaluatedKey (-want +got):\n%s", diff)
	}
	in.NextToken = out.NextToken
	out, err = db.ExecuteStatement(context.Background(), &in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Gamma"}, titles(out.Items)); diff != "" || out.NextToken != "" {
		t.Fatalf("second page %v (token %q), want Gamma and no token", titles(out.Items), out.NextToken)
	}
}

func TestPartiQLSelect_OneMegabytePage(t *testing.T) {
	db := musicDB(t)
	users(t, db, 30, 100*1024)
	pages := paginate(t, db, ExecuteStatementInput{Statement: `SELECT pk FROM Users`})
	if diff := cmp.Diff(keysFrom(0, 30), allKeys(pages)); diff != "" {
		t.Fatalf("items over all pages (-want +got):\n%s", diff)
	}
	// Items of about 100 KB: a page stops once it has read 1 MB, so at
	// the 11th item, whatever the projection returns.
	if got := sizes(pages); !slices.Equal(got, []int{11, 11, 8}) {
		t.Fatalf("page sizes %v, want [11 11 8]", got)
	}
}

func TestPartiQLSelect_NextTokenBelongsToItsRequest(t *testing.T) {
	db := musicDB(t)
	users(t, db, 5, 0)
	ctx := context.Background()
	first, err := db.ExecuteStatement(ctx, &ExecuteStatementInput{Statement: "SELECT * FROM Users WHERE n < ?", Parameters: []AttributeValue{N("9")}, Limit: 1})
	if err != nil || first.NextToken == "" {
		t.Fatalf("first page: %v, token %q", err, first.NextToken)
	}
	cases := []struct {
		name string
		in   ExecuteStatementInput
		msg  string
	}{
		{"another statement", ExecuteStatementInput{Statement: "SELECT * FROM Users", NextToken: first.NextToken}, "NextToken does not match request"},
		{"other parameters", ExecuteStatementInput{Statement: "SELECT * FROM Users WHERE n < ?", Parameters: []AttributeValue{N("8")}, NextToken: first.NextToken}, "NextToken does not match request"},
		{"a token that is not one", ExecuteStatementInput{Statement: "SELECT * FROM Users", NextToken: "!!!"}, "Invalid NextToken"},
		{"a truncated token", ExecuteStatementInput{Statement: "SELECT * FROM Users WHERE n < ?", Parameters: []AttributeValue{N("9")}, NextToken: first.NextToken[:len(first.NextToken)-2]}, "Invalid NextToken"},
		{"a token too long", ExecuteStatementInput{Statement: "SELECT * FROM Users", NextToken: strings.Repeat("a", 32769)}, "Member must have length less than or equal to 32768"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.ExecuteStatement(ctx, &c.in)
			wantCode(t, err, "ValidationException", c.msg)
		})
	}
}

func TestPartiQLSelect_FullTableScanIsTheCallersToDeny(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	denied := WithFullTableScansDenied(context.Background())
	cases := []struct {
		name     string
		stmt     string
		resource string // "" when the statement is allowed
	}{
		{"no WHERE scans", `SELECT * FROM Music`, "table/Music"},
		{"a filter scans", `SELECT * FROM Music WHERE Plays > 1`, "table/Music"},
		{"a partition key range scans", `SELECT * FROM Music WHERE Artist >= 'A'`, "table/Music"},
		{"an OR with a branch that is no key scans", `SELECT * FROM Music WHERE Artist = 'a' OR Plays = 1`, "table/Music"},
		{"an index scan", `SELECT * FROM "Music"."ByYear" WHERE Plays = 1`, "table/Music/index/ByYear"},
		{"= on the partition key queries", `SELECT * FROM Music WHERE Artist = 'Acme Band' AND Plays > 1`, ""},
		{"IN on the partition key queries", `SELECT * FROM Music WHERE Artist IN ['Acme Band', 'Beta Band']`, ""},
		{"OR of partition keys queries", `SELECT * FROM Music WHERE Artist = 'Acme Band' OR Artist = 'Beta Band'`, ""},
		{"an index query", `SELECT * FROM "Music"."ByYear" WHERE "Year" = 2020`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := db.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: c.stmt}); err != nil {
				t.Fatalf("without a policy: %v", err)
			}
			_, err := db.ExecuteStatement(denied, &ExecuteStatementInput{Statement: c.stmt})
			if c.resource == "" {
				if err != nil {
					t.Fatalf("a statement that reads by key was refused: %v", err)
				}
				return
			}
			wantCode(t, err, "AccessDeniedException", "is not authorized to perform: dynamodb:PartiQLSelect on resource: arn:aws:dynamodb:us-east-1:123456789012:"+c.resource+" with an explicit deny")
			if !errors.Is(err, ErrAccessDenied) {
				t.Fatalf("errors.Is(%v, ErrAccessDenied) is false", err)
			}
		})
	}
}

func TestPartiQL_ConsumedCapacity(t *testing.T) {
	db := musicDB(t)
	ctx := context.Background()
	users(t, db, 3, 0)
	cases := []struct {
		name       string
		stmt       string
		consistent bool
		want       float64
	}{
		{"a SELECT by key is a Query: half a unit", `SELECT * FROM Users WHERE pk = 'u00'`, false, 0.5},
		{"strongly consistent: one unit", `SELECT * FROM Users WHERE pk = 'u00'`, true, 1},
		{"two partitions: two Queries", `SELECT * FROM Users WHERE pk IN ['u00', 'u01']`, false, 1},
		{"a scan of small items: one page", `SELECT * FROM Users`, false, 0.5},
		{"an INSERT is one write", `INSERT INTO Users VALUE {'pk': 'new'}`, false, 1},
		{"an UPDATE is one write", `UPDATE Users SET x = 1 WHERE pk = 'new'`, false, 1},
		{"a DELETE is one write", `DELETE FROM Users WHERE pk = 'new'`, false, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := db.ExecuteStatement(ctx, &ExecuteStatementInput{Statement: c.stmt, ConsistentRead: c.consistent, ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
			if err != nil {
				t.Fatal(err)
			}
			if out.ConsumedCapacity == nil || out.ConsumedCapacity.TableName != "Users" || out.ConsumedCapacity.CapacityUnits != c.want {
				t.Fatalf("ConsumedCapacity %+v, want %v units on Users", out.ConsumedCapacity, c.want)
			}
		})
	}
	out, err := db.ExecuteStatement(ctx, &ExecuteStatementInput{Statement: `SELECT * FROM Users WHERE pk = 'u00'`})
	if err != nil || out.ConsumedCapacity != nil {
		t.Fatalf("ConsumedCapacity %+v without ReturnConsumedCapacity (err %v)", out.ConsumedCapacity, err)
	}
	_, err = db.ExecuteStatement(ctx, &ExecuteStatementInput{Statement: `SELECT * FROM Users`, ReturnConsumedCapacity: "ALL"})
	wantCode(t, err, "ValidationException", "returnConsumedCapacity")
}

func TestPartiQL_InputValidation(t *testing.T) {
	db := musicDB(t)
	ctx := context.Background()
	cases := []struct {
		name string
		in   *ExecuteStatementInput
		msg  string
	}{
		{"nil input", nil, "Value null at 'statement'"},
		{"negative Limit", &ExecuteStatementInput{Statement: "SELECT * FROM Users", Limit: -1}, "Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"bad ReturnValuesOnConditionCheckFailure", &ExecuteStatementInput{Statement: "SELECT * FROM Users", ReturnValuesOnConditionCheckFailure: "ALL_NEW"}, "returnValuesOnConditionCheckFailure"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.ExecuteStatement(ctx, c.in)
			wantCode(t, err, "ValidationException", c.msg)
		})
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.ExecuteStatement(cctx, &ExecuteStatementInput{Statement: "SELECT * FROM Users"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled context gave %v", err)
	}
}

// Too many parameters are accepted, as DynamoDB accepts them.
func TestPartiQL_ExtraParametersAreIgnored(t *testing.T) {
	db := musicDB(t)
	users(t, db, 2, 0)
	out := run(t, db, "SELECT * FROM Users WHERE pk = ?", S("u01"), S("extra"))
	if len(out.Items) != 1 || out.Items[0]["pk"] != S("u01") {
		t.Fatalf("items %v", out.Items)
	}
}

// A SELECT that fixes the partition key reads that partition only; one
// that does not reads the whole table, and is charged for it.
func TestPartiQLSelect_KeyReadsOnlyItsPartition(t *testing.T) {
	db := musicDB(t)
	users(t, db, 12, 3000)
	cases := []struct {
		stmt  string
		units float64
	}{
		{`SELECT * FROM Users WHERE pk = 'u05'`, 0.5},
		{`SELECT * FROM Users WHERE pk IN ['u05', 'u06']`, 1},
		{`SELECT * FROM Users WHERE n = 5`, 4.5},
	}
	for _, c := range cases {
		out, err := db.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: c.stmt, ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
		if err != nil {
			t.Fatal(err)
		}
		if got := out.ConsumedCapacity.CapacityUnits; got != c.units {
			t.Errorf("%s consumed %v units, want %v", c.stmt, got, c.units)
		}
	}
}
