package dynamo

import (
	"context"
	"errors"
	"testing"
)

// The PartiQL fuzz targets check that no statement, however malformed,
// panics the parser, the planner or the operations it runs, that every
// parse error is a ValidationException, and that every error of a run is
// an *Error with an AWS code. Seed corpora live in
// testdata/fuzz/FuzzPartiQLParse and testdata/fuzz/FuzzPartiQLExecute.

var partiqlSeeds = []string{
	`SELECT * FROM "Music" WHERE Artist = 'Acme Band' AND SongTitle > ?`,
	`SELECT a.b[1], "c d" FROM Music WHERE Artist IN ['x', 'y'] ORDER BY Artist DESC`,
	`SELECT * FROM "Music"."ByYear" WHERE "Year" BETWEEN 1 AND 2 OR begins_with(SongTitle, 'A')`,
	`INSERT INTO Users VALUE {'pk': ?, 'l': [1, 'a', <<1, 2>>], 'm': {'k': NULL, 'b': TRUE}}`,
	`UPDATE Users SET a = a + 1, b = list_append(b, [1]) REMOVE c WHERE pk = 'x' AND d IS NOT MISSING RETURNING ALL NEW *`,
	`UPDATE Users SET s = set_add(s, <<'x'>>) WHERE pk = ? AND size(s) < 3`,
	`DELETE FROM Users WHERE pk = 'x' AND NOT (a = 1 OR b <> 2) RETURNING ALL OLD *`,
	`FROM "Users" WHERE pk = 'x' SET a = 1`,
	`EXISTS(SELECT * FROM Users WHERE pk = 'x' AND a IS STRING)`,
	`select * from Users where pk = 'it''s' -- comment`,
	`SELECT COUNT(*) FROM Users LIMIT 1`,
	`SELECT * FROM Users WHERE a = 1e999999999999`,
	`SELECT * FROM Users WHERE ((((a = 1))))`,
	`SELECT * FROM Users WHERE a IN (1, 2, ?) AND b LIKE 'x%' /* c */;`,
	`SELECT * FROM Users WHERE -a = - -1 || 'x'`,
	`INSERT INTO Users VALUE {'pk': 'a', 'pk': 'b'}`,
	"SELECT * FROM Users WHERE a = `ion`",
	`SELECT * FROM Users WHERE pk = 'a' AND`,
}

func FuzzPartiQLParse(f *testing.F) {
	for _, s := range partiqlSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, stmt string) {
		st, err := parsePartiQL(stmt)
		if err != nil {
			if !errors.Is(err, ErrValidation) {
				t.Fatalf("parsePartiQL(%q) returned %v, not a ValidationException", stmt, err)
			}
			return
		}
		if st.where != nil {
			if _, err := newPqlBuilder(nil).where(st.where); err != nil && !errors.Is(err, ErrValidation) {
				t.Fatalf("rendering the WHERE of %q returned %v, not a ValidationException", stmt, err)
			}
		}
	})
}

func FuzzPartiQLExecute(f *testing.F) {
	for _, s := range partiqlSeeds {
		f.Add(s)
	}
	db := musicDB(f)
	songs(f, db)
	params := []AttributeValue{S("Acme Band"), N("1"), SS{"x"}}
	f.Fuzz(func(t *testing.T, stmt string) {
		ctx := context.Background()
		check := func(op string, err error) {
			var e *Error
			if err != nil && (!errors.As(err, &e) || e.Code == "") {
				t.Fatalf("%s(%q) returned %v, not an AWS error", op, stmt, err)
			}
		}
		out, err := db.ExecuteStatement(ctx, &ExecuteStatementInput{Statement: stmt, Parameters: params, Limit: 2})
		check("ExecuteStatement", err)
		if err == nil && out.NextToken != "" {
			_, err = db.ExecuteStatement(ctx, &ExecuteStatementInput{Statement: stmt, Parameters: params, Limit: 2, NextToken: out.NextToken})
			check("ExecuteStatement with NextToken", err)
		}
		_, err = db.BatchExecuteStatement(ctx, &BatchExecuteStatementInput{Statements: []BatchStatementRequest{{Statement: stmt, Parameters: params}}})
		check("BatchExecuteStatement", err)
		_, err = db.ExecuteTransaction(ctx, &ExecuteTransactionInput{TransactStatements: []ParameterizedStatement{{Statement: stmt, Parameters: params}}})
		check("ExecuteTransaction", err)
	})
}
