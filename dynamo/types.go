package dynamo

import "time"

// KeyType is the role of a key attribute: "HASH" (partition key) or
// "RANGE" (sort key).
type KeyType string

// Key types.
const (
	KeyTypeHash  KeyType = "HASH"
	KeyTypeRange KeyType = "RANGE"
)

// ScalarAttributeType is the type of a key attribute: "S", "N" or "B".
type ScalarAttributeType string

// Key attribute types.
const (
	ScalarAttributeTypeS ScalarAttributeType = "S"
	ScalarAttributeTypeN ScalarAttributeType = "N"
	ScalarAttributeTypeB ScalarAttributeType = "B"
)

// KeySchemaElement names one key attribute of a table or index.
type KeySchemaElement struct {
	AttributeName string
	KeyType       KeyType
}

// AttributeDefinition declares the type of an attribute used as a key of
// the table or of one of its indexes.
type AttributeDefinition struct {
	AttributeName string
	AttributeType ScalarAttributeType
}

// BillingMode is how a table is billed: "PROVISIONED" (the default) or
// "PAY_PER_REQUEST" (on-demand).
type BillingMode string

// Billing modes.
const (
	BillingModeProvisioned   BillingMode = "PROVISIONED"
	BillingModePayPerRequest BillingMode = "PAY_PER_REQUEST"
)

// ProvisionedThroughput is the read and write capacity of a provisioned
// table or index, each at least 1.
type ProvisionedThroughput struct {
	ReadCapacityUnits  int64
	WriteCapacityUnits int64
}

// ProvisionedThroughputDescription is the capacity a table or index
// reports. On-demand tables report zeros.
type ProvisionedThroughputDescription struct {
	ReadCapacityUnits      int64
	WriteCapacityUnits     int64
	NumberOfDecreasesToday int64
	LastIncreaseDateTime   time.Time
	LastDecreaseDateTime   time.Time
}

// ProjectionType says which attributes an index copies: "ALL",
// "KEYS_ONLY" or "INCLUDE" (the keys plus NonKeyAttributes).
type ProjectionType string

// Projection types.
const (
	ProjectionTypeAll      ProjectionType = "ALL"
	ProjectionTypeKeysOnly ProjectionType = "KEYS_ONLY"
	ProjectionTypeInclude  ProjectionType = "INCLUDE"
)

// Projection is the set of attributes copied into an index.
type Projection struct {
	ProjectionType   ProjectionType
	NonKeyAttributes []string
}

// LocalSecondaryIndex is an index with the table's partition key and
// another sort key, defined when the table is created.
type LocalSecondaryIndex struct {
	IndexName  string
	KeySchema  []KeySchemaElement
	Projection Projection
}

// GlobalSecondaryIndex is an index with its own partition key and
// optional sort key, defined at creation or added later with UpdateTable.
type GlobalSecondaryIndex struct {
	IndexName             string
	KeySchema             []KeySchemaElement
	Projection            Projection
	ProvisionedThroughput *ProvisionedThroughput
}

// TableStatus is the lifecycle state of a table.
type TableStatus string

// Table statuses.
const (
	TableStatusCreating TableStatus = "CREATING"
	TableStatusUpdating TableStatus = "UPDATING"
	TableStatusDeleting TableStatus = "DELETING"
	TableStatusActive   TableStatus = "ACTIVE"
)

// IndexStatus is the lifecycle state of a global secondary index.
type IndexStatus string

// Index statuses.
const (
	IndexStatusCreating IndexStatus = "CREATING"
	IndexStatusUpdating IndexStatus = "UPDATING"
	IndexStatusDeleting IndexStatus = "DELETING"
	IndexStatusActive   IndexStatus = "ACTIVE"
)

// TableClass is the storage class of a table: "STANDARD" or
// "STANDARD_INFREQUENT_ACCESS".
type TableClass string

// Table classes.
const (
	TableClassStandard                 TableClass = "STANDARD"
	TableClassStandardInfrequentAccess TableClass = "STANDARD_INFREQUENT_ACCESS"
)

// BillingModeSummary reports a table's billing mode.
type BillingModeSummary struct {
	BillingMode                       BillingMode
	LastUpdateToPayPerRequestDateTime time.Time
}

// TableClassSummary reports a table's class.
type TableClassSummary struct {
	TableClass TableClass
}

// LocalSecondaryIndexDescription describes a local secondary index.
type LocalSecondaryIndexDescription struct {
	IndexName      string
	IndexArn       string
	KeySchema      []KeySchemaElement
	Projection     Projection
	IndexSizeBytes int64
	ItemCount      int64
}

// GlobalSecondaryIndexDescription describes a global secondary index.
type GlobalSecondaryIndexDescription struct {
	IndexName             string
	IndexArn              string
	IndexStatus           IndexStatus
	Backfilling           bool
	KeySchema             []KeySchemaElement
	Projection            Projection
	ProvisionedThroughput *ProvisionedThroughputDescription
	IndexSizeBytes        int64
	ItemCount             int64
}

// TableDescription is what DescribeTable and the other table operations
// report about a table.
type TableDescription struct {
	TableName                 string
	TableArn                  string
	TableId                   string
	TableStatus               TableStatus
	CreationDateTime          time.Time
	KeySchema                 []KeySchemaElement
	AttributeDefinitions      []AttributeDefinition
	BillingModeSummary        *BillingModeSummary
	ProvisionedThroughput     *ProvisionedThroughputDescription
	LocalSecondaryIndexes     []LocalSecondaryIndexDescription
	GlobalSecondaryIndexes    []GlobalSecondaryIndexDescription
	TableClassSummary         *TableClassSummary
	DeletionProtectionEnabled bool
	// ItemCount and TableSizeBytes are refreshed about every six hours,
	// as in DynamoDB (see Options.LiveTableStats).
	ItemCount      int64
	TableSizeBytes int64
	// StreamSpecification is set while the table's stream is enabled.
	StreamSpecification *StreamSpecification
	// LatestStreamArn and LatestStreamLabel name the table's latest
	// stream, enabled or not.
	LatestStreamArn   string
	LatestStreamLabel string
	// RestoreSummary is set on a table created by a restore.
	RestoreSummary *RestoreSummary
	// GlobalTableVersion is "2019.11.21" on a global table replica, and
	// Replicas lists its replicas in the other regions.
	GlobalTableVersion string
	Replicas           []ReplicaDescription
}

// ReturnValue says which item attributes a write returns: "NONE" (the
// default), "ALL_OLD", "UPDATED_OLD", "ALL_NEW" or "UPDATED_NEW".
type ReturnValue string

// Return values.
const (
	ReturnValueNone       ReturnValue = "NONE"
	ReturnValueAllOld     ReturnValue = "ALL_OLD"
	ReturnValueUpdatedOld ReturnValue = "UPDATED_OLD"
	ReturnValueAllNew     ReturnValue = "ALL_NEW"
	ReturnValueUpdatedNew ReturnValue = "UPDATED_NEW"
)

// ReturnValuesOnConditionCheckFailure says whether a write whose condition
// fails returns the item as it was: "NONE" (the default) or "ALL_OLD".
type ReturnValuesOnConditionCheckFailure string

// Values of ReturnValuesOnConditionCheckFailure.
const (
	ReturnValuesOnConditionCheckFailureNone   ReturnValuesOnConditionCheckFailure = "NONE"
	ReturnValuesOnConditionCheckFailureAllOld ReturnValuesOnConditionCheckFailure = "ALL_OLD"
)

// Select says what a Query or Scan returns: "ALL_ATTRIBUTES",
// "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES" or "COUNT".
type Select string

// Select values.
const (
	SelectAllAttributes          Select = "ALL_ATTRIBUTES"
	SelectAllProjectedAttributes Select = "ALL_PROJECTED_ATTRIBUTES"
	SelectSpecificAttributes     Select = "SPECIFIC_ATTRIBUTES"
	SelectCount                  Select = "COUNT"
)
