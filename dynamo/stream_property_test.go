package dynamo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// randomValue draws a value of a random type, small enough that equal
// values come up often (so that some writes change nothing).
func randomValue(r *rand.Rand, depth int) AttributeValue {
	switch n := r.IntN(9); {
	case n == 0:
		return S([]string{"", "x", "y"}[r.IntN(3)])
	case n == 1:
		return N(fmt.Sprint(r.IntN(4)))
	case n == 2:
		return B([]byte{byte(r.IntN(3))})
	case n == 3:
		return BOOL(r.IntN(2) == 0)
	case n == 4:
		return NULL{}
	case n == 5:
		return SS([]string{"a", "b", "c"}[:1+r.IntN(3)])
	case n == 6:
		return NS([]string{"1", "2"}[:1+r.IntN(2)])
	case n == 7 && depth < 2:
		return L{randomValue(r, depth+1), randomValue(r, depth+1)}
	case n == 8 && depth < 2:
		return M{"k": randomValue(r, depth+1)}
	}
	return S("leaf")
}

func randomKey(r *rand.Rand) Item {
	return Item{"pk": S(fmt.Sprint("p", r.IntN(4))), "sk": N(fmt.Sprint(r.IntN(4)))}
}

// randomItem is a random key with a few attributes, sometimes one that
// Time to Live will expire soon.
func randomItem(r *rand.Rand, now time.Time) Item {
	item := randomKey(r)
	for _, name := range []string{"a", "b", "c"} {
		if r.IntN(2) == 0 {
			item[name] = randomValue(r, 0)
		}
	}
	if r.IntN(5) == 0 {
		item["exp"] = N(fmt.Sprint(now.Add(time.Duration(r.IntN(30)) * time.Minute).Unix()))
	}
	return item
}

// The stream is the table's history: replaying every record from
// TRIM_HORIZON, shard after shard, rebuilds exactly the table, whatever
// mix of puts, updates, deletes, batches, transactions, failed conditions,
// no-op writes, TTL deletions and shard rollovers made it. Each record's
// OldImage is also checked against the replayed state, so records are in
// commit order and carry the right images.
func TestStream_ReplayFromTrimHorizonRebuildsTheTable(t *testing.T) {
	ctx := context.Background()
	for seed := range 12 {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 42))
			db, c, arn := streamDB(t, StreamViewTypeNewAndOldImages, func(o *Options) {
				o.TTL.Immediate = true
				o.Streams.ShardRollover = time.Hour
			})
			_, err := db.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: "orders", TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: "exp", Enabled: true}})
			mustDo(t, err)
			cond := func() (string, map[string]AttributeValue) {
				switch r.IntN(3) {
				case 0:
					return "attribute_not_exists(pk)", nil
				case 1:
					return "attribute_exists(a)", nil
				}
				return "", nil
			}
			failures := 0
			for range 400 {
				var err error
				switch op := r.IntN(10); op {
				case 0, 1:
					_, err = db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: randomItem(r, c.Now())})
				case 2:
					ce, _ := cond()
					_, err = db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: randomItem(r, c.Now()), ConditionExpression: ce})
				case 3, 4:
					exprs := []struct {
						expr string
						vals map[string]AttributeValue
					}{
						{"SET a = :v", map[string]AttributeValue{":v": randomValue(r, 0)}},
						{"REMOVE b", nil},
						{"ADD n :one", map[string]AttributeValue{":one": N("1")}},
						{"SET c = if_not_exists(c, :v)", map[string]AttributeValue{":v": randomValue(r, 0)}},
						{"SET a = :v REMOVE c", map[string]AttributeValue{":v": randomValue(r, 0)}},
					}
					e := exprs[r.IntN(len(exprs))]
					_, err = db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: randomKey(r), UpdateExpression: e.expr, ExpressionAttributeValues: e.vals})
				case 5:
					ce, _ := cond()
					_, err = db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: randomKey(r), ConditionExpression: ce})
				case 6:
					seen := map[string]bool{}
					var reqs []WriteRequest
					for range 1 + r.IntN(5) {
						item := randomItem(r, c.Now())
						k := fmt.Sprint(item["pk"], item["sk"])
						if seen[k] {
							continue
						}
						seen[k] = true
						if r.IntN(3) == 0 {
							reqs = append(reqs, WriteRequest{DeleteRequest: &DeleteRequest{Key: Item{"pk": item["pk"], "sk": item["sk"]}}})
						} else {
							reqs = append(reqs, WriteRequest{PutRequest: &PutRequest{Item: item}})
						}
					}
					_, err = db.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": reqs}})
				case 7:
					seen := map[string]bool{}
					var items []TransactWriteItem
					for range 2 + r.IntN(2) {
						item := randomItem(r, c.Now())
						k := fmt.Sprint(item["pk"], item["sk"])
						if seen[k] {
							continue
						}
						seen[k] = true
						ce, _ := cond()
						switch r.IntN(3) {
						case 0:
							items = append(items, TransactWriteItem{Put: &Put{TableName: "orders", Item: item, ConditionExpression: ce}})
						case 1:
							items = append(items, TransactWriteItem{Delete: &Delete{TableName: "orders", Key: Item{"pk": item["pk"], "sk": item["sk"]}, ConditionExpression: ce}})
						default:
							items = append(items, TransactWriteItem{Update: &Update{TableName: "orders", Key: Item{"pk": item["pk"], "sk": item["sk"]},
								UpdateExpression: "SET a = :v", ExpressionAttributeValues: map[string]AttributeValue{":v": randomValue(r, 0)}, ConditionExpression: ce}})
						}
					}
					_, err = db.TransactWriteItems(ctx, &TransactWriteItemsInput{TransactItems: items})
				default:
					c.Advance(time.Duration(r.IntN(20)) * time.Minute)
				}
				if errors.Is(err, ErrConditionalCheckFailed) || errors.Is(err, ErrTransactionCanceled) {
					failures++
					continue
				}
				mustDo(t, err)
			}
			c.Advance(time.Hour) // every pending TTL deletion happens

			// Replay.
			state := map[string]Item{}
			keyOf := func(k Item) string { return fmt.Sprint(k["pk"], "/", k["sk"]) }
			recs := readStream(t, db, arn)
			ttlRemovals := 0
			for i, rec := range recs {
				k := keyOf(rec.Dynamodb.Keys)
				before := state[k]
				if !itemsEqual(before, rec.Dynamodb.OldImage) || (before == nil) != (rec.Dynamodb.OldImage == nil) {
					t.Fatalf("record %d (%s %s): OldImage %v, replayed state %v", i, rec.EventName, k, rec.Dynamodb.OldImage, before)
				}
				switch rec.EventName {
				case OperationTypeInsert, OperationTypeModify:
					if (rec.EventName == OperationTypeInsert) != (before == nil) {
						t.Fatalf("record %d: %s of %s that existed=%v", i, rec.EventName, k, before != nil)
					}
					if itemsEqual(before, rec.Dynamodb.NewImage) {
						t.Fatalf("record %d: a MODIFY that changes nothing: %v", i, before)
					}
					state[k] = rec.Dynamodb.NewImage
				case OperationTypeRemove:
					delete(state, k)
					if rec.UserIdentity != nil {
						ttlRemovals++
					}
				}
			}
			table := map[string]Item{}
			var esk Item
			for {
				out, err := db.Scan(ctx, &ScanInput{TableName: "orders", ExclusiveStartKey: esk})
				mustDo(t, err)
				for _, it := range out.Items {
					table[keyOf(it)] = it
				}
				if esk = out.LastEvaluatedKey; esk == nil {
					break
				}
			}
			if len(table) != len(state) {
				t.Fatalf("replay holds %d items, table %d", len(state), len(table))
			}
			for k, it := range table {
				if !itemsEqual(it, state[k]) {
					t.Fatalf("%s: table %v, replay %v", k, it, state[k])
				}
			}
			src, _ := db.StreamSource(arn)
			shards, _, _ := src.Shards(ctx)
			if len(recs) < 100 || failures == 0 || ttlRemovals == 0 || len(shards) < 2 {
				t.Fatalf("weak run: %d records, %d failed writes, %d TTL removals, %d shards", len(recs), failures, ttlRemovals, len(shards))
			}
		})
	}
}
