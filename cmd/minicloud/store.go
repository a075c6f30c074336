package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/dynamo/wire"
)

// stateFile is the file, in the -data directory, that holds DynamoDB's
// tables and items.
const stateFile = "dynamodb.json"

// snapshotFormat is the version of the state file's layout.
const snapshotFormat = 1

// snapshot is the state file: each table as the CreateTable request that
// recreates it, with its items in DynamoDB JSON.
type snapshot struct {
	Format int             `json:"Format"`
	Tables []tableSnapshot `json:"Tables"`
}

// tableSnapshot mirrors DynamoDB's CreateTable request, member for member,
// plus the table's items.
type tableSnapshot struct {
	TableName                 string                 `json:"TableName"`
	AttributeDefinitions      []attributeDefinition  `json:"AttributeDefinitions"`
	KeySchema                 []keySchemaElement     `json:"KeySchema"`
	BillingMode               string                 `json:"BillingMode,omitempty"`
	ProvisionedThroughput     *provisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	LocalSecondaryIndexes     []localIndex           `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes    []globalIndex          `json:"GlobalSecondaryIndexes,omitempty"`
	TableClass                string                 `json:"TableClass,omitempty"`
	DeletionProtectionEnabled bool                   `json:"DeletionProtectionEnabled,omitempty"`
	StreamSpecification       *streamSpecification   `json:"StreamSpecification,omitempty"`
	// TimeToLiveAttribute is the attribute of an enabled Time to Live.
	TimeToLiveAttribute string            `json:"TimeToLiveAttribute,omitempty"`
	Items               []json.RawMessage `json:"Items"`
}

type streamSpecification struct {
	StreamEnabled  bool   `json:"StreamEnabled"`
	StreamViewType string `json:"StreamViewType,omitempty"`
}

type attributeDefinition struct {
	AttributeName string `json:"AttributeName"`
	AttributeType string `json:"AttributeType"`
}

type keySchemaElement struct {
	AttributeName string `json:"AttributeName"`
	KeyType       string `json:"KeyType"`
}

type provisionedThroughput struct {
	ReadCapacityUnits  int64 `json:"ReadCapacityUnits"`
	WriteCapacityUnits int64 `json:"WriteCapacityUnits"`
}

type projection struct {
	ProjectionType   string   `json:"ProjectionType"`
	NonKeyAttributes []string `json:"NonKeyAttributes,omitempty"`
}

type localIndex struct {
	IndexName  string             `json:"IndexName"`
	KeySchema  []keySchemaElement `json:"KeySchema"`
	Projection projection         `json:"Projection"`
}

type globalIndex struct {
	IndexName             string                 `json:"IndexName"`
	KeySchema             []keySchemaElement     `json:"KeySchema"`
	Projection            projection             `json:"Projection"`
	ProvisionedThroughput *provisionedThroughput `json:"ProvisionedThroughput,omitempty"`
}

// store keeps a DB's state in a file of the -data directory. It is built
// only from the dynamo package's public operations: DescribeTable,
// DescribeTimeToLive and Scan to dump, CreateTable, UpdateTimeToLive and
// PutItem to load. What a table and its items are is kept; what happened
// to them is not: stream records, backups and the capacity history start
// afresh at each start, and items come back in a new stream's first
// records only if written again.
type store struct {
	path string
	db   *dynamo.DB

	// Requests that may change state hold mu for reading; a dump holds it
	// for writing, so that it sees no write half done and the file is a
	// consistent snapshot.
	mu      sync.RWMutex
	changed atomic.Bool
	saveMu  sync.Mutex // one save at a time
}

func newStore(dir string, db *dynamo.DB) *store {
	return &store{path: filepath.Join(dir, stateFile), db: db}
}

// readOnly lists the operations that never change state; every other
// request is taken as a possible change.
var readOnly = map[string]bool{
	"DescribeTable": true, "ListTables": true, "GetItem": true, "Query": true, "Scan": true,
	"BatchGetItem": true, "TransactGetItems": true, "DescribeTimeToLive": true,
	"ListTagsOfResource": true, "DescribeLimits": true, "DescribeEndpoints": true,
	// The reads of DynamoDB Streams; stream records are not saved.
	"ListStreams": true, "DescribeStream": true, "GetShardIterator": true, "GetRecords": true,
}

// track wraps h so that requests that may change state are recorded, and
// never overlap a dump.
func (s *store) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := r.Header.Get("X-Amz-Target")
		_, op, _ := strings.Cut(target, ".")
		if r.Method != http.MethodPost || readOnly[op] {
			h.ServeHTTP(w, r)
			return
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		h.ServeHTTP(w, r)
		s.changed.Store(true)
	})
}

// load reads the state file into the DB. A missing file is an empty state;
// a file that cannot be read or decoded is an error, and is left as it is.
func (s *store) load(ctx context.Context) error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return err
	}
	data, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading state: %w", err)
	}
	corrupt := func(err error) error {
		return fmt.Errorf("state file %s is corrupt, and was left as it is (move it away to start empty): %w", s.path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var snap snapshot
	if err := dec.Decode(&snap); err != nil {
		return corrupt(err)
	}
	if dec.More() {
		return corrupt(errors.New("data after the snapshot"))
	}
	if snap.Format != snapshotFormat {
		return corrupt(fmt.Errorf("format %d, want %d", snap.Format, snapshotFormat))
	}
	for _, t := range snap.Tables {
		if _, err := s.db.CreateTable(ctx, t.createInput()); err != nil {
			return corrupt(fmt.Errorf("table %q: %w", t.TableName, err))
		}
		if t.TimeToLiveAttribute != "" {
			_, err := s.db.UpdateTimeToLive(ctx, &dynamo.UpdateTimeToLiveInput{TableName: t.TableName,
				TimeToLiveSpecification: &dynamo.TimeToLiveSpecification{AttributeName: t.TimeToLiveAttribute, Enabled: true}})
			if err != nil {
				return corrupt(fmt.Errorf("table %q: %w", t.TableName, err))
			}
		}
		for i, raw := range t.Items {
			item, err := wire.UnmarshalItem(raw)
			if err == nil && item == nil {
				err = errors.New("null item")
			}
			if err == nil {
				_, err = s.db.PutItem(ctx, &dynamo.PutItemInput{TableName: t.TableName, Item: item})
			}
			if err != nil {
				return corrupt(fmt.Errorf("table %q, item %d: %w", t.TableName, i, err))
			}
		}
	}
	return nil
}

// saveIfChanged writes the state file when a request may have changed the
// state since the last save.
func (s *store) saveIfChanged(ctx context.Context) error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if !s.changed.Swap(false) {
		return nil
	}
	s.mu.Lock()
	snap, err := s.dump(ctx)
	s.mu.Unlock()
	if err == nil {
		err = s.write(snap)
	}
	if err != nil {
		s.changed.Store(true) // try again next time
	}
	return err
}

// dump reads every table and item through the public API.
func (s *store) dump(ctx context.Context) (*snapshot, error) {
	snap := &snapshot{Format: snapshotFormat, Tables: []tableSnapshot{}}
	var start string
	for {
		page, err := s.db.ListTables(ctx, &dynamo.ListTablesInput{ExclusiveStartTableName: start})
		if err != nil {
			return nil, err
		}
		for _, name := range page.TableNames {
			t, err := s.dumpTable(ctx, name)
			if err != nil {
				return nil, fmt.Errorf("table %q: %w", name, err)
			}
			snap.Tables = append(snap.Tables, t)
		}
		if page.LastEvaluatedTableName == "" {
			return snap, nil
		}
		start = page.LastEvaluatedTableName
	}
}

func (s *store) dumpTable(ctx context.Context, name string) (tableSnapshot, error) {
	desc, err := s.db.DescribeTable(ctx, &dynamo.DescribeTableInput{TableName: name})
	if err != nil {
		return tableSnapshot{}, err
	}
	t := snapshotOf(desc.Table)
	ttl, err := s.db.DescribeTimeToLive(ctx, &dynamo.DescribeTimeToLiveInput{TableName: name})
	if err != nil {
		return tableSnapshot{}, err
	}
	if d := ttl.TimeToLiveDescription; d != nil && d.TimeToLiveStatus == dynamo.TimeToLiveStatusEnabled {
		t.TimeToLiveAttribute = d.AttributeName
	}
	var start dynamo.Item
	for {
		page, err := s.db.Scan(ctx, &dynamo.ScanInput{TableName: name, ExclusiveStartKey: start})
		if err != nil {
			return tableSnapshot{}, err
		}
		for _, item := range page.Items {
			raw, err := wire.MarshalItem(item)
			if err != nil {
				return tableSnapshot{}, err
			}
			t.Items = append(t.Items, raw)
		}
		if page.LastEvaluatedKey == nil {
			return t, nil
		}
		start = page.LastEvaluatedKey
	}
}

// write replaces the state file atomically: a temporary file in the same
// directory, synced, then renamed over the old one, then the directory
// synced so that the rename itself is durable.
func (s *store) write(snap *snapshot) error {
	data, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.path)
	tmp, err := os.CreateTemp(dir, "."+stateFile+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// snapshotOf turns a table's description into the CreateTable request
// that recreates it.
func snapshotOf(d *dynamo.TableDescription) tableSnapshot {
	t := tableSnapshot{
		TableName:                 d.TableName,
		DeletionProtectionEnabled: d.DeletionProtectionEnabled,
		Items:                     []json.RawMessage{},
	}
	for _, a := range d.AttributeDefinitions {
		t.AttributeDefinitions = append(t.AttributeDefinitions, attributeDefinition{a.AttributeName, string(a.AttributeType)})
	}
	t.KeySchema = keysOf(d.KeySchema)
	billing := dynamo.BillingModeProvisioned
	if d.BillingModeSummary != nil && d.BillingModeSummary.BillingMode != "" {
		billing = d.BillingModeSummary.BillingMode
	}
	t.BillingMode = string(billing)
	if billing == dynamo.BillingModeProvisioned && d.ProvisionedThroughput != nil {
		t.ProvisionedThroughput = &provisionedThroughput{d.ProvisionedThroughput.ReadCapacityUnits, d.ProvisionedThroughput.WriteCapacityUnits}
	}
	if sp := d.StreamSpecification; sp != nil && sp.StreamEnabled {
		t.StreamSpecification = &streamSpecification{StreamEnabled: true, StreamViewType: string(sp.StreamViewType)}
	}
	if d.TableClassSummary != nil {
		t.TableClass = string(d.TableClassSummary.TableClass)
	}
	for _, l := range d.LocalSecondaryIndexes {
		t.LocalSecondaryIndexes = append(t.LocalSecondaryIndexes, localIndex{l.IndexName, keysOf(l.KeySchema), projectionOf(l.Projection)})
	}
	for _, g := range d.GlobalSecondaryIndexes {
		gi := globalIndex{IndexName: g.IndexName, KeySchema: keysOf(g.KeySchema), Projection: projectionOf(g.Projection)}
		if billing == dynamo.BillingModeProvisioned && g.ProvisionedThroughput != nil {
			gi.ProvisionedThroughput = &provisionedThroughput{g.ProvisionedThroughput.ReadCapacityUnits, g.ProvisionedThroughput.WriteCapacityUnits}
		}
		t.GlobalSecondaryIndexes = append(t.GlobalSecondaryIndexes, gi)
	}
	return t
}

func keysOf(ks []dynamo.KeySchemaElement) []keySchemaElement {
	out := make([]keySchemaElement, len(ks))
	for i, k := range ks {
		out[i] = keySchemaElement{k.AttributeName, string(k.KeyType)}
	}
	return out
}

func projectionOf(p dynamo.Projection) projection {
	return projection{string(p.ProjectionType), p.NonKeyAttributes}
}

// createInput is the CreateTable request a snapshot recreates its table
// with.
func (t tableSnapshot) createInput() *dynamo.CreateTableInput {
	in := &dynamo.CreateTableInput{
		TableName:                 t.TableName,
		BillingMode:               dynamo.BillingMode(t.BillingMode),
		TableClass:                dynamo.TableClass(t.TableClass),
		DeletionProtectionEnabled: t.DeletionProtectionEnabled,
		KeySchema:                 keysIn(t.KeySchema),
	}
	for _, a := range t.AttributeDefinitions {
		in.AttributeDefinitions = append(in.AttributeDefinitions, dynamo.AttributeDefinition{AttributeName: a.AttributeName, AttributeType: dynamo.ScalarAttributeType(a.AttributeType)})
	}
	if sp := t.StreamSpecification; sp != nil {
		in.StreamSpecification = &dynamo.StreamSpecification{StreamEnabled: sp.StreamEnabled, StreamViewType: dynamo.StreamViewType(sp.StreamViewType)}
	}
	if p := t.ProvisionedThroughput; p != nil {
		in.ProvisionedThroughput = &dynamo.ProvisionedThroughput{ReadCapacityUnits: p.ReadCapacityUnits, WriteCapacityUnits: p.WriteCapacityUnits}
	}
	for _, l := range t.LocalSecondaryIndexes {
		in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, dynamo.LocalSecondaryIndex{IndexName: l.IndexName, KeySchema: keysIn(l.KeySchema), Projection: projectionIn(l.Projection)})
	}
	for _, g := range t.GlobalSecondaryIndexes {
		gi := dynamo.GlobalSecondaryIndex{IndexName: g.IndexName, KeySchema: keysIn(g.KeySchema), Projection: projectionIn(g.Projection)}
		if p := g.ProvisionedThroughput; p != nil {
			gi.ProvisionedThroughput = &dynamo.ProvisionedThroughput{ReadCapacityUnits: p.ReadCapacityUnits, WriteCapacityUnits: p.WriteCapacityUnits}
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, gi)
	}
	return in
}

func keysIn(ks []keySchemaElement) []dynamo.KeySchemaElement {
	out := make([]dynamo.KeySchemaElement, len(ks))
	for i, k := range ks {
		out[i] = dynamo.KeySchemaElement{AttributeName: k.AttributeName, KeyType: dynamo.KeyType(k.KeyType)}
	}
	return out
}

func projectionIn(p projection) dynamo.Projection {
	return dynamo.Projection{ProjectionType: dynamo.ProjectionType(p.ProjectionType), NonKeyAttributes: p.NonKeyAttributes}
}
