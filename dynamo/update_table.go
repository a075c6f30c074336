package dynamo

import (
	"context"
	"slices"
)

// UpdateTableInput is the request of UpdateTable. At least one change must
// be asked for.
type UpdateTableInput struct {
	TableName string
	// AttributeDefinitions declares the key attributes of indexes being
	// created; existing definitions are kept.
	AttributeDefinitions        []AttributeDefinition
	BillingMode                 BillingMode
	ProvisionedThroughput       *ProvisionedThroughput
	GlobalSecondaryIndexUpdates []GlobalSecondaryIndexUpdate
	TableClass                  TableClass
	DeletionProtectionEnabled   *bool
	// StreamSpecification turns the table's stream on or off. Enabling
	// starts a new stream with a new ARN; disabling closes the stream,
	// which stays readable for 24 hours.
	StreamSpecification *StreamSpecification
	// ReplicaUpdates adds or removes a global table replica in another
	// region of the DB's Account (global.go); it cannot be combined with
	// other changes.
	ReplicaUpdates []ReplicationGroupUpdate
}

// UpdateTableOutput is the response of UpdateTable. The table is reported
// as UPDATING and a new index as CREATING, as DynamoDB reports them; both
// are ACTIVE, the index backfilled, when UpdateTable returns.
type UpdateTableOutput struct {
	TableDescription *TableDescription
}

// GlobalSecondaryIndexUpdate is one change to a table's global indexes:
// exactly one of its fields is set.
type GlobalSecondaryIndexUpdate struct {
	Create *CreateGlobalSecondaryIndexAction
	Update *UpdateGlobalSecondaryIndexAction
	Delete *DeleteGlobalSecondaryIndexAction
}

// CreateGlobalSecondaryIndexAction adds a global index, backfilled from
// the items already in the table.
type CreateGlobalSecondaryIndexAction struct {
	IndexName             string
	KeySchema             []KeySchemaElement
	Projection            Projection
	ProvisionedThroughput *ProvisionedThroughput
}

// UpdateGlobalSecondaryIndexAction changes a global index's capacity.
type UpdateGlobalSecondaryIndexAction struct {
	IndexName             string
	ProvisionedThroughput ProvisionedThroughput
}

// DeleteGlobalSecondaryIndexAction removes a global index.
type DeleteGlobalSecondaryIndexAction struct {
	IndexName string
}

// UpdateTable changes a table's billing, capacity, class, deletion
// protection or global secondary indexes. DynamoDB allows one index to be
// created or deleted per call.
func (db *DB) UpdateTable(ctx context.Context, in *UpdateTableInput) (*UpdateTableOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &UpdateTableInput{}
	}
	if err := db.fault(ctx, "UpdateTable", in.TableName); err != nil {
		return nil, err
	}
	t, err := db.table(in.TableName)
	if err != nil {
		return nil, err
	}
	if len(in.ReplicaUpdates) > 0 {
		return db.updateReplicas(ctx, t, in) // global.go
	}
	if in.BillingMode == "" && in.ProvisionedThroughput == nil && len(in.GlobalSecondaryIndexUpdates) == 0 &&
		in.TableClass == "" && in.DeletionProtectionEnabled == nil && in.StreamSpecification == nil {
		return nil, ErrValidation.New("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required")
	}
	if err := t.lockLive(); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()

	billing := t.billing
	switch in.BillingMode {
	case "":
	case BillingModeProvisioned, BillingModePayPerRequest:
		billing = in.BillingMode
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]", in.BillingMode)
	}
	throughput := t.throughput
	switch {
	case billing == BillingModePayPerRequest && in.ProvisionedThroughput != nil:
		return nil, ErrValidation.New("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
	case billing == BillingModePayPerRequest:
		throughput = ProvisionedThroughput{}
	case in.ProvisionedThroughput != nil:
		if err := validateThroughput(*in.ProvisionedThroughput); err != nil {
			return nil, err
		}
		if t.billing == BillingModeProvisioned && *in.ProvisionedThroughput == t.throughput && len(in.GlobalSecondaryIndexUpdates) == 0 {
			return nil, ErrValidation.Newf("The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnitsForTable: %d Requested ReadCapacityUnitsForTable: %d Current WriteCapacityUnitsForTable: %d Requested WriteCapacityUnitsForTable: %d",
				t.throughput.ReadCapacityUnits, in.ProvisionedThroughput.ReadCapacityUnits, t.throughput.WriteCapacityUnits, in.ProvisionedThroughput.WriteCapacityUnits)
		}
		throughput = *in.ProvisionedThroughput
	case t.billing == BillingModePayPerRequest:
		return nil, ErrValidation.New("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
	}
	class := t.class
	switch in.TableClass {
	case "":
	case TableClassStandard, TableClassStandardInfrequentAccess:
		class = in.TableClass
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'tableClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]", in.TableClass)
	}

	// Work on a copy of the index list so that a rejected request changes
	// nothing.
	indexes := slices.Clone(t.indexes)
	defs := map[string]ScalarAttributeType{}
	var defNames []string
	for _, d := range append(slices.Clone(t.attrDefs), in.AttributeDefinitions...) {
		if old, ok := defs[d.AttributeName]; ok {
			if old != d.AttributeType {
				return nil, ErrValidation.Newf("Cannot change the type of an existing attribute; attribute name: %s", d.AttributeName)
			}
			continue
		}
		defs[d.AttributeName] = d.AttributeType
		defNames = append(defNames, d.AttributeName)
	}
	throughputs := map[string]ProvisionedThroughput{}
	var created *index
	createsOrDeletes := 0
	for _, u := range in.GlobalSecondaryIndexUpdates {
		n := 0
		for _, set := range []bool{u.Create != nil, u.Update != nil, u.Delete != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			return nil, ErrValidation.New("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Update, or GlobalSecondaryIndexUpdate.Delete must be specified")
		}
		switch {
		case u.Create != nil:
			createsOrDeletes++
			names := map[string]bool{}
			for _, ix := range indexes {
				names[ix.name] = true
			}
			c := u.Create
			if names[c.IndexName] {
				return nil, ErrValidation.Newf("One or more parameter values were invalid: Duplicate index name: %s", c.IndexName)
			}
			ix, err := t.newIndex(c.IndexName, true, c.KeySchema, c.Projection, defs, defNames, names)
			if err != nil {
				return nil, err
			}
			if err := ix.setThroughput(billing, c.ProvisionedThroughput); err != nil {
				return nil, err
			}
			globals := 0
			for _, o := range indexes {
				if o.global {
					globals++
				}
			}
			if globals >= db.limits.MaxGlobalSecondaryIndexes {
				return nil, ErrLimitExceeded.Newf("Subscriber limit exceeded: The number of global secondary indexes for this table exceeds the limit of %d", db.limits.MaxGlobalSecondaryIndexes)
			}
			created = ix
			indexes = append(indexes, ix)
		case u.Delete != nil:
			createsOrDeletes++
			i := slices.IndexFunc(indexes, func(ix *index) bool { return ix.global && ix.name == u.Delete.IndexName })
			if i < 0 {
				return nil, ErrResourceNotFound.Newf("Requested resource not found: Index: %s not found", u.Delete.IndexName)
			}
			indexes = slices.Delete(indexes, i, i+1)
		case u.Update != nil:
			if billing == BillingModePayPerRequest {
				return nil, ErrValidation.Newf("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: %s when BillingMode is PAY_PER_REQUEST", u.Update.IndexName)
			}
			if !slices.ContainsFunc(indexes, func(ix *index) bool { return ix.global && ix.name == u.Update.IndexName }) {
				return nil, ErrResourceNotFound.Newf("Requested resource not found: Index: %s not found", u.Update.IndexName)
			}
			if err := validateThroughput(u.Update.ProvisionedThroughput); err != nil {
				return nil, err
			}
			throughputs[u.Update.IndexName] = u.Update.ProvisionedThroughput
		}
	}
	if createsOrDeletes > 1 {
		return nil, ErrLimitExceeded.New("Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table")
	}
	if billing == BillingModeProvisioned && t.billing == BillingModePayPerRequest {
		for _, ix := range indexes {
			if ix.global && ix != created {
				if _, ok := throughputs[ix.name]; !ok {
					return nil, ErrValidation.Newf("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: %s", ix.name)
				}
			}
		}
	}

	if err := t.checkUpdateStreamSpec(in.StreamSpecification, createsOrDeletes > 0); err != nil {
		return nil, err
	}

	if err := db.checkThroughputUpdate(t, in.BillingMode, in.ProvisionedThroughput, throughputs); err != nil {
		return nil, err
	}

	// Validated: apply.
	now := db.clock.Now()
	t.setStream(in.StreamSpecification, now)
	if billing != t.billing {
		t.billingChanged = now
	}
	t.billing, t.throughput, t.class = billing, throughput, class
	if in.DeletionProtectionEnabled != nil {
		t.deletionProtection = *in.DeletionProtectionEnabled
	}
	for _, ix := range indexes {
		if !ix.global {
			continue
		}
		if tp, ok := throughputs[ix.name]; ok {
			ix.throughput = tp
		} else if billing == BillingModePayPerRequest {
			ix.throughput = ProvisionedThroughput{}
		}
	}
	if created != nil {
		t.items.Ascend(func(rec *record) bool {
			created.put(t.key, rec)
			return true
		})
	}
	t.indexes = indexes
	db.noteCapacityChange(t)
	for _, d := range in.AttributeDefinitions {
		if !slices.ContainsFunc(t.attrDefs, func(a AttributeDefinition) bool { return a.AttributeName == d.AttributeName }) {
			t.attrDefs = append(t.attrDefs, d)
		}
	}
	desc := t.describe()
	desc.TableStatus = TableStatusUpdating
	for i := range desc.GlobalSecondaryIndexes {
		if created != nil && desc.GlobalSecondaryIndexes[i].IndexName == created.name {
			desc.GlobalSecondaryIndexes[i].IndexStatus = IndexStatusCreating
			desc.GlobalSecondaryIndexes[i].Backfilling = true
		}
	}
	return &UpdateTableOutput{TableDescription: desc}, nil
}
