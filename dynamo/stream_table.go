package dynamo

import "time"

// publish hands a committed change to whatever follows the table: the
// Time to Live queue, the DynamoDB stream and the Kinesis destinations.
// old and rec are the item's records before and after (nil when it did
// not exist); byTTL marks a deletion by Time to Live. A change that
// leaves the item as it was yields no record, as in DynamoDB. The caller
// holds t.mu for writing, so records follow the commit order.
func (t *table) publish(old, rec *record, byTTL bool) {
	if old == nil && rec == nil {
		return
	}
	if t.pitr.enabled {
		t.history(old, rec) // pitr.go
	}
	if t.replica != nil {
		t.replicate(old, rec, byTTL) // replica.go
	}
	if t.ttl.enabled {
		t.ttlTrack(old, rec)
	}
	if t.stream == nil && len(t.kinesis) == 0 {
		return
	}
	var oldItem, newItem Item
	var oldSize, newSize int
	op := OperationTypeModify
	switch {
	case old == nil:
		op, newItem, newSize = OperationTypeInsert, rec.item, rec.size
	case rec == nil:
		op, oldItem, oldSize = OperationTypeRemove, old.item, old.size
	default:
		// Items of different sizes differ; only equal sizes are compared.
		if old.size == rec.size && itemsEqual(old.item, rec.item) {
			return
		}
		oldItem, newItem, oldSize, newSize = old.item, rec.item, old.size, rec.size
	}
	now := t.db.clock.Now()
	if t.stream != nil {
		t.stream.append(now, op, oldItem, newItem, oldSize, newSize, byTTL)
	}
	for _, k := range t.kinesis {
		k.publish(t, now, op, oldItem, newItem, byTTL)
	}
}

// checkStreamSpec validates the StreamSpecification of CreateTable.
func checkCreateStreamSpec(spec *StreamSpecification) error {
	if spec == nil {
		return nil
	}
	if !spec.StreamEnabled {
		if spec.StreamViewType != "" {
			return ErrValidation.New("One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified")
		}
		return nil
	}
	if spec.StreamViewType == "" {
		return ErrValidation.New("One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required")
	}
	return checkStreamViewType(spec.StreamViewType)
}

func checkStreamViewType(v StreamViewType) error {
	switch v {
	case StreamViewTypeKeysOnly, StreamViewTypeNewImage, StreamViewTypeOldImage, StreamViewTypeNewAndOldImages:
		return nil
	}
	return ErrValidation.Newf("1 validation error detected: Value '%s' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]", v)
}

// checkUpdateStreamSpec validates the StreamSpecification of UpdateTable
// against the table's stream. The caller holds t.mu.
func (t *table) checkUpdateStreamSpec(spec *StreamSpecification, changesIndexes bool) error {
	if spec == nil {
		return nil
	}
	if spec.StreamEnabled {
		if spec.StreamViewType == "" {
			return ErrValidation.New("One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required")
		}
		if err := checkStreamViewType(spec.StreamViewType); err != nil {
			return err
		}
	} else if spec.StreamViewType != "" {
		return ErrValidation.New("One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified")
	}
	if changesIndexes {
		return ErrValidation.New("One or more parameter values were invalid: You cannot create or delete index while changing stream status")
	}
	if spec.StreamEnabled && t.stream != nil {
		return ErrValidation.Newf("Table already has an enabled stream: TableName: %s", t.name)
	}
	if !spec.StreamEnabled && t.replica != nil {
		return ErrValidation.Newf("One or more parameter values were invalid: Cannot disable the stream of table %s: it is a global table replica, which needs its stream", t.name)
	}
	if !spec.StreamEnabled && t.stream == nil {
		return ErrValidation.Newf("Table has no stream to disable: TableName: %s", t.name)
	}
	return nil
}

// setStream turns the table's stream on (a new stream, with its own ARN)
// or off (the stream closes and stays readable for 24 hours). The caller
// holds t.mu and has validated spec.
func (t *table) setStream(spec *StreamSpecification, now time.Time) {
	switch {
	case spec == nil:
	case spec.StreamEnabled && t.stream == nil:
		s := newStream(t, spec.StreamViewType, now)
		t.stream, t.latestStream = s, s
		t.db.streams.add(s)
	case !spec.StreamEnabled && t.stream != nil:
		t.stream.mu.Lock()
		t.stream.disable(now)
		t.stream.mu.Unlock()
		t.stream = nil
	}
}

// describeStream adds the stream's fields to a table description. The
// caller holds t.mu.
func (t *table) describeStream(d *TableDescription) {
	if t.stream != nil {
		d.StreamSpecification = &StreamSpecification{StreamEnabled: true, StreamViewType: t.stream.viewType}
	}
	if t.latestStream != nil {
		d.LatestStreamArn, d.LatestStreamLabel = t.latestStream.arn, t.latestStream.label
	}
}

// retire stops what follows a table being deleted: its stream is
// disabled (and readable for 24 hours more), its Time to Live timer
// stopped and its Kinesis destinations turned off. The caller holds t.mu.
func (t *table) retire(now time.Time) {
	t.backupOnDelete(now) // backup.go
	t.leaveGlobalTable()  // replica.go
	t.setStream(&StreamSpecification{}, now)
	t.stopTTL()
	for _, k := range t.kinesis {
		k.status = DestinationStatusDisabled
	}
	t.kinesis = nil
}
