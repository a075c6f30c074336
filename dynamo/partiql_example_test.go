package dynamo_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/minicloud/minicloud/dynamo"
)

// PartiQL against a table: an INSERT that refuses an existing key, an
// UPDATE with arithmetic and RETURNING, a SELECT by key with a parameter,
// a transaction, and a full table scan that the caller's policy denies.
func ExampleDB_ExecuteStatement() {
	ctx := context.Background()
	db := dynamo.New(dynamo.Options{})
	defer db.Close()
	_, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName: "Music",
		AttributeDefinitions: []dynamo.AttributeDefinition{
			{AttributeName: "Artist", AttributeType: "S"},
			{AttributeName: "SongTitle", AttributeType: "S"},
		},
		KeySchema: []dynamo.KeySchemaElement{
			{AttributeName: "Artist", KeyType: dynamo.KeyTypeHash},
			{AttributeName: "SongTitle", KeyType: dynamo.KeyTypeRange},
		},
		BillingMode: dynamo.BillingModePayPerRequest,
	})
	if err != nil {
		panic(err)
	}
	exec := func(stmt string, params ...dynamo.AttributeValue) (*dynamo.ExecuteStatementOutput, error) {
		return db.ExecuteStatement(ctx, &dynamo.ExecuteStatementInput{Statement: stmt, Parameters: params})
	}

	if _, err := exec(`INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks', 'Plays': 0, 'Tags': <<'rock'>>}`); err != nil {
		panic(err)
	}
	_, err = exec(`INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks'}`)
	fmt.Println("second insert:", errors.Is(err, dynamo.ErrDuplicateItem), err)

	out, err := exec(`UPDATE "Music" SET Plays = Plays + 1 WHERE Artist = ? AND SongTitle = ? RETURNING MODIFIED NEW *`,
		dynamo.S("Acme Band"), dynamo.S("PartiQL Rocks"))
	if err != nil {
		panic(err)
	}
	fmt.Println("plays:", out.Items[0]["Plays"])

	out, err = exec(`SELECT SongTitle, Plays FROM "Music" WHERE Artist = ?`, dynamo.S("Acme Band"))
	if err != nil {
		panic(err)
	}
	fmt.Println("select:", out.Items[0]["SongTitle"], out.Items[0]["Plays"])

	// All or nothing: the second statement's condition fails, so the first
	// insert is not kept either.
	_, err = db.ExecuteTransaction(ctx, &dynamo.ExecuteTransactionInput{TransactStatements: []dynamo.ParameterizedStatement{
		{Statement: `INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'Encore'}`},
		{Statement: `UPDATE "Music" SET Plays = 0 WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' AND Plays > 5`},
	}})
	var tce *dynamo.TransactionCanceledException
	if errors.As(err, &tce) {
		fmt.Println("transaction:", tce.CancellationReasons[0].Code, tce.CancellationReasons[1].Code)
	}

	// A SELECT that does not fix the partition key scans the whole table:
	// DynamoDB allows it unless the caller's IAM policy denies it.
	denied := dynamo.WithFullTableScansDenied(ctx)
	_, err = db.ExecuteStatement(denied, &dynamo.ExecuteStatementInput{Statement: `SELECT * FROM "Music" WHERE Plays > 0`})
	fmt.Println("full scan denied:", errors.Is(err, dynamo.ErrAccessDenied))

	// Output:
	// second insert: true DuplicateItemException: Duplicate primary key exists in table
	// plays: 1
	// select: PartiQL Rocks 1
	// transaction: None ConditionalCheckFailed
	// full scan denied: true
}
