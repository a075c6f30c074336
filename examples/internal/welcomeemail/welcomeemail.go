// Package welcomeemail is the welcome-email scenario: a new user row in
// DynamoDB reaches a Lambda function through the table's stream and an
// event source mapping, and the function sends a welcome mail. One user's
// record is poisoned: it fails its batch, the mapping bisects the batch
// until the record is alone, retries it, and gives up on it to an
// on-failure destination, while the shard waits behind it. The others
// are welcomed exactly once, although some are delivered twice, because
// the function is idempotent.
package welcomeemail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/lambda"
)

// The mapping's settings.
const (
	batchSize  = 4 // BatchSize
	window     = 2 // MaximumBatchingWindowInSeconds
	maxRetries = 2 // MaximumRetryAttempts
)

// userEvent is what the function reads of the Lambda event for DynamoDB
// Streams, with the field names of events.DynamoDBEvent of aws-lambda-go.
type userEvent struct {
	Records []struct {
		EventName string `json:"eventName"`
		Dynamodb  struct {
			// ApproximateCreationDateTime is in epoch seconds.
			ApproximateCreationDateTime float64 `json:"ApproximateCreationDateTime"`
			NewImage                    struct {
				ID    struct{ S string } `json:"id"`
				Email struct{ S string } `json:"email"`
			} `json:"NewImage"`
		} `json:"dynamodb"`
	} `json:"Records"`
}

// outcome is what happened, for the test to check.
type outcome struct {
	batches    [][]string     // each invocation's users, in order
	failed     []bool         // whether each invocation failed
	mails      map[string]int // welcome mails sent per user
	reached    map[string]int // times the function got to a user's record
	failure    *lambda.StreamFailureRecord
	failedUser string // the user of the record the failure record points at
}

// narrator writes the trace, one line at a time, each with the clock's
// time or indented under the line before.
type narrator struct {
	mu  sync.Mutex
	w   io.Writer
	clk *stepper
}

func (n *narrator) at(format string, args ...any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	fmt.Fprintf(n.w, "%s %s\n", n.clk.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func (n *narrator) under(format string, args ...any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	fmt.Fprintf(n.w, "         %s\n", fmt.Sprintf(format, args...))
}

func (n *narrator) say(format string, args ...any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	fmt.Fprintf(n.w, format+"\n", args...)
}

// Run narrates the scenario to w.
func Run(w io.Writer) error {
	_, err := run(w)
	return err
}

func run(w io.Writer) (*outcome, error) {
	// The guard ends a run whose mapping stalls; a healthy run takes
	// milliseconds.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	clk := newStepper(time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC))
	cloud := minicloud.New(minicloud.Options{Clock: clk})
	defer cloud.Close()
	n := &narrator{w: w, clk: clk}
	out := &outcome{mails: map[string]int{}, reached: map[string]int{}}

	users, err := cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "users",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
		StreamSpecification:  &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: dynamo.StreamViewTypeNewImage},
	})
	if err != nil {
		return nil, err
	}
	if _, err := cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "welcomes",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	}); err != nil {
		return nil, err
	}

	var mu sync.Mutex // guards out while the mapping runs
	welcome := func(ctx context.Context, ev userEvent) error {
		clk.invoked()
		names := make([]string, len(ev.Records))
		for i, r := range ev.Records {
			names[i] = r.Dynamodb.NewImage.ID.S
		}
		mu.Lock()
		reason := why(out, names)
		if written := time.Unix(int64(ev.Records[0].Dynamodb.ApproximateCreationDateTime), 0); reason == "" && clk.Since(written) > window*time.Second {
			reason = fmt.Sprintf(": written at %s, %v ago, it waited behind the failing batch:\n%9sa shard is processed in order and does not move past a batch until it is resolved",
				written.UTC().Format("15:04:05"), clk.Since(written), "")
		}
		n.at("welcome gets [%s]%s", strings.Join(names, " "), reason)
		out.batches = append(out.batches, names)
		out.failed = append(out.failed, false)
		mu.Unlock()
		fail := func(err error) error {
			mu.Lock()
			out.failed[len(out.failed)-1] = true
			mu.Unlock()
			clk.returned(len(names), true)
			return err
		}
		for _, r := range ev.Records {
			if r.EventName != "INSERT" {
				continue
			}
			name, email := r.Dynamodb.NewImage.ID.S, r.Dynamodb.NewImage.Email.S
			mu.Lock()
			out.reached[name]++
			mu.Unlock()
			if _, domain, _ := strings.Cut(email, "@"); domain == "" {
				n.under("%-4s fails: %q has no domain, so the function returns an error", name, email)
				return fail(fmt.Errorf("cannot mail %s: %q has no domain", name, email))
			}
			// Remember the welcome before sending it, once per user: a
			// record delivered again finds it and sends nothing.
			_, err := cloud.Dynamo.PutItem(ctx, &dynamo.PutItemInput{TableName: "welcomes",
				Item:                dynamo.Item{"id": dynamo.S(name), "at": dynamo.S(clk.Now().Format(time.RFC3339))},
				ConditionExpression: "attribute_not_exists(id)"})
			if errors.Is(err, dynamo.ErrConditionalCheckFailed) {
				n.under("%-4s already welcomed (ConditionalCheckFailedException): no second mail", name)
				continue
			}
			if err != nil {
				return fail(err)
			}
			mu.Lock()
			out.mails[name]++
			mu.Unlock()
			n.under("%-4s welcome mail sent to %s", name, email)
		}
		clk.returned(len(names), false)
		return nil
	}
	// The default Timeout of 3 seconds is ample: the clock moves only
	// while the mapping waits, never during an invocation.
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "welcome", Handler: lambda.Handler(welcome)}); err != nil {
		return nil, err
	}

	onFailure := lambda.DestinationFunc(func(_ context.Context, msg []byte, _ map[string]string) error {
		var rec lambda.StreamFailureRecord
		if err := json.Unmarshal(msg, &rec); err != nil || rec.DDBStreamBatchInfo == nil {
			return fmt.Errorf("not a stream failure record: %s", msg)
		}
		info := rec.DDBStreamBatchInfo
		n.at("the on-failure destination gets a record: %s after %d invocations,", rec.RequestContext.Condition, rec.RequestContext.ApproximateInvokeCount)
		seq := info.StartSequenceNumber
		if info.EndSequenceNumber != seq {
			seq += " to " + info.EndSequenceNumber
		}
		n.under("batchSize %d, sequence number %s of %s.", info.BatchSize, seq, info.ShardID)
		n.under("The shard moves past it; the record itself is not in the message, only where it is.")
		mu.Lock()
		out.failure = &rec
		mu.Unlock()
		clk.gaveUp(info.BatchSize)
		return nil
	})
	src, err := cloud.StreamEventSource(users.TableDescription.LatestStreamArn)
	if err != nil {
		return nil, err
	}
	size, win, retries, bisect := batchSize, window, maxRetries, true
	if _, err := cloud.Lambda.CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{
		FunctionName: "welcome", Source: countedSource{src, clk}, StartingPosition: lambda.StartingPositionLatest,
		BatchSize: &size, MaximumBatchingWindowInSeconds: &win, BisectBatchOnFunctionError: &bisect,
		MaximumRetryAttempts: &retries,
		DestinationConfig:    &lambda.DestinationConfig{OnFailure: &lambda.OnFailure{Destination: onFailure}},
	}); err != nil {
		return nil, err
	}
	n.say("Table users streams NEW_IMAGE records to the function welcome through an event source mapping:")
	n.say("BatchSize %d, MaximumBatchingWindowInSeconds %d, BisectBatchOnFunctionError true, MaximumRetryAttempts %d,", batchSize, window, maxRetries)
	n.say("and an on-failure destination. The function mails each new user in record order, and first")
	n.say("records the welcome in table welcomes with a conditional write (attribute_not_exists(id)).")
	n.say("")

	// signUp narrates, then writes: a full batch is invoked as soon as
	// its last record is written.
	signUp := func(line string, names ...string) error {
		n.at("%s", line)
		for _, name := range names {
			email := name + "@example.com"
			if name == "mal" {
				email = "mal@" // the poisoned record
			}
			if _, err := cloud.Dynamo.PutItem(ctx, &dynamo.PutItemInput{TableName: "users",
				Item: dynamo.Item{"id": dynamo.S(name), "email": dynamo.S(email)}}); err != nil {
				return err
			}
		}
		clk.wrote(len(names))
		return nil
	}
	// drain moves the clock from one wait of the mapping to the next
	// until it has processed every record.
	drain := func() error {
		for {
			until, afterFailure, err := clk.settle(ctx)
			if err != nil {
				return err
			}
			if until.IsZero() {
				return nil
			}
			d := until.Sub(clk.Now())
			split := false
			if afterFailure {
				mu.Lock()
				split = len(out.batches[len(out.batches)-1]) > 1
				mu.Unlock()
			}
			switch {
			case !afterFailure:
				n.under("… the mapping waits up to %v for more records (the batching window)", d)
			case split:
				n.under("… the batch failed: the mapping splits it in two (BisectBatchOnFunctionError) and backs off %v", d)
			default:
				n.under("… the batch failed: the mapping backs off %v and retries it", d)
			}
			clk.Advance(d)
		}
	}

	if err := signUp("ann signs up.", "ann"); err != nil {
		return nil, err
	}
	if err := drain(); err != nil {
		return nil, err
	}
	clk.Set(time.Date(2025, 1, 1, 9, 1, 0, 0, time.UTC))
	if err := signUp("bob, cy, dee, eve and fay sign up.", "bob", "cy", "dee", "eve", "fay"); err != nil {
		return nil, err
	}
	if err := drain(); err != nil {
		return nil, err
	}
	clk.Set(time.Date(2025, 1, 1, 9, 2, 0, 0, time.UTC))
	if err := signUp(`gus, hal, mal, ivy and kim sign up; mal's email, "mal@", has no domain.`, "gus", "hal", "mal", "ivy", "kim"); err != nil {
		return nil, err
	}
	if err := drain(); err != nil {
		return nil, err
	}

	if err := readBack(ctx, cloud, out); err != nil {
		return nil, err
	}
	n.say("")
	n.say("Reading the stream at that sequence number (possible for 24 hours) finds %s's INSERT.", out.failedUser)
	summary(n, out)
	return out, nil
}

// why says why the mapping invoked the function with names, from the
// batches before: a new batch that is full or waited out the batching
// window, a half of a failed batch, or a retry of one.
func why(out *outcome, names []string) string {
	retries := 0
	for i, b := range out.batches {
		if out.failed[i] && slices.Equal(b, names) {
			retries++
		}
	}
	if retries > 0 {
		return fmt.Sprintf(": retry %d of %d (MaximumRetryAttempts)", retries, maxRetries)
	}
	for i := len(out.batches) - 1; i >= 0; i-- {
		if b := out.batches[i]; out.failed[i] && len(b) > len(names) && contains(b, names) {
			return fmt.Sprintf(": a half of the failed [%s], first try", strings.Join(b, " "))
		}
	}
	if len(names) == batchSize {
		return ": a full batch goes at once"
	}
	return ""
}

// contains reports whether part is a run of consecutive elements of b.
func contains(b, part []string) bool {
	for i := 0; i+len(part) <= len(b); i++ {
		if slices.Equal(b[i:i+len(part)], part) {
			return true
		}
	}
	return false
}

// readBack reads the record the failure record points at from the
// stream, as an operator would to inspect or replay it.
func readBack(ctx context.Context, cloud *minicloud.Cloud, out *outcome) error {
	if out.failure == nil {
		return errors.New("the poisoned record never reached the on-failure destination")
	}
	info := out.failure.DDBStreamBatchInfo
	it, err := cloud.Dynamo.GetShardIterator(ctx, &dynamo.GetShardIteratorInput{StreamArn: info.StreamArn, ShardId: info.ShardID,
		ShardIteratorType: dynamo.ShardIteratorTypeAtSequenceNumber, SequenceNumber: info.StartSequenceNumber})
	if err != nil {
		return err
	}
	recs, err := cloud.Dynamo.GetRecords(ctx, &dynamo.GetRecordsInput{ShardIterator: it.ShardIterator, Limit: 1})
	if err != nil {
		return err
	}
	if len(recs.Records) != 1 {
		return fmt.Errorf("no record at sequence number %s", info.StartSequenceNumber)
	}
	id, _ := recs.Records[0].Dynamodb.NewImage["id"].(dynamo.S)
	out.failedUser = string(id)
	return nil
}

// summary says how often each user's record reached the function and how
// many mails it sent, and what that teaches.
func summary(n *narrator, out *outcome) {
	var order []string
	delivered := map[string]int{}
	for _, b := range out.batches {
		for _, name := range b {
			if delivered[name] == 0 {
				order = append(order, name)
			}
			delivered[name]++
		}
	}
	n.say("")
	n.say("Per user: batches that carried the record, times the function got to it, mails sent.")
	var line []string
	for i, name := range order {
		line = append(line, fmt.Sprintf("%-4s %d/%d/%d", name, delivered[name], out.reached[name], out.mails[name]))
		if len(line) == 6 || i == len(order)-1 {
			n.say("  %s", strings.Join(line, "   "))
			line = line[:0]
		}
	}
	var twice, once []string
	for _, name := range order {
		if out.reached[name] > 1 && out.mails[name] > 0 {
			twice = append(twice, name)
		}
		if out.mails[name] == 1 {
			once = append(once, name)
		}
	}
	n.say("Delivery is at least once: %s reached the function twice, because their first batch failed", list(twice))
	n.say("after their mails went out and was retried. The conditional write made the second time a no-op;")
	n.say("without it they would have got two welcome mails. %d of %d users were welcomed exactly once;", len(once), len(order))
	n.say("%s, whose record was given up on, is for a person to look at. A record behind a failing one rides", out.failedUser)
	n.say("along unread, like ivy: in three batches, reached once.")
}

// list joins names as English does.
func list(names []string) string {
	switch len(names) {
	case 0:
		return "no one"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
