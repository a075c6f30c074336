package wire

import (
	"testing"
)

func TestHandler_ExecuteStatement(t *testing.T) {
	h := newTestHandler(t, Options{})
	mustPost(t, h, "CreateTable", createUsers)

	got := mustPost(t, h, "ExecuteStatement", `{"Statement":"INSERT INTO \"users\" VALUE {'pk': ?, 'sk': 1, 'tags': <<'a'>>}","Parameters":[{"S":"u1"}]}`)
	jsonEqual(t, "INSERT", got, `{"Items":[]}`)
	for _, sk := range []string{"2", "3"} {
		mustPost(t, h, "ExecuteStatement", `{"Statement":"INSERT INTO users VALUE {'pk': 'u1', 'sk': `+sk+`, 'n': `+sk+`}"}`)
	}

	got = mustPost(t, h, "ExecuteStatement", `{"Statement":"SELECT sk, tags FROM users WHERE pk = ? AND sk = ?","Parameters":[{"S":"u1"},{"N":"1"}],
		"ReturnConsumedCapacity":"TOTAL"}`)
	jsonEqual(t, "SELECT", got, `{"Items":[{"sk":{"N":"1"},"tags":{"SS":["a"]}}],"ConsumedCapacity":{"TableName":"users","CapacityUnits":0.5}}`)

	got = mustPost(t, h, "ExecuteStatement", `{"Statement":"SELECT sk FROM users WHERE pk = 'u1'","Limit":2}`)
	token, _ := got["NextToken"].(string)
	delete(got, "NextToken")
	jsonEqual(t, "first page", got, `{"Items":[{"sk":{"N":"1"}},{"sk":{"N":"2"}}],"LastEvaluatedKey":{"pk":{"S":"u1"},"sk":{"N":"2"}}}`)
	if token == "" {
		t.Fatal("the first page has no NextToken")
	}
	got = mustPost(t, h, "ExecuteStatement", `{"Statement":"SELECT sk FROM users WHERE pk = 'u1'","Limit":2,"NextToken":"`+token+`"}`)
	jsonEqual(t, "second page", got, `{"Items":[{"sk":{"N":"3"}}]}`)

	got = mustPost(t, h, "ExecuteStatement", `{"Statement":"UPDATE users SET n = n + 10 WHERE pk = 'u1' AND sk = 2 RETURNING MODIFIED NEW *"}`)
	jsonEqual(t, "UPDATE RETURNING", got, `{"Items":[{"n":{"N":"12"}}]}`)
	got = mustPost(t, h, "ExecuteStatement", `{"Statement":"DELETE FROM users WHERE pk = 'u1' AND sk = 3"}`)
	jsonEqual(t, "DELETE", got, `{"Items":[]}`)
}

func TestHandler_PartiQLErrors(t *testing.T) {
	h := newTestHandler(t, Options{})
	mustPost(t, h, "CreateTable", createUsers)
	mustPost(t, h, "ExecuteStatement", `{"Statement":"INSERT INTO users VALUE {'pk': 'u1', 'sk': 1, 'n': 1}"}`)
	cases := []struct {
		name string
		op   string
		body string
		want string
	}{
		{"duplicate item", "ExecuteStatement", `{"Statement":"INSERT INTO users VALUE {'pk': 'u1', 'sk': 1}"}`,
			`{"__type":"com.amazonaws.dynamodb.v20120810#DuplicateItemException","message":"Duplicate primary key exists in table"}`},
		{"failed condition with the old item", "ExecuteStatement",
			`{"Statement":"UPDATE users SET n = 2 WHERE pk = 'u1' AND sk = 1 AND n > 5","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`,
			`{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed",
			"Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"n":{"N":"1"}}}`},
		{"syntax error", "ExecuteStatement", `{"Statement":"SELECT * FROM users WHERE"}`,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"Statement wasn't well formed, can't be processed: Unexpected term"}`},
		{"no Statement", "ExecuteStatement", `{"Parameters":[{"S":"a"}]}`,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null"}`},
		{"Limit of zero", "ExecuteStatement", `{"Statement":"SELECT * FROM users","Limit":0}`,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"}`},
		{"empty Parameters", "ExecuteStatement", `{"Statement":"SELECT * FROM users WHERE pk = ?","Parameters":[]}`,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1"}`},
		{"Parameters that are no list", "ExecuteStatement", `{"Statement":"SELECT * FROM users","Parameters":{"S":"a"}}`,
			`{"__type":"com.amazon.coral.service#SerializationException","Message":"Start of structure or map found where not expected."}`},
		{"a parameter with no type", "ExecuteStatement", `{"Statement":"SELECT * FROM users WHERE pk = ?","Parameters":[{}]}`,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"}`},
		{"batch member without Statement", "BatchExecuteStatement", `{"Statements":[{"Parameters":[{"S":"a"}]}]}`,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'statements.1.member.statement' failed to satisfy constraint: Member must not be null"}`},
		{"no Statements", "BatchExecuteStatement", `{}`,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'statements' failed to satisfy constraint: Member must not be null"}`},
		{"mixed batch", "BatchExecuteStatement", `{"Statements":[{"Statement":"SELECT * FROM users WHERE pk = 'a' AND sk = 1"},{"Statement":"DELETE FROM users WHERE pk = 'a' AND sk = 1"}]}`,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"Read and write requests together in the same batch is not supported."}`},
		{"no TransactStatements", "ExecuteTransaction", `{"ClientRequestToken":"t"}`,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'transactStatements' failed to satisfy constraint: Member must not be null"}`},
		{"cancelled transaction", "ExecuteTransaction",
			`{"TransactStatements":[{"Statement":"INSERT INTO users VALUE {'pk': 'u1', 'sk': 1}"},{"Statement":"DELETE FROM users WHERE pk = 'u2' AND sk = 1"}]}`,
			`{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
			"Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [DuplicateItem, None]",
			"CancellationReasons":[{"Code":"DuplicateItem","Message":"Duplicate primary key exists in table"},{"Code":"None"}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := post(h, c.op, c.body)
			if rec.Code != 400 {
				t.Fatalf("status %d %s, want 400", rec.Code, rec.Body)
			}
			jsonEqual(t, c.name, decode(t, rec), c.want)
		})
	}
}

func TestHandler_BatchExecuteStatement(t *testing.T) {
	h := newTestHandler(t, Options{})
	mustPost(t, h, "CreateTable", createUsers)
	got := mustPost(t, h, "BatchExecuteStatement", `{"Statements":[
		{"Statement":"INSERT INTO users VALUE {'pk': 'a', 'sk': 1, 'v': 'x'}"},
		{"Statement":"INSERT INTO users VALUE {'pk': ?, 'sk': 2}","Parameters":[{"S":"b"}]},
		{"Statement":"UPDATE users SET v = 'y' WHERE pk = 'zz' AND sk = 1"}],"ReturnConsumedCapacity":"TOTAL"}`)
	jsonEqual(t, "write batch", got, `{"Responses":[{"TableName":"users"},{"TableName":"users"},
		{"Error":{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}}],
		"ConsumedCapacity":[{"TableName":"users","CapacityUnits":2}]}`)

	got = mustPost(t, h, "BatchExecuteStatement", `{"Statements":[
		{"Statement":"SELECT v FROM users WHERE pk = 'a' AND sk = 1","ConsistentRead":true},
		{"Statement":"SELECT * FROM users WHERE pk = 'none' AND sk = 1"},
		{"Statement":"SELECT * FROM nope WHERE pk = 'a' AND sk = 1"}]}`)
	jsonEqual(t, "read batch", got, `{"Responses":[{"TableName":"users","Item":{"v":{"S":"x"}}},{"TableName":"users"},
		{"Error":{"Code":"ResourceNotFound","Message":"Requested resource not found"}}]}`)
}

func TestHandler_ExecuteTransaction(t *testing.T) {
	h := newTestHandler(t, Options{})
	mustPost(t, h, "CreateTable", createUsers)
	got := mustPost(t, h, "ExecuteTransaction", `{"TransactStatements":[
		{"Statement":"INSERT INTO users VALUE {'pk': 'a', 'sk': 1, 'v': 1}"},
		{"Statement":"INSERT INTO users VALUE {'pk': 'b', 'sk': 1}"}],"ClientRequestToken":"tok"}`)
	jsonEqual(t, "write transaction", got, `{}`)
	got = mustPost(t, h, "ExecuteTransaction", `{"TransactStatements":[
		{"Statement":"SELECT v FROM users WHERE pk = 'a' AND sk = 1"},
		{"Statement":"SELECT * FROM users WHERE pk = 'c' AND sk = 1"}]}`)
	jsonEqual(t, "read transaction", got, `{"Responses":[{"Item":{"v":{"N":"1"}}},{}]}`)
}
