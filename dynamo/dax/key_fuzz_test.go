package dax

import (
	"context"
	"testing"

	"github.com/minicloud/minicloud/dynamo"
)

// FuzzCanonicalNumber checks the cache's number canonicalisation against
// the table's: whatever number text DynamoDB accepts, the cache must key
// and return it exactly as the table stores it, or a write through the
// cluster would be read back differently than from the table.
func FuzzCanonicalNumber(f *testing.F) {
	for _, s := range []string{"1", "01.50", "1E+3", "-0.0", ".5", "5.", "+3", "-0015.789e6", "1e-130", "9.9999999999999999999999999999999999999E+125", "abc", "1e", "0e-131", "0.0e126"} {
		f.Add(s)
	}
	db := dynamo.New(dynamo.Options{})
	f.Cleanup(func() { db.Close() })
	ctx := context.Background()
	_, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "nums",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "pk", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "pk", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := canonicalNumber(s)
		if again := canonicalNumber(got); again != got {
			t.Fatalf("canonicalNumber(%q) = %q, but canonicalNumber(%q) = %q", s, got, got, again)
		}
		_, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "nums", Item: dynamo.Item{"pk": dynamo.S("k"), "n": dynamo.N(s)}})
		if err != nil {
			return // not a number DynamoDB takes
		}
		out, err := db.GetItem(ctx, &dynamo.GetItemInput{TableName: "nums", Key: dynamo.Item{"pk": dynamo.S("k")}})
		if err != nil {
			t.Fatal(err)
		}
		if stored := string(out.Item["n"].(dynamo.N)); stored != got {
			t.Fatalf("the table stores %q as %q, the cache as %q", s, stored, got)
		}
	})
}
