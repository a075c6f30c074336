package dynamo

import (
	"context"
	"slices"
)

// GlobalTableVersion is the version of global tables minicloud models:
// "2019.11.21", the current one, managed through UpdateTable.
const GlobalTableVersion = "2019.11.21"

// ReplicaStatus is the state of a global table replica.
type ReplicaStatus string

// Replica statuses. Replicas are ACTIVE at once; an UpdateTable response
// reports a new one CREATING and a removed one DELETING, as DynamoDB's does.
const (
	ReplicaStatusCreating ReplicaStatus = "CREATING"
	ReplicaStatusUpdating ReplicaStatus = "UPDATING"
	ReplicaStatusDeleting ReplicaStatus = "DELETING"
	ReplicaStatusActive   ReplicaStatus = "ACTIVE"
)

// ReplicaDescription describes one replica of a global table in another
// region.
type ReplicaDescription struct {
	RegionName               string
	ReplicaStatus            ReplicaStatus
	ReplicaTableClassSummary *TableClassSummary
}

// ReplicationGroupUpdate is one change to a global table's replicas:
// exactly one of its fields is set.
type ReplicationGroupUpdate struct {
	Create *CreateReplicationGroupMemberAction
	Delete *DeleteReplicationGroupMemberAction
}

// CreateReplicationGroupMemberAction adds a replica in RegionName.
type CreateReplicationGroupMemberAction struct {
	RegionName string
	// TableClassOverride gives the replica another table class.
	TableClassOverride TableClass
}

// DeleteReplicationGroupMemberAction removes the replica in RegionName
// and deletes its table.
type DeleteReplicationGroupMemberAction struct {
	RegionName string
}

// updateReplicas applies UpdateTable's ReplicaUpdates: each Create makes
// the table in another region of the account, with the same key schema,
// indexes, billing and stream, copies the items into it and replicates
// between them from then on; each Delete removes a replica and deletes its
// table. The table needs a stream with NEW_AND_OLD_IMAGES, as in DynamoDB.
func (db *DB) updateReplicas(ctx context.Context, t *table, in *UpdateTableInput) (*UpdateTableOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if db.account == nil {
		return nil, ErrValidation.New("minicloud: this DB is not part of an Account; create it with NewAccount(...).Region(name) to use global tables")
	}
	if in.BillingMode != "" || in.ProvisionedThroughput != nil || len(in.GlobalSecondaryIndexUpdates) > 0 || in.StreamSpecification != nil || in.TableClass != "" || in.DeletionProtectionEnabled != nil {
		return nil, ErrValidation.New("One or more parameter values were invalid: ReplicaUpdates cannot be combined with other updates in the same request")
	}
	if len(in.ReplicaUpdates) > 1 {
		return nil, ErrValidation.New("One or more parameter values were invalid: Only one replica can be created or deleted per UpdateTable request")
	}
	u := in.ReplicaUpdates[0]
	if (u.Create == nil) == (u.Delete == nil) {
		return nil, ErrValidation.New("One or more parameter values were invalid: One of ReplicationGroupUpdate.Create or ReplicationGroupUpdate.Delete must be specified")
	}
	region := ""
	if u.Create != nil {
		region = u.Create.RegionName
	} else {
		region = u.Delete.RegionName
	}
	if region == db.opts.Region {
		return nil, ErrValidation.Newf("One or more parameter values were invalid: The replica region %s is the region of the request; update the replicas from another region", region)
	}
	other := db.account.Region(region)
	if other == nil {
		return nil, ErrValidation.Newf("One or more parameter values were invalid: Region %s is not a valid region", region)
	}
	if u.Delete != nil {
		// The replica is deleted without t's lock held, so that two
		// regions removing each other cannot deadlock.
		if err := t.removeReplica(other); err != nil {
			return nil, err
		}
	}
	if err := t.lockLive(); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	if u.Delete != nil {
		t.dissolveIfAlone()
		desc := t.describe()
		desc.TableStatus = TableStatusUpdating
		desc.Replicas = append(desc.Replicas, ReplicaDescription{RegionName: region, ReplicaStatus: ReplicaStatusDeleting})
		slices.SortFunc(desc.Replicas, func(a, b ReplicaDescription) int { return compareStrings(a.RegionName, b.RegionName) })
		return &UpdateTableOutput{TableDescription: desc}, nil
	}
	change, err := t.addReplica(other, u.Create)
	if err != nil {
		return nil, err
	}
	desc := t.describe()
	desc.TableStatus = TableStatusUpdating
	for i := range desc.Replicas {
		if desc.Replicas[i].RegionName == region {
			desc.Replicas[i] = *change
		}
	}
	return &UpdateTableOutput{TableDescription: desc}, nil
}

// addReplica creates the replica of t in region other's DB. The caller
// holds t.mu.
func (t *table) addReplica(other *DB, c *CreateReplicationGroupMemberAction) (*ReplicaDescription, error) {
	if t.stream == nil || t.stream.viewType != StreamViewTypeNewAndOldImages {
		return nil, ErrValidation.Newf("One or more parameter values were invalid: Table %s must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES to add a replica", t.name)
	}
	if t.replica != nil && t.replica.group.member(other.opts.Region) != nil {
		return nil, ErrValidation.Newf("One or more parameter values were invalid: Table %s already has a replica in region %s", t.name, other.opts.Region)
	}
	if other.hasTable(t.name) {
		return nil, ErrValidation.Newf("One or more parameter values were invalid: Failed to create a replica of table %s in region %s because a table of that name exists there", t.name, other.opts.Region)
	}
	spec := t.definition()
	spec.StreamSpecification = &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeNewAndOldImages}
	if c.TableClassOverride != "" {
		spec.TableClass = c.TableClassOverride
	}
	r, err := other.newTable(&spec)
	if err != nil {
		return nil, err
	}
	if t.replica == nil {
		g := &globalTable{name: t.name, delay: t.db.account.replicationDelay()}
		t.replica = g.join(t)
	}
	g := t.replica.group
	// The items are copied before r joins, so that the copy is not
	// replicated; they carry each item's write version, so that writes
	// still on their way resolve against it as against any other replica.
	t.items.Ascend(func(rec *record) bool {
		r.store(nil, rec)
		return true
	})
	// Once r joins, the other replicas may deliver writes to it, so the
	// rest happens under its lock.
	r.mu.Lock()
	r.setStream(spec.StreamSpecification, r.created)
	r.replica = g.join(r)
	for k, v := range t.replica.versions {
		r.replica.versions[k] = v
	}
	r.mu.Unlock()
	if err := other.addTable(r); err != nil {
		r.mu.Lock()
		r.status = TableStatusDeleting
		r.retire(r.db.clock.Now()) // leaves the group, closes the stream
		r.mu.Unlock()
		t.dissolveIfAlone()
		return nil, err
	}
	return &ReplicaDescription{RegionName: other.opts.Region, ReplicaStatus: ReplicaStatusCreating, ReplicaTableClassSummary: &TableClassSummary{TableClass: spec.TableClass}}, nil
}

// removeReplica deletes the replica of t in region other. The caller
// does not hold t.mu.
func (t *table) removeReplica(other *DB) error {
	t.mu.RLock()
	link := t.replica
	t.mu.RUnlock()
	if link == nil || link.group.member(other.opts.Region) == nil {
		return ErrValidation.Newf("One or more parameter values were invalid: Table %s has no replica in region %s", t.name, other.opts.Region)
	}
	// DeleteTable in the other region retires the replica, which leaves
	// the group; t's lock is not needed for that.
	other.mu.Lock()
	r := other.tables[t.name]
	if r == nil {
		other.mu.Unlock()
		return ErrValidation.Newf("One or more parameter values were invalid: Table %s has no replica in region %s", t.name, other.opts.Region)
	}
	delete(other.tables, t.name)
	other.noteCapacityChange(r)
	other.mu.Unlock()
	r.mu.Lock()
	r.status = TableStatusDeleting
	r.retire(other.clock.Now())
	r.mu.Unlock()
	return nil
}

// describeReplicas adds the global table fields: the replicas in the
// other regions. The caller holds t.mu.
func (t *table) describeReplicas(d *TableDescription) {
	if t.replica == nil {
		return
	}
	members := t.replica.group.members()
	if len(members) < 2 {
		return // the other replicas were deleted: a plain table again
	}
	d.GlobalTableVersion = GlobalTableVersion
	for _, m := range members {
		if m.table == t {
			continue
		}
		d.Replicas = append(d.Replicas, ReplicaDescription{
			RegionName:               m.region,
			ReplicaStatus:            ReplicaStatusActive,
			ReplicaTableClassSummary: &TableClassSummary{TableClass: m.class},
		})
	}
	slices.SortFunc(d.Replicas, func(a, b ReplicaDescription) int { return compareStrings(a.RegionName, b.RegionName) })
}
