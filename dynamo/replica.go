package dynamo

// replicaLink ties a table to its global table.
type replicaLink struct{}

func (t *table) replicate(old, rec *record, byTTL bool) {}

func (t *table) leaveGlobalTable() {}

func (t *table) describeReplicas(d *TableDescription) {}

// ReplicaDescription describes one replica of a global table.
type ReplicaDescription struct{}
