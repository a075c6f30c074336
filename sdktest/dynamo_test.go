package sdktest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/dynamo/wire"
)

const (
	testKeyID  = "AKIDMINICLOUD"
	testSecret = "minicloud-test-secret"
)

// noBackoff makes the SDK retry at once, so that tests of its retries
// do not sleep.
type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// checkingTransport checks every response the SDK receives for the
// headers DynamoDB always sends: x-amzn-RequestId, and x-amz-crc32 equal
// to the CRC-32 of the body. (aws-sdk-go-v2 computes the CRC too, but its
// current DynamoDB client drops the mismatch error it finds when closing
// the body, so the check is done here.)
type checkingTransport struct {
	t    testing.TB
	next http.RoundTripper
}

func (c *checkingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	target := r.Header.Get("X-Amz-Target")
	if want := strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10); resp.Header.Get("X-Amz-Crc32") != want {
		c.t.Errorf("%s: x-amz-crc32 = %q, want %s", target, resp.Header.Get("X-Amz-Crc32"), want)
	}
	if id := resp.Header.Get("X-Amzn-Requestid"); len(id) != 52 {
		c.t.Errorf("%s: x-amzn-RequestId = %q", target, id)
	}
	return resp, nil
}

// loopbackEnv, when set to 1, makes the tests reach their handlers over
// loopback HTTP instead of minicloud.Transport. CI runs the suite both
// ways.
const loopbackEnv = "MINICLOUD_SDKTEST_LOOPBACK"

// serveSDK makes h reachable by SDK clients: in the process through
// minicloud.Transport by default, or behind an httptest server when
// MINICLOUD_SDKTEST_LOOPBACK=1. It returns the endpoint and the transport
// that reaches it.
func serveSDK(t testing.TB, h http.Handler) (endpoint string, transport http.RoundTripper) {
	t.Helper()
	if os.Getenv(loopbackEnv) == "1" {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL, srv.Client().Transport
	}
	return minicloud.Endpoint, &minicloud.Transport{Handler: h}
}

// newClient serves a handler over db and returns an SDK client for it,
// configured as production code configures one.
func newClient(t testing.TB, db *dynamo.DB, opts wire.Options, keyID, secret string) *dynamodb.Client {
	t.Helper()
	endpoint, transport := serveSDK(t, wire.NewHandler(db, opts))
	return clientFor(endpoint, &checkingTransport{t: t, next: transport}, keyID, secret)
}

// clientFor returns an SDK client for endpoint that sends its requests
// through transport.
func clientFor(endpoint string, transport http.RoundTripper, keyID, secret string) *dynamodb.Client {
	return dynamodb.NewFromConfig(sdkConfig(transport, keyID, secret), func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

// sdkConfig is the configuration every client of these tests shares. It
// is built by hand rather than by config.LoadDefaultConfig, which reads
// the process's environment and ~/.aws (AWS_PROFILE, AWS_CA_BUNDLE, ...):
// a test must not depend on either. What is left is what production code
// sets for a local endpoint: a region, static credentials and (per
// client) a BaseEndpoint. Retries do not wait.
func sdkConfig(transport http.RoundTripper, keyID, secret string) aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(keyID, secret, ""),
		HTTPClient:  &http.Client{Transport: transport},
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.Backoff = noBackoff{} })
		},
	}
}

// start returns a fresh DB and an SDK client for it.
func start(t testing.TB) (*dynamodb.Client, *dynamo.DB) {
	db := dynamo.New(dynamo.Options{LiveTableStats: true})
	t.Cleanup(func() { db.Close() })
	return newClient(t, db, wire.Options{}, testKeyID, testSecret), db
}

// createOrders creates the table most tests use: customer and order id as
// keys, a global index by status, on demand.
func createOrders(t testing.TB, c *dynamodb.Client) {
	t.Helper()
	_, err := c.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName: aws.String("orders"),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("customer"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeN},
			{AttributeName: aws.String("status"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("customer"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("id"), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String("byStatus"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("status"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
}

// Order is an application's record type, stored with attributevalue.
type Order struct {
	Customer string            `dynamodbav:"customer"`
	ID       int               `dynamodbav:"id"`
	Status   string            `dynamodbav:"status,omitempty"`
	Total    float64           `dynamodbav:"total"`
	Tags     []string          `dynamodbav:"tags,stringset,omitempty"`
	Scores   []int             `dynamodbav:"scores,numberset,omitempty"`
	Blobs    [][]byte          `dynamodbav:"blobs,binaryset,omitempty"`
	Lines    []Line            `dynamodbav:"lines"`
	Meta     map[string]string `dynamodbav:"meta"`
	Note     *string           `dynamodbav:"note"` // nil is stored as NULL
	Paid     bool              `dynamodbav:"paid"`
	Raw      []byte            `dynamodbav:"raw"`
	Placed   time.Time         `dynamodbav:"placed"`
}

// Line is a nested map inside an Order.
type Line struct {
	SKU string  `dynamodbav:"sku"`
	Qty int     `dynamodbav:"qty"`
	Px  float64 `dynamodbav:"px"`
}

func sampleOrder(customer string, id int) Order {
	return Order{
		Customer: customer, ID: id, Status: "NEW", Total: 12.5,
		Tags: []string{"gift", "rush"}, Scores: []int{3, 1}, Blobs: [][]byte{{1}, {2, 3}},
		Lines: []Line{{SKU: "a-1", Qty: 2, Px: 5}, {SKU: "b-2", Qty: 1, Px: 2.5}},
		Meta:  map[string]string{"channel": "web", "empty": ""},
		Paid:  true, Raw: []byte{0, 0xff, 7},
		Placed: time.Date(2024, 5, 1, 12, 30, 0, 123456789, time.UTC),
	}
}

func TestSDK_AttributeValueStructsRoundTrip(t *testing.T) {
	ctx := context.Background()
	c, _ := start(t)
	createOrders(t, c)
	want := sampleOrder("c1", 1)
	item, err := attributevalue.MarshalMap(want)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item}); err != nil {
		t.Fatalf("PutItem: %v", err)
	}
	key, _ := attributevalue.MarshalMap(map[string]any{"customer": "c1", "id": 1})
	out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	var got Order
	if err := attributevalue.UnmarshalMap(out.Item, &got); err != nil {
		t.Fatalf("UnmarshalMap: %v", err)
	}
	sortSets := func(o *Order) { slices.Sort(o.Tags); slices.Sort(o.Scores) }
	sortSets(&want)
	sortSets(&got)
	slices.SortFunc(got.Blobs, func(a, b []byte) int { return strings.Compare(string(a), string(b)) })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("item changed on the way through DynamoDB JSON (-put +got):\n%s", diff)
	}
	if _, ok := out.Item["note"].(*types.AttributeValueMemberNULL); !ok {
		t.Errorf("nil pointer stored as %T, want NULL", out.Item["note"])
	}
}

func TestSDK_ItemOperationsWithExpressions(t *testing.T) {
	ctx := context.Background()
	c, _ := start(t)
	createOrders(t, c)
	item, _ := attributevalue.MarshalMap(sampleOrder("c1", 7))
	key, _ := attributevalue.MarshalMap(map[string]any{"customer": "c1", "id": 7})

	// Put only if absent, with the condition from the expression builder.
	cond, err := expression.NewBuilder().WithCondition(expression.AttributeNotExists(expression.Name("customer"))).Build()
	if err != nil {
		t.Fatal(err)
	}
	put := &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item,
		ConditionExpression: cond.Condition(), ExpressionAttributeNames: cond.Names(), ExpressionAttributeValues: cond.Values()}
	if _, err := c.PutItem(ctx, put); err != nil {
		t.Fatalf("first conditional PutItem: %v", err)
	}

	// Update: arithmetic, list append, set add, remove; condition on a value.
	upd := expression.Set(expression.Name("total"), expression.Name("total").Plus(expression.Value(2.5))).
		Set(expression.Name("lines"), expression.ListAppend(expression.Name("lines"), expression.Value([]Line{{SKU: "c-3", Qty: 1, Px: 1}}))).
		Add(expression.Name("tags"), expression.Value(&types.AttributeValueMemberSS{Value: []string{"vip"}})).
		Remove(expression.Name("meta"))
	expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(expression.Name("status").Equal(expression.Value("NEW"))).Build()
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String("orders"), Key: key,
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValues: types.ReturnValueAllNew,
	})
	if err != nil {
		t.Fatalf("UpdateItem: %v", err)
	}
	var got Order
	if err := attributevalue.UnmarshalMap(out.Attributes, &got); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got.Tags)
	if got.Total != 15 || len(got.Lines) != 3 || !slices.Equal(got.Tags, []string{"gift", "rush", "vip"}) || got.Meta != nil {
		t.Errorf("after update: %+v", got)
	}

	// Projection through the builder.
	proj, _ := expression.NewBuilder().WithProjection(expression.NamesList(expression.Name("total"), expression.Name("lines[0].sku"))).Build()
	gi, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: key,
		ProjectionExpression: proj.Projection(), ExpressionAttributeNames: proj.Names()})
	if err != nil {
		t.Fatalf("GetItem with projection: %v", err)
	}
	var small map[string]any
	if err := attributevalue.UnmarshalMap(gi.Item, &small); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"total": 15.0, "lines": []any{map[string]any{"sku": "a-1"}}}
	if diff := cmp.Diff(want, small); diff != "" {
		t.Errorf("projected item (-want +got):\n%s", diff)
	}

	// Delete, returning the old item.
	del, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"), Key: key, ReturnValues: types.ReturnValueAllOld})
	if err != nil {
		t.Fatalf("DeleteItem: %v", err)
	}
	if del.Attributes["customer"] == nil {
		t.Errorf("DeleteItem ALL_OLD returned %v", del.Attributes)
	}
	gi, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: key})
	if err != nil || gi.Item != nil {
		t.Errorf("GetItem after delete = %v, %v; want no item", gi.Item, err)
	}
}

func TestSDK_TypedErrors(t *testing.T) {
	ctx := context.Background()
	c, _ := start(t)
	createOrders(t, c)
	item, _ := attributevalue.MarshalMap(sampleOrder("c1", 1))
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item}); err != nil {
		t.Fatal(err)
	}

	t.Run("ConditionalCheckFailedException carries the old item", func(t *testing.T) {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item,
			ConditionExpression:                 aws.String("attribute_not_exists(customer)"),
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
		var ccf *types.ConditionalCheckFailedException
		if !errors.As(err, &ccf) {
			t.Fatalf("error = %v (%T), want *types.ConditionalCheckFailedException", err, err)
		}
		if ccf.ErrorMessage() != "The conditional request failed" {
			t.Errorf("message = %q", ccf.ErrorMessage())
		}
		var old Order
		if err := attributevalue.UnmarshalMap(ccf.Item, &old); err != nil || old.Customer != "c1" || old.Total != 12.5 {
			t.Errorf("Item = %v (%v)", ccf.Item, err)
		}
	})
	t.Run("ConditionalCheckFailedException without the item", func(t *testing.T) {
		_, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"),
			Key:                 map[string]types.AttributeValue{"customer": &types.AttributeValueMemberS{Value: "c1"}, "id": &types.AttributeValueMemberN{Value: "1"}},
			ConditionExpression: aws.String("paid = :f"), ExpressionAttributeValues: map[string]types.AttributeValue{":f": &types.AttributeValueMemberBOOL{Value: false}}})
		var ccf *types.ConditionalCheckFailedException
		if !errors.As(err, &ccf) || ccf.Item != nil {
			t.Fatalf("error = %v, want ConditionalCheckFailedException without Item", err)
		}
	})
	t.Run("ResourceNotFoundException", func(t *testing.T) {
		_, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("missing")})
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) {
			t.Fatalf("error = %v (%T)", err, err)
		}
		_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("missing"),
			Key: map[string]types.AttributeValue{"k": &types.AttributeValueMemberS{Value: "x"}}})
		if !errors.As(err, &nf) {
			t.Fatalf("GetItem on a missing table: %v", err)
		}
	})
	t.Run("ResourceInUseException", func(t *testing.T) {
		_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:            aws.String("orders"),
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("k"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("k"), KeyType: types.KeyTypeHash}},
			BillingMode:          types.BillingModePayPerRequest,
		})
		var inUse *types.ResourceInUseException
		if !errors.As(err, &inUse) {
			t.Fatalf("error = %v (%T)", err, err)
		}
	})
	t.Run("ValidationException", func(t *testing.T) {
		for name, call := range map[string]func() error{
			"wrong key": func() error {
				_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"),
					Key: map[string]types.AttributeValue{"customer": &types.AttributeValueMemberS{Value: "c1"}}})
				return err
			},
			"bad expression": func() error {
				_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), KeyConditionExpression: aws.String("customer = = :c")})
				return err
			},
			"empty attribute value": func() error {
				_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: map[string]types.AttributeValue{
					"customer": &types.AttributeValueMemberS{Value: "c"}, "id": &types.AttributeValueMemberN{Value: "1"},
					"empty": &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberSS{}}},
				}})
				return err
			},
		} {
			err := call()
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != "ValidationException" || api.ErrorMessage() == "" {
				t.Errorf("%s: error = %v, want a ValidationException APIError with a message", name, err)
			}
		}
	})
}

func TestSDK_TableOperations(t *testing.T) {
	ctx := context.Background()
	c, _ := start(t)
	createOrders(t, c)
	if err := dynamodb.NewTableExistsWaiter(c).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")}, time.Minute); err != nil {
		t.Fatalf("TableExistsWaiter: %v", err)
	}
	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	tbl := d.Table
	if tbl.TableStatus != types.TableStatusActive || aws.ToString(tbl.TableArn) != "arn:aws:dynamodb:us-east-1:123456789012:table/orders" ||
		tbl.BillingModeSummary.BillingMode != types.BillingModePayPerRequest || len(tbl.GlobalSecondaryIndexes) != 1 ||
		tbl.CreationDateTime == nil || time.Since(*tbl.CreationDateTime) > time.Minute {
		t.Errorf("DescribeTable = %+v", tbl)
	}

	_, err = c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"), DeletionProtectionEnabled: aws.Bool(true)})
	if err != nil {
		t.Fatalf("UpdateTable: %v", err)
	}
	_, err = c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("orders")})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "ValidationException" {
		t.Errorf("DeleteTable of a protected table = %v", err)
	}
	up, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"), DeletionProtectionEnabled: aws.Bool(false),
		BillingMode: types.BillingModeProvisioned, ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Update: &types.UpdateGlobalSecondaryIndexAction{
			IndexName: aws.String("byStatus"), ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)}}}}})
	if err != nil {
		t.Fatalf("UpdateTable to provisioned: %v", err)
	}
	if pt := up.TableDescription.ProvisionedThroughput; aws.ToInt64(pt.ReadCapacityUnits) != 5 {
		t.Errorf("UpdateTable throughput = %+v", pt)
	}
	del, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("orders")})
	if err != nil || del.TableDescription.TableStatus != types.TableStatusDeleting {
		t.Fatalf("DeleteTable = %v, %v", del, err)
	}
	if err := dynamodb.NewTableNotExistsWaiter(c).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")}, time.Minute); err != nil {
		t.Fatalf("TableNotExistsWaiter: %v", err)
	}
}

func TestSDK_Paginators(t *testing.T) {
	ctx := context.Background()
	c, _ := start(t)
	createOrders(t, c)
	for i := range 25 {
		o := sampleOrder(fmt.Sprintf("c%d", i%3), i)
		if i%2 == 0 {
			o.Status = "SHIPPED"
		}
		item, _ := attributevalue.MarshalMap(o)
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("Query", func(t *testing.T) {
		kc, _ := expression.NewBuilder().
			WithKeyCondition(expression.Key("customer").Equal(expression.Value("c1"))).
			WithFilter(expression.Name("status").Equal(expression.Value("SHIPPED"))).Build()
		p := dynamodb.NewQueryPaginator(c, &dynamodb.QueryInput{TableName: aws.String("orders"),
			KeyConditionExpression: kc.KeyCondition(), FilterExpression: kc.Filter(),
			ExpressionAttributeNames: kc.Names(), ExpressionAttributeValues: kc.Values(),
			Limit: aws.Int32(2), ScanIndexForward: aws.Bool(false)})
		var ids []int
		pages := 0
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			var orders []Order
			if err := attributevalue.UnmarshalListOfMaps(page.Items, &orders); err != nil {
				t.Fatal(err)
			}
			for _, o := range orders {
				ids = append(ids, o.ID)
			}
		}
		// c1 holds 1, 4, 7, ..., 22 (8 items); the even ones are SHIPPED.
		if want := []int{22, 16, 10, 4}; !slices.Equal(ids, want) {
			t.Errorf("ids = %v, want %v", ids, want)
		}
		if pages != 5 {
			t.Errorf("%d pages, want 5 (8 items read two at a time, then an empty last page)", pages)
		}
	})
	t.Run("Query an index", func(t *testing.T) {
		p := dynamodb.NewQueryPaginator(c, &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("byStatus"),
			KeyConditionExpression:    aws.String("#s = :s"),
			ExpressionAttributeNames:  map[string]string{"#s": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":s": &types.AttributeValueMemberS{Value: "NEW"}},
			Limit:                     aws.Int32(5)})
		n := 0
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n += int(page.Count)
		}
		if n != 12 {
			t.Errorf("index query found %d NEW orders, want 12", n)
		}
	})
	t.Run("Scan", func(t *testing.T) {
		seen := map[int]bool{}
		for seg := range 2 {
			p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String("orders"), Limit: aws.Int32(4),
				Segment: aws.Int32(int32(seg)), TotalSegments: aws.Int32(2)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var orders []Order
				if err := attributevalue.UnmarshalListOfMaps(page.Items, &orders); err != nil {
					t.Fatal(err)
				}
				for _, o := range orders {
					if seen[o.ID] {
						t.Errorf("order %d scanned twice", o.ID)
					}
					seen[o.ID] = true
				}
			}
		}
		if len(seen) != 25 {
			t.Errorf("scanned %d orders, want 25", len(seen))
		}
		count, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("orders"), Select: types.SelectCount})
		if err != nil || count.Count != 25 || count.Items != nil {
			t.Errorf("Scan COUNT = %+v, %v", count, err)
		}
	})
	t.Run("ListTables", func(t *testing.T) {
		for i := range 7 {
			_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(fmt.Sprintf("t%02d", i)),
				AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("k"), AttributeType: types.ScalarAttributeTypeB}},
				KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("k"), KeyType: types.KeyTypeHash}},
				BillingMode:          types.BillingModePayPerRequest})
			if err != nil {
				t.Fatal(err)
			}
		}
		var names []string
		p := dynamodb.NewListTablesPaginator(c, &dynamodb.ListTablesInput{Limit: aws.Int32(3)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, page.TableNames...)
		}
		want := []string{"orders", "t00", "t01", "t02", "t03", "t04", "t05", "t06"}
		if !slices.Equal(names, want) {
			t.Errorf("tables = %v, want %v", names, want)
		}
	})
}

func TestSDK_RetriesThrottlingAsWithAWS(t *testing.T) {
	ctx := context.Background()
	db := dynamo.New(dynamo.Options{})
	defer db.Close()
	var attempts, failures atomic.Int32
	failures.Store(2)
	c := newClient(t, db, wire.Options{Inject: func(_ context.Context, op string) error {
		attempts.Add(1)
		if failures.Add(-1) >= 0 {
			return wire.ErrProvisionedThroughputExceeded.New("The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.")
		}
		return nil
	}}, testKeyID, testSecret)

	// Two throttles, then success: the SDK's standard retryer makes three
	// attempts by default, so the call succeeds.
	if _, err := c.ListTables(ctx, &dynamodb.ListTablesInput{}); err != nil {
		t.Fatalf("ListTables after two throttles: %v", err)
	}
	if n := attempts.Load(); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}

	// Throttled every time: the SDK gives up after its three attempts and
	// returns the typed error.
	attempts.Store(0)
	failures.Store(100)
	_, err := c.ListTables(ctx, &dynamodb.ListTablesInput{})
	var pte *types.ProvisionedThroughputExceededException
	if !errors.As(err, &pte) {
		t.Fatalf("error = %v, want *types.ProvisionedThroughputExceededException", err)
	}
	if n := attempts.Load(); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}

	// ThrottlingException and InternalServerError are retried too; a
	// ValidationException is not.
	for _, tt := range []struct {
		err   error
		tries int32
	}{
		{wire.ErrThrottling.New("Rate of requests exceeds the allowed throughput."), 3},
		{dynamo.ErrInternalServer.New("Internal server error"), 3},
		{dynamo.ErrValidation.New("no"), 1},
	} {
		attempts.Store(0)
		failures.Store(100)
		inject := tt.err
		c := newClient(t, db, wire.Options{Inject: func(context.Context, string) error { attempts.Add(1); return inject }}, testKeyID, testSecret)
		if _, err := c.ListTables(ctx, &dynamodb.ListTablesInput{}); err == nil {
			t.Errorf("%v: call succeeded", tt.err)
		}
		if n := attempts.Load(); n != tt.tries {
			t.Errorf("%v: %d attempts, want %d", tt.err, n, tt.tries)
		}
	}
}

func TestSDK_SignatureVerification(t *testing.T) {
	ctx := context.Background()
	db := dynamo.New(dynamo.Options{})
	defer db.Close()
	opts := wire.Options{Credentials: map[string]string{testKeyID: testSecret}}

	if _, err := newClient(t, db, opts, testKeyID, testSecret).ListTables(ctx, &dynamodb.ListTablesInput{}); err != nil {
		t.Fatalf("correctly signed request refused: %v", err)
	}
	for _, tt := range []struct {
		name, key, secret, code string
	}{
		{"wrong secret", testKeyID, "not-the-secret", "InvalidSignatureException"},
		{"unknown key", "AKIDUNKNOWN", testSecret, "UnrecognizedClientException"},
	} {
		_, err := newClient(t, db, opts, tt.key, tt.secret).ListTables(ctx, &dynamodb.ListTablesInput{})
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != tt.code {
			t.Errorf("%s: error = %v, want %s", tt.name, err, tt.code)
		}
	}
}
