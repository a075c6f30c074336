package wire

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/minicloud/minicloud/dynamo"
)

// DynamoDB Streams operations: ListStreams, DescribeStream,
// GetShardIterator, GetRecords. The decoders check what the Streams API
// reference constrains each member to (required members, the lengths of
// names, ARNs, shard IDs, sequence numbers and iterators, Limit at least
// 1) and leave the rest (the ranges of Limit, ARN syntax, the iterator
// type, whether a stream or shard exists) to the dynamo package.

// Member lengths, from the DynamoDB Streams API reference.
const (
	minTableNameLen      = 3
	maxTableNameLen      = 255
	minStreamArnLen      = 37
	maxStreamArnLen      = 1024
	minShardIDLen        = 28
	maxShardIDLen        = 65
	minSequenceNumberLen = 21
	maxSequenceNumberLen = 40
	minShardIteratorLen  = 1
	maxShardIteratorLen  = 2048
)

// length records a String member whose length in characters is outside
// [min, max].
func (d *decoder) length(path, s string, min, max int) {
	var rule string
	switch n := utf8.RuneCountInString(s); {
	case n < min:
		rule = fmt.Sprintf("Member must have length greater than or equal to %d", min)
	case n > max:
		rule = fmt.Sprintf("Member must have length less than or equal to %d", max)
	default:
		return
	}
	// Quoted even when empty: the member is present, not null.
	d.constraints = append(d.constraints, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", s, path, rule))
}

func decodeListStreams(d *decoder, n *node) *dynamo.ListStreamsInput {
	in := &dynamo.ListStreamsInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
			d.length("tableName", in.TableName, minTableNameLen, maxTableNameLen)
		case "ExclusiveStartStreamArn":
			in.ExclusiveStartStreamArn = d.str(v)
			d.length("exclusiveStartStreamArn", in.ExclusiveStartStreamArn, minStreamArnLen, maxStreamArnLen)
		case "Limit":
			in.Limit = d.limit(v)
		}
	})
	return in
}

func encodeListStreams(w *writer, out *dynamo.ListStreamsOutput) {
	w.stringField("LastEvaluatedStreamArn", out.LastEvaluatedStreamArn)
	w.key("Streams")
	w.beginArray()
	for _, s := range out.Streams {
		w.beginObject()
		w.stringField("StreamArn", s.StreamArn)
		w.stringField("StreamLabel", s.StreamLabel)
		w.stringField("TableName", s.TableName)
		w.endObject()
	}
	w.endArray()
}

// describeStreamInput is DescribeStream's request with its ShardFilter,
// which the dynamo package does not take: the wire applies it.
type describeStreamInput struct {
	dynamo.DescribeStreamInput
	// childrenOf is the ShardId of a CHILD_SHARDS filter; filtered says a
	// filter was given.
	childrenOf string
	filtered   bool
}

func decodeDescribeStream(d *decoder, n *node) *describeStreamInput {
	in := &describeStreamInput{}
	present := false
	d.structure(n, func(name string, v *node) {
		switch name {
		case "StreamArn":
			present = true
			in.StreamArn = d.str(v)
			d.length("streamArn", in.StreamArn, minStreamArnLen, maxStreamArnLen)
		case "ExclusiveStartShardId":
			in.ExclusiveStartShardId = d.str(v)
			d.length("exclusiveStartShardId", in.ExclusiveStartShardId, minShardIDLen, maxShardIDLen)
		case "Limit":
			in.Limit = d.limit(v)
		case "ShardFilter":
			in.filtered = true
			var typ, shard bool
			d.structure(v, func(name string, v *node) {
				switch name {
				case "Type":
					typ = true
					if t := d.str(v); t != "CHILD_SHARDS" {
						d.constraint("shardFilter.type", t, "Member must satisfy enum value set: [CHILD_SHARDS]")
					}
				case "ShardId":
					shard = true
					in.childrenOf = d.str(v)
					d.length("shardFilter.shardId", in.childrenOf, minShardIDLen, maxShardIDLen)
				}
			})
			d.required("shardFilter.type", typ)
			d.required("shardFilter.shardId", shard)
		}
	})
	d.required("streamArn", present)
	return in
}

// describeStream runs DescribeStream. With a CHILD_SHARDS filter it lists
// only the children of the shard named, paged by Limit and
// ExclusiveStartShardId as the whole list is.
func describeStream(db *dynamo.DB, ctx context.Context, in *describeStreamInput) (*dynamo.DescribeStreamOutput, error) {
	out, err := db.DescribeStream(ctx, &dynamo.DescribeStreamInput{StreamArn: in.StreamArn, Limit: in.Limit, ExclusiveStartShardId: in.ExclusiveStartShardId})
	if err != nil || !in.filtered {
		return out, err
	}
	sd := out.StreamDescription
	var children []dynamo.Shard
	for page := (&dynamo.DescribeStreamInput{StreamArn: in.StreamArn}); ; {
		p, err := db.DescribeStream(ctx, page)
		if err != nil {
			return nil, err
		}
		for _, sh := range p.StreamDescription.Shards {
			if sh.ParentShardId == in.childrenOf && sh.ShardId > in.ExclusiveStartShardId {
				children = append(children, sh)
			}
		}
		if page.ExclusiveStartShardId = p.StreamDescription.LastEvaluatedShardId; page.ExclusiveStartShardId == "" {
			break
		}
	}
	limit := in.Limit
	if limit == 0 {
		limit = 100
	}
	sd.Shards, sd.LastEvaluatedShardId = children, ""
	if len(children) > limit {
		sd.Shards, sd.LastEvaluatedShardId = children[:limit], children[limit-1].ShardId
	}
	if sd.Shards == nil {
		sd.Shards = []dynamo.Shard{}
	}
	return out, nil
}

func encodeDescribeStream(w *writer, out *dynamo.DescribeStreamOutput) {
	sd := out.StreamDescription
	if sd == nil {
		return
	}
	w.key("StreamDescription")
	w.beginObject()
	w.timeField("CreationRequestDateTime", sd.CreationRequestDateTime)
	if sd.KeySchema != nil {
		w.keySchema(sd.KeySchema)
	}
	w.stringField("LastEvaluatedShardId", sd.LastEvaluatedShardId)
	w.key("Shards")
	w.beginArray()
	for _, sh := range sd.Shards {
		w.beginObject()
		w.stringField("ParentShardId", sh.ParentShardId)
		if r := sh.SequenceNumberRange; r != nil {
			w.key("SequenceNumberRange")
			w.beginObject()
			w.stringField("EndingSequenceNumber", r.EndingSequenceNumber)
			w.stringField("StartingSequenceNumber", r.StartingSequenceNumber)
			w.endObject()
		}
		w.stringField("ShardId", sh.ShardId)
		w.endObject()
	}
	w.endArray()
	w.stringField("StreamArn", sd.StreamArn)
	w.stringField("StreamLabel", sd.StreamLabel)
	w.stringField("StreamStatus", string(sd.StreamStatus))
	w.stringField("StreamViewType", string(sd.StreamViewType))
	w.stringField("TableName", sd.TableName)
	w.endObject()
}

func decodeGetShardIterator(d *decoder, n *node) *dynamo.GetShardIteratorInput {
	in := &dynamo.GetShardIteratorInput{}
	var arn, shard, typ bool
	d.structure(n, func(name string, v *node) {
		switch name {
		case "StreamArn":
			arn = true
			in.StreamArn = d.str(v)
			d.length("streamArn", in.StreamArn, minStreamArnLen, maxStreamArnLen)
		case "ShardId":
			shard = true
			in.ShardId = d.str(v)
			d.length("shardId", in.ShardId, minShardIDLen, maxShardIDLen)
		case "ShardIteratorType":
			typ = true
			in.ShardIteratorType = dynamo.ShardIteratorType(d.str(v))
			switch in.ShardIteratorType {
			case dynamo.ShardIteratorTypeTrimHorizon, dynamo.ShardIteratorTypeLatest,
				dynamo.ShardIteratorTypeAtSequenceNumber, dynamo.ShardIteratorTypeAfterSequenceNumber:
			default:
				d.constraint("shardIteratorType", string(in.ShardIteratorType),
					"Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]")
			}
		case "SequenceNumber":
			in.SequenceNumber = d.str(v)
			d.length("sequenceNumber", in.SequenceNumber, minSequenceNumberLen, maxSequenceNumberLen)
		}
	})
	d.required("streamArn", arn)
	d.required("shardId", shard)
	d.required("shardIteratorType", typ)
	return in
}

func encodeGetShardIterator(w *writer, out *dynamo.GetShardIteratorOutput) {
	w.stringField("ShardIterator", out.ShardIterator)
}

func decodeGetRecords(d *decoder, n *node) *dynamo.GetRecordsInput {
	in := &dynamo.GetRecordsInput{}
	present := false
	d.structure(n, func(name string, v *node) {
		switch name {
		case "ShardIterator":
			present = true
			in.ShardIterator = d.str(v)
			d.length("shardIterator", in.ShardIterator, minShardIteratorLen, maxShardIteratorLen)
		case "Limit":
			in.Limit = d.limit(v)
		}
	})
	d.required("shardIterator", present)
	return in
}

// encodeGetRecords writes the records as the Streams API does. Records is
// always present, [] when there is nothing new; NextShardIterator is
// absent once a closed shard has been read to its end.
func encodeGetRecords(w *writer, out *dynamo.GetRecordsOutput) {
	w.stringField("NextShardIterator", out.NextShardIterator)
	w.key("Records")
	w.beginArray()
	for i := range out.Records {
		w.streamRecord(&out.Records[i])
	}
	w.endArray()
}

// streamRecord writes one Record of the Streams API. Its members are
// spelled as the API spells them (awsRegion, dynamodb, eventID, …, and
// userIdentity's PrincipalId and Type), which is not quite the JSON of
// the Lambda event that dynamo.Record marshals to: that one has
// eventSourceARN and a lower-case userIdentity.
func (w *writer) streamRecord(r *dynamo.Record) {
	w.beginObject()
	w.stringField("awsRegion", r.AwsRegion)
	w.key("dynamodb")
	w.beginObject()
	sr := &r.Dynamodb
	w.timeField("ApproximateCreationDateTime", sr.ApproximateCreationDateTime)
	w.itemField("Keys", sr.Keys)
	w.itemField("NewImage", sr.NewImage)
	w.itemField("OldImage", sr.OldImage)
	w.stringField("SequenceNumber", sr.SequenceNumber)
	w.intField("SizeBytes", sr.SizeBytes)
	w.stringField("StreamViewType", string(sr.StreamViewType))
	w.endObject()
	w.stringField("eventID", r.EventID)
	w.stringField("eventName", string(r.EventName))
	w.stringField("eventSource", r.EventSource)
	w.stringField("eventVersion", r.EventVersion)
	if id := r.UserIdentity; id != nil {
		w.key("userIdentity")
		w.beginObject()
		w.stringField("PrincipalId", id.PrincipalId)
		w.stringField("Type", id.Type)
		w.endObject()
	}
	w.endObject()
}
