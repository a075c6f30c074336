package wire

import (
	"github.com/minicloud/minicloud/dynamo"
)

// Table operations: CreateTable, DescribeTable, ListTables, UpdateTable,
// DeleteTable.

func decodeCreateTable(d *decoder, n *node) *dynamo.CreateTableInput {
	in := &dynamo.CreateTableInput{}
	var hasDefs, hasKeys bool
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "AttributeDefinitions":
			hasDefs = true
			in.AttributeDefinitions = d.attributeDefinitions(v, "attributeDefinitions")
		case "KeySchema":
			hasKeys = true
			in.KeySchema = d.keySchema(v, "keySchema")
		case "LocalSecondaryIndexes":
			in.LocalSecondaryIndexes = []dynamo.LocalSecondaryIndex{}
			d.list(v, func(i int, e *node) {
				in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, d.localIndex(e, pathAt("localSecondaryIndexes", i)))
			})
		case "GlobalSecondaryIndexes":
			in.GlobalSecondaryIndexes = []dynamo.GlobalSecondaryIndex{}
			d.list(v, func(i int, e *node) {
				in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, d.globalIndex(e, pathAt("globalSecondaryIndexes", i)))
			})
		case "BillingMode":
			in.BillingMode = dynamo.BillingMode(d.str(v))
		case "ProvisionedThroughput":
			in.ProvisionedThroughput = d.throughput(v, "provisionedThroughput")
		case "TableClass":
			in.TableClass = dynamo.TableClass(d.str(v))
		case "DeletionProtectionEnabled":
			in.DeletionProtectionEnabled = d.boolean(v)
		case "StreamSpecification":
			in.StreamSpecification = d.streamSpecification(v, "streamSpecification")
		case "SSESpecification", "Tags", "OnDemandThroughput", "WarmThroughput", "ResourcePolicy":
			// Accepted and not modelled: they change neither the data nor
			// the answers of the operations minicloud serves.
		}
	})
	d.required("attributeDefinitions", hasDefs)
	d.required("tableName", in.TableName != "")
	d.required("keySchema", hasKeys)
	return in
}

// streamSpecification reads a StreamSpecification; StreamEnabled is
// required.
func (d *decoder) streamSpecification(v *node, path string) *dynamo.StreamSpecification {
	spec := &dynamo.StreamSpecification{}
	var hasEnabled bool
	d.structure(v, func(name string, v *node) {
		switch name {
		case "StreamEnabled":
			hasEnabled = true
			spec.StreamEnabled = d.boolean(v)
		case "StreamViewType":
			spec.StreamViewType = dynamo.StreamViewType(d.str(v))
		}
	})
	d.required(path+".streamEnabled", hasEnabled)
	return spec
}

func (d *decoder) attributeDefinitions(v *node, path string) []dynamo.AttributeDefinition {
	out := []dynamo.AttributeDefinition{}
	d.list(v, func(i int, e *node) {
		var a dynamo.AttributeDefinition
		var hasName, hasType bool
		d.structure(e, func(name string, v *node) {
			switch name {
			case "AttributeName":
				hasName = true
				a.AttributeName = d.str(v)
			case "AttributeType":
				hasType = true
				a.AttributeType = dynamo.ScalarAttributeType(d.str(v))
			}
		})
		d.required(pathAt(path, i)+".attributeName", hasName)
		d.required(pathAt(path, i)+".attributeType", hasType)
		out = append(out, a)
	})
	return out
}

func (d *decoder) keySchema(v *node, path string) []dynamo.KeySchemaElement {
	out := []dynamo.KeySchemaElement{}
	d.list(v, func(i int, e *node) {
		var k dynamo.KeySchemaElement
		var hasName, hasType bool
		d.structure(e, func(name string, v *node) {
			switch name {
			case "AttributeName":
				hasName = true
				k.AttributeName = d.str(v)
			case "KeyType":
				hasType = true
				k.KeyType = dynamo.KeyType(d.str(v))
			}
		})
		d.required(pathAt(path, i)+".attributeName", hasName)
		d.required(pathAt(path, i)+".keyType", hasType)
		out = append(out, k)
	})
	return out
}

func (d *decoder) projection(v *node) dynamo.Projection {
	var p dynamo.Projection
	d.structure(v, func(name string, v *node) {
		switch name {
		case "ProjectionType":
			p.ProjectionType = dynamo.ProjectionType(d.str(v))
		case "NonKeyAttributes":
			p.NonKeyAttributes = d.strings(v)
		}
	})
	return p
}

// throughput reads a ProvisionedThroughput; both members are required and
// at least 1.
func (d *decoder) throughput(v *node, path string) *dynamo.ProvisionedThroughput {
	tp := &dynamo.ProvisionedThroughput{}
	var hasRead, hasWrite bool
	d.structure(v, func(name string, v *node) {
		switch name {
		case "ReadCapacityUnits":
			hasRead = true
			tp.ReadCapacityUnits = d.integer(v, "Long")
		case "WriteCapacityUnits":
			hasWrite = true
			tp.WriteCapacityUnits = d.integer(v, "Long")
		}
	})
	d.required(path+".writeCapacityUnits", hasWrite)
	d.required(path+".readCapacityUnits", hasRead)
	if hasWrite {
		d.atLeast(path+".writeCapacityUnits", tp.WriteCapacityUnits, 1)
	}
	if hasRead {
		d.atLeast(path+".readCapacityUnits", tp.ReadCapacityUnits, 1)
	}
	return tp
}

func (d *decoder) localIndex(v *node, path string) dynamo.LocalSecondaryIndex {
	var ix dynamo.LocalSecondaryIndex
	var hasKeys, hasProj bool
	d.structure(v, func(name string, v *node) {
		switch name {
		case "IndexName":
			ix.IndexName = d.str(v)
		case "KeySchema":
			hasKeys = true
			ix.KeySchema = d.keySchema(v, path+".keySchema")
		case "Projection":
			hasProj = true
			ix.Projection = d.projection(v)
		}
	})
	d.required(path+".indexName", ix.IndexName != "")
	d.required(path+".keySchema", hasKeys)
	d.required(path+".projection", hasProj)
	return ix
}

func (d *decoder) globalIndex(v *node, path string) dynamo.GlobalSecondaryIndex {
	var ix dynamo.GlobalSecondaryIndex
	var hasKeys, hasProj bool
	d.structure(v, func(name string, v *node) {
		switch name {
		case "IndexName":
			ix.IndexName = d.str(v)
		case "KeySchema":
			hasKeys = true
			ix.KeySchema = d.keySchema(v, path+".keySchema")
		case "Projection":
			hasProj = true
			ix.Projection = d.projection(v)
		case "ProvisionedThroughput":
			ix.ProvisionedThroughput = d.throughput(v, path+".provisionedThroughput")
		}
	})
	d.required(path+".indexName", ix.IndexName != "")
	d.required(path+".keySchema", hasKeys)
	d.required(path+".projection", hasProj)
	return ix
}

func encodeCreateTable(w *writer, out *dynamo.CreateTableOutput) {
	w.tableDescription("TableDescription", out.TableDescription)
}

func decodeDescribeTable(d *decoder, n *node) *dynamo.DescribeTableInput {
	in := &dynamo.DescribeTableInput{}
	d.structure(n, func(name string, v *node) {
		if name == "TableName" {
			in.TableName = d.str(v)
		}
	})
	d.required("tableName", in.TableName != "")
	return in
}

func encodeDescribeTable(w *writer, out *dynamo.DescribeTableOutput) {
	w.tableDescription("Table", out.Table)
}

func decodeListTables(d *decoder, n *node) *dynamo.ListTablesInput {
	in := &dynamo.ListTablesInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "ExclusiveStartTableName":
			in.ExclusiveStartTableName = d.str(v)
		case "Limit":
			l := d.integer(v, "Integer")
			d.atLeast("limit", l, 1)
			d.atMost("limit", l, 100)
			in.Limit = int(l)
		}
	})
	return in
}

func encodeListTables(w *writer, out *dynamo.ListTablesOutput) {
	w.key("TableNames")
	w.beginArray()
	for _, n := range out.TableNames {
		w.string(n)
	}
	w.endArray()
	w.stringField("LastEvaluatedTableName", out.LastEvaluatedTableName)
}

func decodeUpdateTable(d *decoder, n *node) *dynamo.UpdateTableInput {
	in := &dynamo.UpdateTableInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "AttributeDefinitions":
			in.AttributeDefinitions = d.attributeDefinitions(v, "attributeDefinitions")
		case "BillingMode":
			in.BillingMode = dynamo.BillingMode(d.str(v))
		case "ProvisionedThroughput":
			in.ProvisionedThroughput = d.throughput(v, "provisionedThroughput")
		case "GlobalSecondaryIndexUpdates":
			in.GlobalSecondaryIndexUpdates = []dynamo.GlobalSecondaryIndexUpdate{}
			d.list(v, func(i int, e *node) {
				in.GlobalSecondaryIndexUpdates = append(in.GlobalSecondaryIndexUpdates, d.indexUpdate(e, pathAt("globalSecondaryIndexUpdates", i)))
			})
		case "TableClass":
			in.TableClass = dynamo.TableClass(d.str(v))
		case "DeletionProtectionEnabled":
			b := d.boolean(v)
			in.DeletionProtectionEnabled = &b
		case "StreamSpecification":
			in.StreamSpecification = d.streamSpecification(v, "streamSpecification")
		case "SSESpecification", "OnDemandThroughput", "WarmThroughput":
			// Accepted and not modelled, as in CreateTable.
		case "ReplicaUpdates":
			in.ReplicaUpdates = d.replicaUpdates(v) // ops_global.go
		}
	})
	d.required("tableName", in.TableName != "")
	return in
}

func (d *decoder) indexUpdate(v *node, path string) dynamo.GlobalSecondaryIndexUpdate {
	var u dynamo.GlobalSecondaryIndexUpdate
	d.structure(v, func(name string, v *node) {
		switch name {
		case "Create":
			c := &dynamo.CreateGlobalSecondaryIndexAction{}
			var hasKeys, hasProj bool
			d.structure(v, func(name string, v *node) {
				switch name {
				case "IndexName":
					c.IndexName = d.str(v)
				case "KeySchema":
					hasKeys = true
					c.KeySchema = d.keySchema(v, path+".create.keySchema")
				case "Projection":
					hasProj = true
					c.Projection = d.projection(v)
				case "ProvisionedThroughput":
					c.ProvisionedThroughput = d.throughput(v, path+".create.provisionedThroughput")
				}
			})
			d.required(path+".create.indexName", c.IndexName != "")
			d.required(path+".create.keySchema", hasKeys)
			d.required(path+".create.projection", hasProj)
			u.Create = c
		case "Update":
			up := &dynamo.UpdateGlobalSecondaryIndexAction{}
			var hasTP bool
			d.structure(v, func(name string, v *node) {
				switch name {
				case "IndexName":
					up.IndexName = d.str(v)
				case "ProvisionedThroughput":
					hasTP = true
					up.ProvisionedThroughput = *d.throughput(v, path+".update.provisionedThroughput")
				}
			})
			d.required(path+".update.indexName", up.IndexName != "")
			d.required(path+".update.provisionedThroughput", hasTP)
			u.Update = up
		case "Delete":
			del := &dynamo.DeleteGlobalSecondaryIndexAction{}
			d.structure(v, func(name string, v *node) {
				if name == "IndexName" {
					del.IndexName = d.str(v)
				}
			})
			d.required(path+".delete.indexName", del.IndexName != "")
			u.Delete = del
		}
	})
	return u
}

func encodeUpdateTable(w *writer, out *dynamo.UpdateTableOutput) {
	w.tableDescription("TableDescription", out.TableDescription)
}

func decodeDeleteTable(d *decoder, n *node) *dynamo.DeleteTableInput {
	in := &dynamo.DeleteTableInput{}
	d.structure(n, func(name string, v *node) {
		if name == "TableName" {
			in.TableName = d.str(v)
		}
	})
	d.required("tableName", in.TableName != "")
	return in
}

func encodeDeleteTable(w *writer, out *dynamo.DeleteTableOutput) {
	w.tableDescription("TableDescription", out.TableDescription)
}

// tableDescription writes a TableDescription member, omitting what is
// unset as DynamoDB does.
func (w *writer) tableDescription(name string, t *dynamo.TableDescription) {
	if t == nil {
		return
	}
	w.key(name)
	w.beginObject()
	w.key("AttributeDefinitions")
	w.beginArray()
	for _, a := range t.AttributeDefinitions {
		w.beginObject()
		w.stringField("AttributeName", a.AttributeName)
		w.stringField("AttributeType", string(a.AttributeType))
		w.endObject()
	}
	w.endArray()
	if s := t.BillingModeSummary; s != nil {
		w.key("BillingModeSummary")
		w.beginObject()
		w.stringField("BillingMode", string(s.BillingMode))
		w.timeField("LastUpdateToPayPerRequestDateTime", s.LastUpdateToPayPerRequestDateTime)
		w.endObject()
	}
	w.timeField("CreationDateTime", t.CreationDateTime)
	w.key("DeletionProtectionEnabled")
	w.bool(t.DeletionProtectionEnabled)
	if t.GlobalSecondaryIndexes != nil {
		w.key("GlobalSecondaryIndexes")
		w.beginArray()
		for _, g := range t.GlobalSecondaryIndexes {
			w.beginObject()
			if g.Backfilling {
				w.key("Backfilling")
				w.bool(true)
			}
			w.stringField("IndexArn", g.IndexArn)
			w.stringField("IndexName", g.IndexName)
			w.intField("IndexSizeBytes", g.IndexSizeBytes)
			w.stringField("IndexStatus", string(g.IndexStatus))
			w.intField("ItemCount", g.ItemCount)
			w.keySchema(g.KeySchema)
			w.projection(g.Projection)
			w.throughputDescription(g.ProvisionedThroughput)
			w.endObject()
		}
		w.endArray()
	}
	w.intField("ItemCount", t.ItemCount)
	w.keySchema(t.KeySchema)
	w.stringField("LatestStreamArn", t.LatestStreamArn)
	w.stringField("LatestStreamLabel", t.LatestStreamLabel)
	if t.LocalSecondaryIndexes != nil {
		w.key("LocalSecondaryIndexes")
		w.beginArray()
		for _, l := range t.LocalSecondaryIndexes {
			w.beginObject()
			w.stringField("IndexArn", l.IndexArn)
			w.stringField("IndexName", l.IndexName)
			w.intField("IndexSizeBytes", l.IndexSizeBytes)
			w.intField("ItemCount", l.ItemCount)
			w.keySchema(l.KeySchema)
			w.projection(l.Projection)
			w.endObject()
		}
		w.endArray()
	}
	w.throughputDescription(t.ProvisionedThroughput)
	w.replicasAndRestore(t) // ops_global.go
	if s := t.StreamSpecification; s != nil {
		w.key("StreamSpecification")
		w.beginObject()
		w.key("StreamEnabled")
		w.bool(s.StreamEnabled)
		w.stringField("StreamViewType", string(s.StreamViewType))
		w.endObject()
	}
	w.stringField("TableArn", t.TableArn)
	if c := t.TableClassSummary; c != nil {
		w.key("TableClassSummary")
		w.beginObject()
		w.stringField("TableClass", string(c.TableClass))
		w.endObject()
	}
	w.stringField("TableId", t.TableId)
	w.stringField("TableName", t.TableName)
	w.intField("TableSizeBytes", t.TableSizeBytes)
	w.stringField("TableStatus", string(t.TableStatus))
	w.endObject()
}

func (w *writer) keySchema(ks []dynamo.KeySchemaElement) {
	w.key("KeySchema")
	w.beginArray()
	for _, k := range ks {
		w.beginObject()
		w.stringField("AttributeName", k.AttributeName)
		w.stringField("KeyType", string(k.KeyType))
		w.endObject()
	}
	w.endArray()
}

func (w *writer) projection(p dynamo.Projection) {
	w.key("Projection")
	w.beginObject()
	w.stringsField("NonKeyAttributes", p.NonKeyAttributes)
	w.stringField("ProjectionType", string(p.ProjectionType))
	w.endObject()
}

func (w *writer) throughputDescription(p *dynamo.ProvisionedThroughputDescription) {
	if p == nil {
		return
	}
	w.key("ProvisionedThroughput")
	w.beginObject()
	w.timeField("LastDecreaseDateTime", p.LastDecreaseDateTime)
	w.timeField("LastIncreaseDateTime", p.LastIncreaseDateTime)
	w.intField("NumberOfDecreasesToday", p.NumberOfDecreasesToday)
	w.intField("ReadCapacityUnits", p.ReadCapacityUnits)
	w.intField("WriteCapacityUnits", p.WriteCapacityUnits)
	w.endObject()
}

func decodeUpdateTimeToLive(d *decoder, n *node) *dynamo.UpdateTimeToLiveInput {
	in := &dynamo.UpdateTimeToLiveInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "TimeToLiveSpecification":
			spec := &dynamo.TimeToLiveSpecification{}
			var hasName, hasEnabled bool
			d.structure(v, func(name string, v *node) {
				switch name {
				case "AttributeName":
					hasName = true
					spec.AttributeName = d.str(v)
				case "Enabled":
					hasEnabled = true
					spec.Enabled = d.boolean(v)
				}
			})
			d.required("timeToLiveSpecification.attributeName", hasName)
			d.required("timeToLiveSpecification.enabled", hasEnabled)
			in.TimeToLiveSpecification = spec
		}
	})
	d.required("tableName", in.TableName != "")
	d.required("timeToLiveSpecification", in.TimeToLiveSpecification != nil)
	return in
}

func encodeUpdateTimeToLive(w *writer, out *dynamo.UpdateTimeToLiveOutput) {
	if s := out.TimeToLiveSpecification; s != nil {
		w.key("TimeToLiveSpecification")
		w.beginObject()
		w.stringField("AttributeName", s.AttributeName)
		w.key("Enabled")
		w.bool(s.Enabled)
		w.endObject()
	}
}

func decodeDescribeTimeToLive(d *decoder, n *node) *dynamo.DescribeTimeToLiveInput {
	in := &dynamo.DescribeTimeToLiveInput{}
	d.structure(n, func(name string, v *node) {
		if name == "TableName" {
			in.TableName = d.str(v)
		}
	})
	d.required("tableName", in.TableName != "")
	return in
}

func encodeDescribeTimeToLive(w *writer, out *dynamo.DescribeTimeToLiveOutput) {
	if t := out.TimeToLiveDescription; t != nil {
		w.key("TimeToLiveDescription")
		w.beginObject()
		w.stringField("AttributeName", t.AttributeName)
		w.stringField("TimeToLiveStatus", string(t.TimeToLiveStatus))
		w.endObject()
	}
}
