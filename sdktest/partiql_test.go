package sdktest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/minicloud/minicloud"
)

// TestSDK_PartiQL drives ExecuteStatement, BatchExecuteStatement and
// ExecuteTransaction through the real client, with parameters marshalled
// by attributevalue, NextToken paging and the typed errors.
func TestSDK_PartiQL(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	db := dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(minicloud.Endpoint),
		HTTPClient:   cloud.HTTPClient(),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	ctx := context.Background()
	if _, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("music"),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("artist"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("song"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("artist"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("song"), KeyType: types.KeyTypeRange},
		},
		BillingMode: types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}

	insert := func(artist, song string, year int) error {
		params, err := attributevalue.MarshalList([]any{artist, song, year})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{
			Statement:  aws.String(`INSERT INTO "music" VALUE {'artist': ?, 'song': ?, 'year': ?}`),
			Parameters: params,
		})
		return err
	}
	for i := 0; i < 5; i++ {
		if err := insert("Nina", fmt.Sprintf("song-%d", i), 1960+i); err != nil {
			t.Fatal(err)
		}
	}
	var dup *types.DuplicateItemException
	if err := insert("Nina", "song-0", 1999); !errors.As(err, &dup) {
		t.Fatalf("a second INSERT of one key returned %v, want *types.DuplicateItemException", err)
	}

	// A SELECT pages with Limit and NextToken.
	type song struct {
		Artist string `dynamodbav:"artist"`
		Song   string `dynamodbav:"song"`
		Year   int    `dynamodbav:"year"`
	}
	var all []song
	in := &dynamodb.ExecuteStatementInput{
		Statement:  aws.String(`SELECT * FROM "music" WHERE artist = ? AND year >= ?`),
		Parameters: []types.AttributeValue{&types.AttributeValueMemberS{Value: "Nina"}, &types.AttributeValueMemberN{Value: "1961"}},
		Limit:      aws.Int32(2),
	}
	pages := 0
	for {
		out, err := db.ExecuteStatement(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		var page []song
		if err := attributevalue.UnmarshalListOfMaps(out.Items, &page); err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if len(all) != 4 || pages != 3 || all[0].Year != 1961 {
		t.Fatalf("%d pages, songs %v", pages, all)
	}

	// An UPDATE whose condition fails carries the old item.
	_, err := db.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{
		Statement:                           aws.String(`UPDATE "music" SET year = 2000 WHERE artist = 'Nina' AND song = 'song-1' AND year = 1900`),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) || ccf.Item["year"].(*types.AttributeValueMemberN).Value != "1961" {
		t.Fatalf("failed UPDATE returned %v", err)
	}

	// A batch answers statement by statement.
	batch, err := db.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{Statements: []types.BatchStatementRequest{
		{Statement: aws.String(`INSERT INTO "music" VALUE {'artist': 'Nina', 'song': 'song-0'}`)},
		{Statement: aws.String(`INSERT INTO "music" VALUE {'artist': 'Nina', 'song': 'song-9'}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if batch.Responses[0].Error == nil || batch.Responses[0].Error.Code != types.BatchStatementErrorCodeEnumDuplicateItem || batch.Responses[1].Error != nil {
		t.Fatalf("batch responses %+v", batch.Responses)
	}

	// A transaction is all or nothing; a repeated token does not write twice.
	tx := &dynamodb.ExecuteTransactionInput{
		ClientRequestToken: aws.String("tx-1"),
		TransactStatements: []types.ParameterizedStatement{
			{Statement: aws.String(`UPDATE "music" SET plays = 1 WHERE artist = 'Nina' AND song = 'song-2'`)},
			{Statement: aws.String(`DELETE FROM "music" WHERE artist = 'Nina' AND song = 'song-3'`)},
		},
	}
	for i := 0; i < 2; i++ {
		if _, err := db.ExecuteTransaction(ctx, tx); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.ExecuteTransaction(ctx, &dynamodb.ExecuteTransactionInput{TransactStatements: []types.ParameterizedStatement{
		{Statement: aws.String(`UPDATE "music" SET plays = 2 WHERE artist = 'Nina' AND song = 'song-2'`)},
		{Statement: aws.String(`INSERT INTO "music" VALUE {'artist': 'Nina', 'song': 'song-4'}`)},
	}})
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || len(tce.CancellationReasons) != 2 || aws.ToString(tce.CancellationReasons[0].Code) != "None" {
		t.Fatalf("cancelled transaction returned %v", err)
	}
	reads, err := db.ExecuteTransaction(ctx, &dynamodb.ExecuteTransactionInput{TransactStatements: []types.ParameterizedStatement{
		{Statement: aws.String(`SELECT plays FROM "music" WHERE artist = 'Nina' AND song = 'song-2'`)},
		{Statement: aws.String(`SELECT * FROM "music" WHERE artist = 'Nina' AND song = 'song-3'`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if plays := reads.Responses[0].Item["plays"].(*types.AttributeValueMemberN).Value; plays != "1" || reads.Responses[1].Item != nil {
		t.Fatalf("read transaction: plays=%s, deleted item %v", plays, reads.Responses[1].Item)
	}
}
