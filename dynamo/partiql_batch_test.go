package dynamo

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func stmts(ss ...string) []BatchStatementRequest {
	out := make([]BatchStatementRequest, len(ss))
	for i, s := range ss {
		out[i].Statement = s
	}
	return out
}

func TestBatchExecuteStatement_Reads(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	in := &BatchExecuteStatementInput{Statements: stmts(
		`SELECT * FROM Music WHERE Artist = 'Beta Band' AND SongTitle = 'Delta'`,
		`SELECT Plays, Info.label FROM Music WHERE Artist = ? AND SongTitle = ?`,
		`SELECT * FROM Music WHERE Artist = 'Nobody' AND SongTitle = 'None'`,
		`SLECT * FROM Music`,
		`SELECT * FROM Music WHERE Artist = 'Acme Band'`,
		`SELECT * FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'Beta' AND Plays = 1`,
		`SELECT * FROM Nope WHERE pk = 'a'`,
		`SELECT * FROM "Music"."ByYear" WHERE "Year" = 2019`,
	), ReturnConsumedCapacity: ReturnConsumedCapacityTotal}
	in.Statements[1].Parameters = []AttributeValue{S("Acme Band"), S("Gamma")}
	in.Statements[1].ConsistentRead = true
	out, err := db.BatchExecuteStatement(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := []BatchStatementResponse{
		{TableName: "Music", Item: Item{"Artist": S("Beta Band"), "SongTitle": S("Delta"), "Year": N("2020"), "Plays": N("5")}},
		{TableName: "Music", Item: Item{"label": S("Acme")}},
		{TableName: "Music"},
		{Error: &BatchStatementError{Code: BatchStatementErrorValidationError, Message: "Statement wasn't well formed, can't be processed: Expected data manipulation"}},
		{Error: &BatchStatementError{Code: BatchStatementErrorValidationError, Message: "Only single item select is supported"}},
		{Error: &BatchStatementError{Code: BatchStatementErrorValidationError, Message: "Only single item select is supported"}},
		{Error: &BatchStatementError{Code: BatchStatementErrorResourceNotFound, Message: "Requested resource not found"}},
		{Error: &BatchStatementError{Code: BatchStatementErrorValidationError, Message: "Only single item select is supported"}},
	}
	if diff := cmp.Diff(want, out.Responses); diff != "" {
		t.Fatalf("responses (-want +got):\n%s", diff)
	}
	// Three GetItems: two eventually consistent (half a unit each) and one
	// strongly consistent.
	if diff := cmp.Diff([]ConsumedCapacity{{TableName: "Music", CapacityUnits: 2}}, out.ConsumedCapacity); diff != "" {
		t.Fatalf("ConsumedCapacity (-want +got):\n%s", diff)
	}
}

func TestBatchExecuteStatement_Writes(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	ctx := context.Background()
	in := &BatchExecuteStatementInput{Statements: stmts(
		`INSERT INTO Users VALUE {'pk': 'a', 'n': 1}`,
		`INSERT INTO Music VALUE {'Artist': 'Acme Band', 'SongTitle': 'Alpha'}`,
		`UPDATE Music SET Plays = 0 WHERE Artist = 'Beta Band' AND SongTitle = 'Delta' AND Plays > 100`,
		`UPDATE Music SET Plays = Plays + 1 WHERE Artist = 'Acme Band' AND SongTitle = 'Beta' RETURNING MODIFIED NEW *`,
		`DELETE FROM Music WHERE Artist = 'Gamma Trio' AND SongTitle = 'Zeta'`,
		`DELETE FROM Nope WHERE pk = 'a'`,
		`UPDATE Music SET X = 1 WHERE Artist = 'Acme Band'`,
	)}
	in.Statements[2].ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailureAllOld
	out, err := db.BatchExecuteStatement(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := []BatchStatementResponse{
		{TableName: "Users"},
		{Error: &BatchStatementError{Code: BatchStatementErrorDuplicateItem, Message: "Duplicate primary key exists in table"}},
		{Error: &BatchStatementError{Code: BatchStatementErrorConditionalCheckFailed, Message: "The conditional request failed",
			Item: Item{"Artist": S("Beta Band"), "SongTitle": S("Delta"), "Year": N("2020"), "Plays": N("5")}}},
		{TableName: "Music", Item: Item{"Plays": N("26")}},
		{TableName: "Music"},
		{Error: &BatchStatementError{Code: BatchStatementErrorResourceNotFound, Message: "Requested resource not found"}},
		{Error: &BatchStatementError{Code: BatchStatementErrorValidationError, Message: "Where clause does not contain a mandatory equality on all key attributes"}},
	}
	if diff := cmp.Diff(want, out.Responses); diff != "" {
		t.Fatalf("responses (-want +got):\n%s", diff)
	}
	if out.ConsumedCapacity != nil {
		t.Fatalf("ConsumedCapacity %v without ReturnConsumedCapacity", out.ConsumedCapacity)
	}
	got, _ := db.GetItem(ctx, &GetItemInput{TableName: "Users", Key: Item{"pk": S("a")}})
	if got.Item == nil {
		t.Fatal("the INSERT of the batch was not written")
	}
	got, _ = db.GetItem(ctx, &GetItemInput{TableName: "Music", Key: Item{"Artist": S("Gamma Trio"), "SongTitle": S("Zeta")}})
	if got.Item != nil {
		t.Fatal("the DELETE of the batch did not delete")
	}
}

func TestBatchExecuteStatement_Errors(t *testing.T) {
	db := musicDB(t)
	ctx := context.Background()
	many := make([]string, 26)
	for i := range many {
		many[i] = `SELECT * FROM Users WHERE pk = 'a'`
	}
	cases := []struct {
		name string
		in   *BatchExecuteStatementInput
		msg  string
	}{
		{"no statements", &BatchExecuteStatementInput{}, "Value null at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"26 statements", &BatchExecuteStatementInput{Statements: stmts(many...)}, "Member must have length less than or equal to 25"},
		{"reads and writes", &BatchExecuteStatementInput{Statements: stmts(`SELECT * FROM Users WHERE pk = 'a'`, `INSERT INTO Users VALUE {'pk': 'b'}`)},
			"Read and write requests together in the same batch is not supported."},
		{"two statements on one item", &BatchExecuteStatementInput{Statements: stmts(`INSERT INTO Users VALUE {'pk': 'dup'}`, `UPDATE Users SET x = 1 WHERE pk = 'dup'`)},
			"Provided list of item keys contains duplicates"},
		{"two reads of one item", &BatchExecuteStatementInput{Statements: stmts(`SELECT * FROM Users WHERE pk = 'a'`, `SELECT x FROM Users WHERE pk = 'a'`)},
			"Provided list of item keys contains duplicates"},
		{"an empty statement", &BatchExecuteStatementInput{Statements: stmts(`SELECT * FROM Users WHERE pk = 'a'`, ``)},
			"Value null at 'statements.2.member.statement' failed to satisfy constraint: Member must not be null"},
		{"bad ReturnConsumedCapacity", &BatchExecuteStatementInput{Statements: stmts(`SELECT * FROM Users WHERE pk = 'a'`), ReturnConsumedCapacity: "SOME"},
			"returnConsumedCapacity"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.BatchExecuteStatement(ctx, c.in)
			wantCode(t, err, "ValidationException", c.msg)
		})
	}
	out, err := db.BatchExecuteStatement(ctx, &BatchExecuteStatementInput{Statements: stmts(`EXISTS(SELECT * FROM Users WHERE pk = 'a' AND x = 1)`)})
	if err != nil || out.Responses[0].Error == nil || out.Responses[0].Error.Message != "EXISTS can only be used in ExecuteTransaction write requests." {
		t.Fatalf("EXISTS in a batch: %+v, %v", out, err)
	}
}

func TestExecuteTransaction_Writes(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	ctx := context.Background()
	read := func(table string, key Item) Item {
		out, err := db.GetItem(ctx, &GetItemInput{TableName: table, Key: key})
		if err != nil {
			t.Fatal(err)
		}
		return out.Item
	}
	in := &ExecuteTransactionInput{TransactStatements: []ParameterizedStatement{
		{Statement: `INSERT INTO Users VALUE {'pk': ?, 'balance': 10}`, Parameters: []AttributeValue{S("alice")}},
		{Statement: `UPDATE Music SET Plays = Plays + 1 WHERE Artist = 'Acme Band' AND SongTitle = 'Alpha'`},
		{Statement: `DELETE FROM Music WHERE Artist = 'Gamma Trio' AND SongTitle = 'Zeta'`},
		{Statement: `EXISTS(SELECT * FROM Music WHERE Artist = 'Beta Band' AND SongTitle = 'Delta' AND Plays = 5)`},
	}, ClientRequestToken: "token-1", ReturnConsumedCapacity: ReturnConsumedCapacityTotal}
	out, err := db.ExecuteTransaction(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Responses != nil {
		t.Fatalf("a write transaction returned responses %v", out.Responses)
	}
	if len(out.ConsumedCapacity) != 2 {
		t.Fatalf("ConsumedCapacity %+v, want one entry per table", out.ConsumedCapacity)
	}
	if read("Users", Item{"pk": S("alice")}) == nil || read("Music", Item{"Artist": S("Acme Band"), "SongTitle": S("Alpha")})["Plays"] != N("11") ||
		read("Music", Item{"Artist": S("Gamma Trio"), "SongTitle": S("Zeta")}) != nil {
		t.Fatal("the transaction did not apply every write")
	}
	// The same token and statements succeed again without writing.
	if _, err := db.ExecuteTransaction(ctx, in); err != nil {
		t.Fatalf("repeated transaction: %v", err)
	}
	if got := read("Music", Item{"Artist": S("Acme Band"), "SongTitle": S("Alpha")})["Plays"]; got != N("11") {
		t.Fatalf("the repeated transaction wrote again: Plays = %v", got)
	}
	in.TransactStatements = in.TransactStatements[:1]
	_, err = db.ExecuteTransaction(ctx, in)
	wantCode(t, err, "IdempotentParameterMismatchException", "")
}

func TestExecuteTransaction_Cancellation(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	ctx := context.Background()
	cases := []struct {
		name    string
		stmts   []ParameterizedStatement
		reasons []CancellationReason
	}{
		{"an UPDATE of a missing item", []ParameterizedStatement{
			{Statement: `INSERT INTO Users VALUE {'pk': 'bob'}`},
			{Statement: `UPDATE Music SET X = 1 WHERE Artist = 'Nobody' AND SongTitle = 'None'`},
		}, []CancellationReason{{Code: "None"}, {Code: "ConditionalCheckFailed", Message: "The conditional request failed"}}},
		{"an INSERT of an existing item", []ParameterizedStatement{
			{Statement: `INSERT INTO Music VALUE {'Artist': 'Acme Band', 'SongTitle': 'Alpha'}`},
			{Statement: `INSERT INTO Users VALUE {'pk': 'bob'}`},
		}, []CancellationReason{{Code: "DuplicateItem", Message: "Duplicate primary key exists in table"}, {Code: "None"}}},
		{"a false EXISTS", []ParameterizedStatement{
			{Statement: `INSERT INTO Users VALUE {'pk': 'bob'}`},
			{Statement: `EXISTS(SELECT * FROM Music WHERE Artist = 'Beta Band' AND SongTitle = 'Delta' AND Plays > 100)`,
				ReturnValuesOnConditionCheckFailure: ReturnValuesOnConditionCheckFailureAllOld},
		}, []CancellationReason{{Code: "None"}, {Code: "ConditionalCheckFailed", Message: "The conditional request failed",
			Item: Item{"Artist": S("Beta Band"), "SongTitle": S("Delta"), "Year": N("2020"), "Plays": N("5")}}}},
		{"a key of the wrong type", []ParameterizedStatement{
			{Statement: `INSERT INTO Users VALUE {'pk': 'bob'}`},
			{Statement: `INSERT INTO Users VALUE {'pk': 7}`},
		}, []CancellationReason{{Code: "None"}, {Code: "ValidationError", Message: "Key attribute's data type should match its data type in table's schema: Key pk"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.ExecuteTransaction(ctx, &ExecuteTransactionInput{TransactStatements: c.stmts})
			var tce *TransactionCanceledException
			if !errors.As(err, &tce) {
				t.Fatalf("error %v, want TransactionCanceledException", err)
			}
			if diff := cmp.Diff(c.reasons, tce.CancellationReasons); diff != "" {
				t.Fatalf("CancellationReasons (-want +got):\n%s", diff)
			}
			codes := make([]string, len(c.reasons))
			for i, r := range c.reasons {
				codes[i] = r.Code
			}
			if want := "[" + strings.Join(codes, ", ") + "]"; !strings.HasSuffix(tce.Error(), want) {
				t.Fatalf("message %q does not end in %s", tce.Error(), want)
			}
			out, _ := db.GetItem(ctx, &GetItemInput{TableName: "Users", Key: Item{"pk": S("bob")}})
			if out.Item != nil {
				t.Fatal("a cancelled transaction wrote")
			}
		})
	}
}

func TestExecuteTransaction_Reads(t *testing.T) {
	db := musicDB(t)
	songs(t, db)
	out, err := db.ExecuteTransaction(context.Background(), &ExecuteTransactionInput{TransactStatements: []ParameterizedStatement{
		{Statement: `SELECT Plays FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'Beta'`},
		{Statement: `SELECT * FROM Music WHERE Artist = 'Nobody' AND SongTitle = 'None'`},
		{Statement: `SELECT Info.tracks[0] FROM Music WHERE Artist = ? AND SongTitle = ?`, Parameters: []AttributeValue{S("Acme Band"), S("Gamma")}},
	}, ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatal(err)
	}
	want := []ItemResponse{{Item: Item{"Plays": N("25")}}, {}, {Item: Item{"tracks[0]": S("a")}}}
	if diff := cmp.Diff(want, out.Responses); diff != "" {
		t.Fatalf("responses (-want +got):\n%s", diff)
	}
	// Transactional reads: two units an item, a missing one included.
	if diff := cmp.Diff([]ConsumedCapacity{{TableName: "Music", CapacityUnits: 6, ReadCapacityUnits: 6}}, out.ConsumedCapacity); diff != "" {
		t.Fatalf("ConsumedCapacity (-want +got):\n%s", diff)
	}
}

func TestExecuteTransaction_Errors(t *testing.T) {
	db := musicDB(t)
	ctx := context.Background()
	many := make([]ParameterizedStatement, 101)
	for i := range many {
		many[i].Statement = `DELETE FROM Users WHERE pk = 'a'`
	}
	one := func(s ...string) []ParameterizedStatement {
		out := make([]ParameterizedStatement, len(s))
		for i := range s {
			out[i].Statement = s[i]
		}
		return out
	}
	cases := []struct {
		name string
		in   *ExecuteTransactionInput
		code string
		msg  string
	}{
		{"no statements", &ExecuteTransactionInput{}, "ValidationException", "Value null at 'transactStatements'"},
		{"101 statements", &ExecuteTransactionInput{TransactStatements: many}, "ValidationException", "Member must have length less than or equal to 100"},
		{"a token too long", &ExecuteTransactionInput{TransactStatements: one(`DELETE FROM Users WHERE pk = 'a'`), ClientRequestToken: strings.Repeat("t", 37)},
			"ValidationException", "clientRequestToken"},
		{"reads and writes", &ExecuteTransactionInput{TransactStatements: one(`SELECT * FROM Users WHERE pk = 'a'`, `DELETE FROM Users WHERE pk = 'b'`)},
			"ValidationException", "ExecuteTransaction API does not support both read and write operations in the same request."},
		{"a syntax error names its statement", &ExecuteTransactionInput{TransactStatements: one(`DELETE FROM Users WHERE pk = 'a'`, `SELECT * FROM "Users" WHERE`)},
			"ValidationException", "Validation failed in TransactStatements[1]: Statement wasn't well formed, can't be processed: Unexpected term"},
		{"RETURNING", &ExecuteTransactionInput{TransactStatements: one(`DELETE FROM Users WHERE pk = 'a'`, `DELETE FROM Users WHERE pk = 'b' RETURNING ALL OLD *`)},
			"ValidationException", "Validation failed in TransactStatements[1]: RETURNING clause is not supported in ExecuteTransaction."},
		{"a read that is not by key", &ExecuteTransactionInput{TransactStatements: one(`SELECT * FROM Users`)},
			"ValidationException", "Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause."},
		{"a read of an index", &ExecuteTransactionInput{TransactStatements: one(`SELECT * FROM "Music"."ByYear" WHERE "Year" = 1`)},
			"ValidationException", "Reads on indices are not supported within transactions."},
		{"an EXISTS without a condition", &ExecuteTransactionInput{TransactStatements: one(`EXISTS(SELECT * FROM Users WHERE pk = 'a')`)},
			"ValidationException", "EXISTS() must contain a single item read with additional condition"},
		{"two writes of one item", &ExecuteTransactionInput{TransactStatements: one(`DELETE FROM Users WHERE pk = 'a'`, `UPDATE Users SET x = 1 WHERE pk = 'a'`)},
			"ValidationException", "Transaction request cannot include multiple operations on one item"},
		{"a table that does not exist", &ExecuteTransactionInput{TransactStatements: one(`DELETE FROM Nope WHERE pk = 'a'`)},
			"ResourceNotFoundException", "Requested resource not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.ExecuteTransaction(ctx, c.in)
			wantCode(t, err, c.code, c.msg)
		})
	}
}
