// Package globaltables is the global-tables scenario: a DynamoDB global
// table with replicas in us-east-1 and ap-southeast-2 (Sydney), where a
// write reaches the other Region after the replication delay, conflicting
// writes converge by last writer wins, deletes replicate, and replicated
// writes appear in the receiving Region's stream; then a DAX cluster in
// front of the us-east-1 table takes a hot key's reads off it.
package globaltables

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

const (
	table  = "carts"
	east   = "us-east-1"
	sydney = "ap-southeast-2"
)

// scenario is the state the parts of the narration share.
type scenario struct {
	ctx   context.Context
	w     io.Writer
	clk   *clock.Manual
	cloud *minicloud.Cloud
	east  *dynamo.DB // the account's Region, us-east-1
	syd   *dynamo.DB // ap-southeast-2
	start time.Time
}

// Run narrates the scenario to w.
func Run(w io.Writer) error {
	start := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	clk := clock.NewManual(start)
	cloud := minicloud.New(minicloud.Options{Clock: clk, ComputeClock: clk})
	defer cloud.Close()
	s := &scenario{ctx: context.Background(), w: w, clk: clk, cloud: cloud,
		east: cloud.Dynamo, syd: cloud.DynamoAccount.Region(sydney), start: start}
	for _, part := range []func() error{s.create, s.replicate, s.conflict, s.tie, s.delete, s.stream, s.dax, s.bill} {
		if err := part(); err != nil {
			return err
		}
	}
	return nil
}

// say writes one line of narration.
func (s *scenario) say(format string, args ...any) { fmt.Fprintf(s.w, format+"\n", args...) }

// at is the clock's time since the start, for the narration.
func (s *scenario) at() string {
	return fmt.Sprintf("t+%v", s.clk.Now().Sub(s.start))
}

// create makes the table in us-east-1 and adds the Sydney replica, first
// without the stream a replica needs.
func (s *scenario) create() error {
	if _, err := s.east.CreateTable(s.ctx, &dynamo.CreateTableInput{
		TableName:            table,
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	}); err != nil {
		return err
	}
	s.say("Table %s in %s (on-demand), no stream yet. Adding a replica in %s:", table, east, sydney)
	addReplica := &dynamo.UpdateTableInput{TableName: table,
		ReplicaUpdates: []dynamo.ReplicationGroupUpdate{{Create: &dynamo.CreateReplicationGroupMemberAction{RegionName: sydney}}}}
	_, err := s.east.UpdateTable(s.ctx, addReplica)
	if err == nil {
		return fmt.Errorf("a replica was added to a table without a stream")
	}
	s.say("  UpdateTable ReplicaUpdates Create -> %v", err)
	s.say("Replication is driven by the table's stream: every change is shipped to the other Regions")
	s.say("as a whole item, so the stream must carry full images (NEW_AND_OLD_IMAGES), not only keys:")
	if _, err := s.east.UpdateTable(s.ctx, &dynamo.UpdateTableInput{TableName: table,
		StreamSpecification: &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: dynamo.StreamViewTypeNewAndOldImages}}); err != nil {
		return err
	}
	s.say("  UpdateTable StreamSpecification NEW_AND_OLD_IMAGES -> ok")
	if _, err := s.east.UpdateTable(s.ctx, addReplica); err != nil {
		return err
	}
	d, err := s.syd.DescribeTable(s.ctx, &dynamo.DescribeTableInput{TableName: table})
	if err != nil {
		return err
	}
	var regions []string
	for _, r := range d.Table.Replicas {
		regions = append(regions, r.RegionName)
	}
	s.say("  UpdateTable ReplicaUpdates Create -> ok; in %s, %s is global table version %s, replica of %s",
		sydney, table, d.Table.GlobalTableVersion, strings.Join(regions, ", "))
	return nil
}

// put writes cart id in db, from the named Region.
func (s *scenario) put(db *dynamo.DB, id, items string) error {
	_, err := db.PutItem(s.ctx, &dynamo.PutItemInput{TableName: table,
		Item: dynamo.Item{"id": dynamo.S(id), "items": dynamo.N(items), "from": dynamo.S(db.Region())}})
	if err != nil {
		return err
	}
	s.say("  %-8s %-14s PutItem %s items=%s", s.at(), db.Region(), id, items)
	return nil
}

// read prints what db holds for cart id.
func (s *scenario) read(db *dynamo.DB, id string) error {
	out, err := db.GetItem(s.ctx, &dynamo.GetItemInput{TableName: table, Key: dynamo.Item{"id": dynamo.S(id)}, ConsistentRead: true})
	if err != nil {
		return err
	}
	s.say("  %-8s %-14s GetItem %s -> %s", s.at(), db.Region(), id, show(out.Item))
	return nil
}

// show renders a cart, or its absence.
func show(item dynamo.Item) string {
	if item == nil {
		return "(no item)"
	}
	return fmt.Sprintf("items=%v (written in %v)", item["items"], item["from"])
}

// replicate shows a write reaching Sydney after the replication delay.
func (s *scenario) replicate() error {
	s.say("\nA write in %s reaches %s after the replication delay (1 s here, on the clock).", east, sydney)
	s.say("Even a strongly consistent read is consistent only within its own Region:")
	if err := s.put(s.east, "c1", "1"); err != nil {
		return err
	}
	if err := s.read(s.syd, "c1"); err != nil {
		return err
	}
	s.clk.Advance(999 * time.Millisecond)
	if err := s.read(s.syd, "c1"); err != nil {
		return err
	}
	s.clk.Advance(time.Millisecond)
	return s.read(s.syd, "c1")
}

// conflict writes one cart in both Regions a few milliseconds apart.
func (s *scenario) conflict() error {
	s.say("\nTwo writes of c1, one in each Region, 5 ms apart. Until they cross, each Region sees its own:")
	if err := s.put(s.east, "c1", "2"); err != nil {
		return err
	}
	s.clk.Advance(5 * time.Millisecond)
	if err := s.put(s.syd, "c1", "3"); err != nil {
		return err
	}
	for _, db := range []*dynamo.DB{s.east, s.syd} {
		if err := s.read(db, "c1"); err != nil {
			return err
		}
	}
	s.clk.Advance(time.Second)
	s.say("A second later both have received the other's write and kept the later one (last writer")
	s.say("wins): the us-east-1 write arriving in Sydney lost, and was silently dropped there.")
	for _, db := range []*dynamo.DB{s.east, s.syd} {
		if err := s.read(db, "c1"); err != nil {
			return err
		}
	}
	return nil
}

// tie writes one cart in both Regions at the same instant.
func (s *scenario) tie() error {
	s.say("\nA tie: c2 written in both Regions at the same instant. Both Regions must still pick the")
	s.say("same winner, so the tie goes to the greater Region name (us-east-1 > ap-southeast-2):")
	if err := s.put(s.syd, "c2", "7"); err != nil {
		return err
	}
	if err := s.put(s.east, "c2", "8"); err != nil {
		return err
	}
	s.clk.Advance(time.Second)
	for _, db := range []*dynamo.DB{s.east, s.syd} {
		if err := s.read(db, "c2"); err != nil {
			return err
		}
	}
	s.say("Last writer wins is per item and whole-item: an application that must not lose either write")
	s.say("writes each item in one Region only, or merges in its own code.")
	return nil
}

// delete removes a cart in Sydney and shows the deletion replicating.
func (s *scenario) delete() error {
	s.say("\nA delete replicates like a write (a tombstone keeps an older write from reviving the item):")
	if _, err := s.syd.DeleteItem(s.ctx, &dynamo.DeleteItemInput{TableName: table, Key: dynamo.Item{"id": dynamo.S("c2")}}); err != nil {
		return err
	}
	s.say("  %-8s %-14s DeleteItem c2", s.at(), sydney)
	if err := s.read(s.east, "c2"); err != nil {
		return err
	}
	s.clk.Advance(time.Second)
	return s.read(s.east, "c2")
}
