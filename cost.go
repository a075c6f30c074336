package minicloud

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/edge"
	"github.com/minicloud/minicloud/lambda"
	"github.com/minicloud/minicloud/stepfn"
)

// CostReport adds up what every service of the account would cost on AWS
// for what ran so far, each priced by its own meter with AWS's public
// prices and free tier (see each service's Prices or Bill for the source
// of the numbers).
//
// A Lambda@Edge function associated with [Cloud.EdgeLambda] runs through
// the account's Lambda, so its invocations are in both the Lambda and the
// CloudFront lines; on AWS they are billed once, at Lambda@Edge's prices.
type CostReport struct {
	Lambda lambda.Bill
	// DynamoDB is the bill of the account's Region; DynamoDBRegions holds
	// the other Regions used through DynamoAccount (each table is billed
	// in its own Region, a global table's replicas included), each with
	// its own free tier.
	DynamoDB        *dynamo.Bill
	DynamoDBRegions map[string]*dynamo.Bill
	StepFunctions   stepfn.Bill
	APIGateway      apigw.Bill
	WebSocket       apigw.WebSocketBill
	CloudFront      edge.Cost
	// Total is the sum of the services' totals, in US dollars.
	Total float64
}

// Cost draws the account's combined bill.
func (c *Cloud) Cost(ctx context.Context) (*CostReport, error) {
	db, err := c.Dynamo.Bill(ctx)
	if err != nil {
		return nil, err
	}
	r := &CostReport{Lambda: c.Lambda.Cost(), DynamoDB: db, StepFunctions: c.StepFunctions.Cost(),
		APIGateway: c.APIs.Cost(), WebSocket: c.APIs.WebSocketCost(), CloudFront: c.Edge.Cost()}
	r.Total = r.Lambda.Total + r.DynamoDB.Total + r.StepFunctions.Total + r.APIGateway.Total + r.WebSocket.Total + r.CloudFront.Total
	for _, region := range c.DynamoAccount.Regions() {
		if region == c.Region {
			continue
		}
		b, err := c.DynamoAccount.Region(region).Bill(ctx)
		if err != nil {
			return nil, err
		}
		if r.DynamoDBRegions == nil {
			r.DynamoDBRegions = map[string]*dynamo.Bill{}
		}
		r.DynamoDBRegions[region] = b
		r.Total += b.Total
	}
	return r, nil
}

// String renders the report, a line per service and the total.
func (r *CostReport) String() string {
	var b strings.Builder
	line := func(label string, usd float64, note string) {
		fmt.Fprintf(&b, "%-15s$%.6f%s\n", label, usd, note)
	}
	line("Lambda", r.Lambda.Total, "")
	line("DynamoDB", r.DynamoDB.Total, "")
	for _, region := range slices.Sorted(maps.Keys(r.DynamoDBRegions)) {
		line("DynamoDB", r.DynamoDBRegions[region].Total, " ("+region+")")
	}
	line("Step Functions", r.StepFunctions.Total, "")
	if r.WebSocket.Total > 0 {
		line("API Gateway", r.APIGateway.Total+r.WebSocket.Total, fmt.Sprintf(" (WebSocket $%.6f)", r.WebSocket.Total))
	} else {
		line("API Gateway", r.APIGateway.Total, "")
	}
	line("CloudFront", r.CloudFront.Total, "")
	fmt.Fprintf(&b, "%-15s$%.6f", "total", r.Total)
	return b.String()
}
