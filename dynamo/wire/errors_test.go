package wire

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/minicloud/minicloud/dynamo"
)

func TestErrorBody_UsesDynamoDBTypesAndStatuses(t *testing.T) {
	tests := []struct {
		err    error
		status int
		body   string
	}{
		{dynamo.ErrResourceNotFound.New("Requested resource not found"), 400,
			`{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}`},
		{dynamo.ErrValidation.New("bad"), 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"bad"}`},
		{ErrSerialization.New("Expected null"), 400,
			`{"__type":"com.amazon.coral.service#SerializationException","Message":"Expected null"}`},
		{ErrUnknownOperation.New("x"), 400,
			`{"__type":"com.amazon.coral.service#UnknownOperationException","message":"x"}`},
		{ErrThrottling.New("Rate exceeded"), 400,
			`{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}`},
		{ErrProvisionedThroughputExceeded.New("slow down"), 400,
			`{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}`},
		{ErrServiceUnavailable.New("down"), 503,
			`{"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable","message":"down"}`},
		{fmt.Errorf("wrapped: %w", dynamo.ErrResourceInUse.New("in use")), 400,
			`{"__type":"com.amazonaws.dynamodb.v20120810#ResourceInUseException","message":"in use"}`},
		{fmt.Errorf("no code"), 500,
			`{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}`},
		{context.Canceled, 500,
			`{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"The request was canceled before it completed"}`},
		{&dynamo.Error{Code: "ResourceNotFoundException"}, 400,
			`{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"}`},
	}
	for _, tt := range tests {
		status, body := errorBody(tt.err)
		if status != tt.status || string(body) != tt.body {
			t.Errorf("errorBody(%v) = %d %s\nwant %d %s", tt.err, status, body, tt.status, tt.body)
		}
		if !json.Valid(body) {
			t.Errorf("errorBody(%v) is not JSON: %s", tt.err, body)
		}
	}
}
