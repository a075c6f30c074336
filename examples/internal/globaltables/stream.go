package globaltables

import (
	"fmt"

	"github.com/minicloud/minicloud/dynamo"
)

// stream reads Sydney's stream from its start with the Streams API, to
// show the replicated writes among the local ones.
func (s *scenario) stream() error {
	d, err := s.syd.DescribeTable(s.ctx, &dynamo.DescribeTableInput{TableName: table})
	if err != nil {
		return err
	}
	arn := d.Table.LatestStreamArn
	ds, err := s.syd.DescribeStream(s.ctx, &dynamo.DescribeStreamInput{StreamArn: arn})
	if err != nil {
		return err
	}
	s.say("\nThe replica's own stream (%s, %s), read from TRIM_HORIZON with", sydney, ds.StreamDescription.StreamViewType)
	s.say("GetShardIterator and GetRecords. Replicated writes are ordinary records, with no userIdentity;")
	s.say("only the application's own from attribute tells them apart. The losing us-east-1 write of")
	s.say("c1 is not there: it never changed the item in Sydney.")
	n := 0
	for _, sh := range ds.StreamDescription.Shards {
		it, err := s.syd.GetShardIterator(s.ctx, &dynamo.GetShardIteratorInput{StreamArn: arn, ShardId: sh.ShardId,
			ShardIteratorType: dynamo.ShardIteratorTypeTrimHorizon})
		if err != nil {
			return err
		}
		out, err := s.syd.GetRecords(s.ctx, &dynamo.GetRecordsInput{ShardIterator: it.ShardIterator})
		if err != nil {
			return err
		}
		for _, r := range out.Records {
			n++
			origin := "local"
			if img := r.Dynamodb.NewImage; img != nil && img["from"] != dynamo.S(sydney) {
				origin = fmt.Sprintf("replicated from %v", img["from"])
			}
			who := "no userIdentity"
			if r.UserIdentity != nil {
				who = "userIdentity " + r.UserIdentity.PrincipalId
			}
			s.say("  %d. %-6s %v  %s -> %s  [%s, %s]", n, r.EventName, r.Dynamodb.Keys["id"],
				image(r.Dynamodb.OldImage), image(r.Dynamodb.NewImage), origin, who)
		}
	}
	return nil
}

// image renders a stream image briefly.
func image(item dynamo.Item) string {
	if item == nil {
		return "-"
	}
	return fmt.Sprintf("items=%v", item["items"])
}
