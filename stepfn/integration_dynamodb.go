package stepfn

import (
	"context"
	"strings"
)

// dynamoDBArnPrefix starts the Resource of every optimized DynamoDB
// integration.
const dynamoDBArnPrefix = "arn:aws:states:::dynamodb:"

// dynamoDBActions maps the actions of the optimized DynamoDB integration,
// as the Resource spells them, to DynamoDB API actions.
var dynamoDBActions = map[string]string{
	"putItem":    "PutItem",
	"getItem":    "GetItem",
	"updateItem": "UpdateItem",
	"deleteItem": "DeleteItem",
}

// DynamoDB is what the optimized DynamoDB integrations call: one DynamoDB
// API action (PutItem, GetItem, UpdateItem, DeleteItem) with its request
// and its response as the DynamoDB API Reference defines their JSON
// bodies ({"TableName": "t", "Key": {"id": {"S": "1"}}}). An error with
// ErrorCode and ErrorMessage methods, as minicloud's *Error has, is the
// service's exception. minicloud.New serves it with the account's
// DynamoDB, so that stepfn need not import the dynamo package.
type DynamoDB interface {
	Call(ctx context.Context, action string, request []byte) ([]byte, error)
}

// DynamoDBFunc adapts a function to [DynamoDB].
type DynamoDBFunc func(ctx context.Context, action string, request []byte) ([]byte, error)

// Call calls f.
func (f DynamoDBFunc) Call(ctx context.Context, action string, request []byte) ([]byte, error) {
	return f(ctx, action, request)
}

// dynamoDBResource serves arn:aws:states:::dynamodb:<action>: the Task's
// Parameters are the request, the response is its result. DynamoDB's
// exceptions fail the Task as DynamoDB.<Code>
// (DynamoDB.ConditionalCheckFailedException,
// DynamoDB.ResourceNotFoundException, …); a ValidationException, which
// the SDK has no class for, is DynamoDB.AmazonDynamoDBException, as
// Step Functions reports it.
func (s *Service) dynamoDBResource(action string) (Resource, bool) {
	op, ok := dynamoDBActions[action]
	if !ok || s.dynamoDB == nil {
		return nil, false
	}
	db := s.dynamoDB
	return ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		out, err := db.Call(ctx, op, input)
		if err != nil {
			te := sdkError("DynamoDB", "DynamoDb", err, s.rnd.uuid())
			if t, ok := te.(*TaskError); ok && t.Name == "DynamoDB.ValidationException" {
				t.Name = "DynamoDB.AmazonDynamoDBException"
			}
			return nil, te
		}
		if strings.TrimSpace(string(out)) == "" {
			out = []byte("{}")
		}
		return out, nil
	}), true
}
