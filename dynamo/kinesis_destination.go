package dynamo

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"time"
)

// DestinationStatus is the state of a table's Kinesis streaming
// destination: "ENABLING", "ACTIVE", "DISABLING", "DISABLED",
// "ENABLE_FAILED" or "UPDATING". minicloud's changes take effect at once:
// Enable answers ENABLING and the destination is ACTIVE; Disable answers
// DISABLING and it is DISABLED.
type DestinationStatus string

// Destination statuses.
const (
	DestinationStatusEnabling     DestinationStatus = "ENABLING"
	DestinationStatusActive       DestinationStatus = "ACTIVE"
	DestinationStatusDisabling    DestinationStatus = "DISABLING"
	DestinationStatusDisabled     DestinationStatus = "DISABLED"
	DestinationStatusEnableFailed DestinationStatus = "ENABLE_FAILED"
	DestinationStatusUpdating     DestinationStatus = "UPDATING"
)

// ApproximateCreationDateTimePrecision is the unit of the
// ApproximateCreationDateTime of Kinesis change records: "MILLISECOND"
// (the default) or "MICROSECOND".
type ApproximateCreationDateTimePrecision string

// Precisions of ApproximateCreationDateTime.
const (
	PrecisionMillisecond ApproximateCreationDateTimePrecision = "MILLISECOND"
	PrecisionMicrosecond ApproximateCreationDateTimePrecision = "MICROSECOND"
)

// EnableKinesisStreamingConfiguration sets how changes are written to
// the Kinesis stream.
type EnableKinesisStreamingConfiguration struct {
	ApproximateCreationDateTimePrecision ApproximateCreationDateTimePrecision
}

// EnableKinesisStreamingDestinationInput is the request of
// EnableKinesisStreamingDestination and DisableKinesisStreamingDestination.
type EnableKinesisStreamingDestinationInput struct {
	TableName string
	// StreamArn is the Kinesis stream's ARN (see [DB.CreateKinesisStream]).
	StreamArn                           string
	EnableKinesisStreamingConfiguration *EnableKinesisStreamingConfiguration
}

// EnableKinesisStreamingDestinationOutput is the response of
// EnableKinesisStreamingDestination and DisableKinesisStreamingDestination.
type EnableKinesisStreamingDestinationOutput struct {
	TableName                           string
	StreamArn                           string
	DestinationStatus                   DestinationStatus
	EnableKinesisStreamingConfiguration *EnableKinesisStreamingConfiguration
}

// DisableKinesisStreamingDestinationInput is the request of
// DisableKinesisStreamingDestination.
type DisableKinesisStreamingDestinationInput = EnableKinesisStreamingDestinationInput

// DisableKinesisStreamingDestinationOutput is the response of
// DisableKinesisStreamingDestination.
type DisableKinesisStreamingDestinationOutput = EnableKinesisStreamingDestinationOutput

// DescribeKinesisStreamingDestinationInput is the request of
// DescribeKinesisStreamingDestination.
type DescribeKinesisStreamingDestinationInput struct {
	TableName string
}

// DescribeKinesisStreamingDestinationOutput is the response of
// DescribeKinesisStreamingDestination.
type DescribeKinesisStreamingDestinationOutput struct {
	TableName                     string
	KinesisDataStreamDestinations []KinesisDataStreamDestination
}

// KinesisDataStreamDestination is one Kinesis stream a table streams to,
// or streamed to.
type KinesisDataStreamDestination struct {
	StreamArn                            string
	DestinationStatus                    DestinationStatus
	DestinationStatusDescription         string
	ApproximateCreationDateTimePrecision ApproximateCreationDateTimePrecision
}

// kinesisDest is one of a table's destinations.
type kinesisDest struct {
	stream    *KinesisStream
	status    DestinationStatus
	precision ApproximateCreationDateTimePrecision
	events    uint64 // change records written, for event IDs
}

// kinesisDestinationParams validates the table and stream of an
// Enable or Disable request.
func (db *DB) kinesisDestinationParams(in *EnableKinesisStreamingDestinationInput) (*table, *KinesisStream, error) {
	if n := len(in.StreamArn); n < 37 || n > 1024 {
		return nil, nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'streamArn' failed to satisfy constraint: Member must have length between 37 and 1024", in.StreamArn)
	}
	t, err := db.table(in.TableName)
	if err != nil {
		return nil, nil, err
	}
	k, err := db.KinesisStream(in.StreamArn)
	if err != nil {
		return nil, nil, err
	}
	return t, k, nil
}

// EnableKinesisStreamingDestination starts streaming the table's changes
// to a Kinesis stream, from now on: one record per committed change, with
// both images, in the JSON of [KinesisChange], partitioned by the item's
// partition key. Delivery is at least once (see
// KinesisOptions.DuplicateRate), and records of different partition keys
// may land on different shards, so consumers must be idempotent and order
// by ApproximateCreationDateTime, not by arrival.
func (db *DB) EnableKinesisStreamingDestination(ctx context.Context, in *EnableKinesisStreamingDestinationInput) (*EnableKinesisStreamingDestinationOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &EnableKinesisStreamingDestinationInput{}
	}
	precision := PrecisionMillisecond
	if c := in.EnableKinesisStreamingConfiguration; c != nil && c.ApproximateCreationDateTimePrecision != "" {
		precision = c.ApproximateCreationDateTimePrecision
		if precision != PrecisionMillisecond && precision != PrecisionMicrosecond {
			return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'enableKinesisStreamingConfiguration.approximateCreationDateTimePrecision' failed to satisfy constraint: Member must satisfy enum value set: [MILLISECOND, MICROSECOND]", precision)
		}
	}
	t, k, err := db.kinesisDestinationParams(in)
	if err != nil {
		return nil, err
	}
	if err := t.lockLive(); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	dest := t.kinesisDest(k)
	if dest != nil && dest.status == DestinationStatusActive {
		return nil, ErrValidation.New("Table is not in a valid state to enable Kinesis Streaming Destination: EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform ENABLE operation.")
	}
	if dest == nil {
		dest = &kinesisDest{stream: k}
		t.kinesis = append(t.kinesis, dest)
	}
	dest.status, dest.precision = DestinationStatusActive, precision
	return &EnableKinesisStreamingDestinationOutput{
		TableName:                           t.name,
		StreamArn:                           k.arn,
		DestinationStatus:                   DestinationStatusEnabling,
		EnableKinesisStreamingConfiguration: &EnableKinesisStreamingConfiguration{ApproximateCreationDateTimePrecision: precision},
	}, nil
}

// DisableKinesisStreamingDestination stops streaming the table's changes
// to a Kinesis stream. The records already written stay in the stream.
func (db *DB) DisableKinesisStreamingDestination(ctx context.Context, in *DisableKinesisStreamingDestinationInput) (*DisableKinesisStreamingDestinationOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &DisableKinesisStreamingDestinationInput{}
	}
	t, k, err := db.kinesisDestinationParams(in)
	if err != nil {
		return nil, err
	}
	if err := t.lockLive(); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	dest := t.kinesisDest(k)
	if dest == nil || dest.status != DestinationStatusActive {
		return nil, ErrValidation.New("Table is not in a valid state to enable Kinesis Streaming Destination: KinesisStreamingDestination must be ACTIVE to perform DISABLE operation.")
	}
	dest.status = DestinationStatusDisabled
	return &DisableKinesisStreamingDestinationOutput{
		TableName:                           t.name,
		StreamArn:                           k.arn,
		DestinationStatus:                   DestinationStatusDisabling,
		EnableKinesisStreamingConfiguration: &EnableKinesisStreamingConfiguration{ApproximateCreationDateTimePrecision: dest.precision},
	}, nil
}

// DescribeKinesisStreamingDestination lists the Kinesis streams the table
// streams to, or has streamed to.
func (db *DB) DescribeKinesisStreamingDestination(ctx context.Context, in *DescribeKinesisStreamingDestinationInput) (*DescribeKinesisStreamingDestinationOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &DescribeKinesisStreamingDestinationInput{}
	}
	t, err := db.table(in.TableName)
	if err != nil {
		return nil, err
	}
	if err := t.rlockLive(); err != nil {
		return nil, err
	}
	defer t.mu.RUnlock()
	out := &DescribeKinesisStreamingDestinationOutput{TableName: t.name, KinesisDataStreamDestinations: []KinesisDataStreamDestination{}}
	for _, d := range t.kinesis {
		out.KinesisDataStreamDestinations = append(out.KinesisDataStreamDestinations, KinesisDataStreamDestination{
			StreamArn:                            d.stream.arn,
			DestinationStatus:                    d.status,
			ApproximateCreationDateTimePrecision: d.precision,
		})
	}
	return out, nil
}

// kinesisDest returns the table's destination for k, if any. The caller
// holds t.mu.
func (t *table) kinesisDest(k *KinesisStream) *kinesisDest {
	for _, d := range t.kinesis {
		if d.stream == k {
			return d
		}
	}
	return nil
}

// publish writes one change to the destination's stream, twice when the
// duplicate draw says so. The caller holds t.mu.
func (d *kinesisDest) publish(t *table, now time.Time, op OperationType, old, new Item, byTTL bool) {
	if d.status != DestinationStatusActive {
		return
	}
	d.events++
	item := firstItem(new, old)
	c := KinesisChange{
		AwsRegion:    t.db.opts.Region,
		EventID:      eventID(t.arn+"|"+d.stream.arn, d.events),
		EventName:    op,
		RecordFormat: "application/json",
		TableName:    t.name,
		EventSource:  streamEventSource,
		Dynamodb: KinesisChangeRecord{
			ApproximateCreationDateTime:          now,
			ApproximateCreationDateTimePrecision: d.precision,
			Keys:                                 t.key.keyOf(item),
			NewImage:                             new,
			OldImage:                             old,
		},
	}
	c.Dynamodb.SizeBytes = int64(itemSize(c.Dynamodb.Keys) + itemSize(new) + itemSize(old))
	if byTTL {
		id := ttlIdentity
		c.UserIdentity = &id
	}
	data, _ := json.Marshal(c)
	sum := md5.Sum(appendKeyValue(nil, item[t.key.hash.name]))
	pk := hex.EncodeToString(sum[:])
	d.stream.put(pk, data)
	if t.db.kinesis.draw(t.db.opts.Kinesis.DuplicateRate, t.db.opts.Seed) {
		d.stream.put(pk, data)
	}
}

// KinesisChange is the JSON document DynamoDB writes as the Data of each
// Kinesis record of a streaming destination.
type KinesisChange struct {
	AwsRegion string `json:"awsRegion"`
	// EventID identifies the change; a duplicate delivery repeats it.
	EventID   string        `json:"eventID"`
	EventName OperationType `json:"eventName"`
	// UserIdentity is set on Time to Live deletions, null otherwise.
	UserIdentity *Identity `json:"userIdentity"`
	// RecordFormat is "application/json".
	RecordFormat string              `json:"recordFormat"`
	TableName    string              `json:"tableName"`
	Dynamodb     KinesisChangeRecord `json:"dynamodb"`
	EventSource  string              `json:"eventSource"`
}

// KinesisChangeRecord is the change of a [KinesisChange]: always both
// images (where the item existed), and ApproximateCreationDateTime in
// milliseconds or microseconds since the epoch, as its precision says.
type KinesisChangeRecord struct {
	ApproximateCreationDateTime          time.Time
	ApproximateCreationDateTimePrecision ApproximateCreationDateTimePrecision
	Keys, NewImage, OldImage             Item
	SizeBytes                            int64
}

// MarshalJSON writes the record in DynamoDB's JSON.
func (r KinesisChangeRecord) MarshalJSON() ([]byte, error) {
	buf := []byte(`{"ApproximateCreationDateTime":`)
	if r.ApproximateCreationDateTimePrecision == PrecisionMicrosecond {
		buf = strconv.AppendInt(buf, r.ApproximateCreationDateTime.UnixMicro(), 10)
	} else {
		buf = strconv.AppendInt(buf, r.ApproximateCreationDateTime.UnixMilli(), 10)
	}
	for _, img := range []struct {
		name string
		item Item
	}{{"Keys", r.Keys}, {"NewImage", r.NewImage}, {"OldImage", r.OldImage}} {
		if len(img.item) == 0 {
			continue
		}
		buf = append(buf, `,"`...)
		buf = append(buf, img.name...)
		buf = append(buf, `":`...)
		buf = appendItemJSON(buf, img.item)
	}
	buf = append(buf, `,"SizeBytes":`...)
	buf = strconv.AppendInt(buf, r.SizeBytes, 10)
	if r.ApproximateCreationDateTimePrecision != "" {
		buf = append(buf, `,"ApproximateCreationDateTimePrecision":`...)
		buf = appendJSONString(buf, string(r.ApproximateCreationDateTimePrecision))
	}
	return append(buf, '}'), nil
}

// UnmarshalJSON reads a record written by MarshalJSON or by DynamoDB.
func (r *KinesisChangeRecord) UnmarshalJSON(data []byte) error {
	var raw struct {
		ApproximateCreationDateTime          *json.Number
		ApproximateCreationDateTimePrecision ApproximateCreationDateTimePrecision
		Keys, NewImage, OldImage             json.RawMessage
		SizeBytes                            int64
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	out := KinesisChangeRecord{ApproximateCreationDateTimePrecision: raw.ApproximateCreationDateTimePrecision, SizeBytes: raw.SizeBytes}
	if raw.ApproximateCreationDateTime != nil {
		n, err := raw.ApproximateCreationDateTime.Int64()
		if err != nil {
			return errors.New("dynamo: ApproximateCreationDateTime is not an integer time")
		}
		if out.ApproximateCreationDateTimePrecision == PrecisionMicrosecond {
			out.ApproximateCreationDateTime = time.UnixMicro(n).UTC()
		} else {
			out.ApproximateCreationDateTime = time.UnixMilli(n).UTC()
		}
	}
	for _, img := range []struct {
		raw json.RawMessage
		dst *Item
	}{{raw.Keys, &out.Keys}, {raw.NewImage, &out.NewImage}, {raw.OldImage, &out.OldImage}} {
		if len(img.raw) == 0 || string(img.raw) == "null" {
			continue
		}
		item, err := decodeItemJSON(img.raw, 0)
		if err != nil {
			return err
		}
		*img.dst = item
	}
	*r = out
	return nil
}
