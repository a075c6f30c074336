package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// streamsCall sends one DynamoDB Streams request and returns the status
// and decoded body.
func (s *server) streamsCall(t *testing.T, op, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.url+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDBStreams_20120810."+op)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: body: %v", op, err)
	}
	return resp.StatusCode, out
}

func TestRun_RoutesDynamoDBStreams(t *testing.T) {
	s := startServer(t, "-data", t.TempDir())
	s.mustCall(t, "CreateTable", `{"TableName":"events","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}`)
	s.mustCall(t, "PutItem", `{"TableName":"events","Item":{"id":{"S":"e1"},"n":{"N":"7"}}}`)

	status, out := s.streamsCall(t, "ListStreams", `{"TableName":"events"}`)
	streams, _ := out["Streams"].([]any)
	if status != 200 || len(streams) != 1 {
		t.Fatalf("ListStreams: %d %v", status, out)
	}
	arn := streams[0].(map[string]any)["StreamArn"].(string)
	_, out = s.streamsCall(t, "DescribeStream", `{"StreamArn":"`+arn+`"}`)
	shard := out["StreamDescription"].(map[string]any)["Shards"].([]any)[0].(map[string]any)["ShardId"].(string)
	_, out = s.streamsCall(t, "GetShardIterator", `{"StreamArn":"`+arn+`","ShardId":"`+shard+`","ShardIteratorType":"TRIM_HORIZON"}`)
	it, _ := out["ShardIterator"].(string)
	status, out = s.streamsCall(t, "GetRecords", `{"ShardIterator":"`+it+`"}`)
	recs, _ := out["Records"].([]any)
	if status != 200 || len(recs) != 1 {
		t.Fatalf("GetRecords: %d %v", status, out)
	}
	if got := mustJSON(recs[0].(map[string]any)["dynamodb"].(map[string]any)["NewImage"]); got != `{"id":{"S":"e1"},"n":{"N":"7"}}` {
		t.Errorf("NewImage = %s", got)
	}
	status, out = s.streamsCall(t, "GetRecords", `{"ShardIterator":"`+arn+`|1|AAAA"}`)
	if status != 400 || out["__type"] != "com.amazon.coral.validate#ValidationException" {
		t.Errorf("bad iterator: %d %v", status, out)
	}
	status, out = s.streamsCall(t, "NoSuchOperation", `{}`)
	if status != 400 || out["__type"] != "com.amazon.coral.service#UnknownOperationException" {
		t.Errorf("unknown Streams operation: %d %v", status, out)
	}
}
