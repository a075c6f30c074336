package dynamo

import (
	"context"
	"testing"
)

// BenchmarkPartiQLSelectByKey compares a parameterized SELECT of one item
// by its key with the GetItem and Query it stands for, in the same run,
// so the cost of parsing, planning and translating a statement shows.
func BenchmarkPartiQLSelectByKey(b *testing.B) {
	db := musicDB(b)
	users(b, db, 1000, 100)
	ctx := context.Background()
	b.Run("ExecuteStatement", func(b *testing.B) {
		in := &ExecuteStatementInput{Statement: `SELECT * FROM "Users" WHERE pk = ?`, Parameters: []AttributeValue{S("u500")}}
		b.ReportAllocs()
		for b.Loop() {
			out, err := db.ExecuteStatement(ctx, in)
			if err != nil || len(out.Items) != 1 {
				b.Fatal(out, err)
			}
		}
	})
	b.Run("GetItem", func(b *testing.B) {
		in := &GetItemInput{TableName: "Users", Key: Item{"pk": S("u500")}}
		b.ReportAllocs()
		for b.Loop() {
			out, err := db.GetItem(ctx, in)
			if err != nil || out.Item == nil {
				b.Fatal(out, err)
			}
		}
	})
	b.Run("Query", func(b *testing.B) {
		in := &QueryInput{TableName: "Users", KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: map[string]AttributeValue{":pk": S("u500")}}
		b.ReportAllocs()
		for b.Loop() {
			out, err := db.Query(ctx, in)
			if err != nil || len(out.Items) != 1 {
				b.Fatal(out, err)
			}
		}
	})
}

// BenchmarkPartiQLParse measures the parser alone on a typical UPDATE.
func BenchmarkPartiQLParse(b *testing.B) {
	const stmt = `UPDATE "Music" SET Plays = Plays + 1, Tags = set_add(Tags, <<'live'>>) WHERE Artist = ? AND SongTitle = ? AND Plays < 100 RETURNING MODIFIED NEW *`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parsePartiQL(stmt); err != nil {
			b.Fatal(err)
		}
	}
}
