package dynamo

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestCreateBackup_RestoresTheTableAsItWasWhenTaken(t *testing.T) {
	db, c := newTestDB(t)
	ctx := context.Background()
	compositeTable(t, db)
	put(t, db, Item{"pk": S("a"), "sk": N("1"), "v": S("before")})
	before := scanAll(t, db, "orders")
	out, err := db.CreateBackup(ctx, &CreateBackupInput{TableName: "orders", BackupName: "nightly"})
	mustDo(t, err)
	d := out.BackupDetails
	if d.BackupStatus != BackupStatusCreating || d.BackupType != BackupTypeUser || !strings.HasPrefix(d.BackupArn, "arn:aws:dynamodb:us-east-1:123456789012:table/orders/backup/01740830400000-") {
		t.Fatalf("details %+v", d)
	}
	put(t, db, Item{"pk": S("a"), "sk": N("1"), "v": S("after")})
	put(t, db, Item{"pk": S("b"), "sk": N("1")})
	c.Advance(time.Hour)

	desc, err := db.DescribeBackup(ctx, &DescribeBackupInput{BackupArn: d.BackupArn})
	mustDo(t, err)
	if bd := desc.BackupDescription; bd.BackupDetails.BackupStatus != BackupStatusAvailable || bd.SourceTableDetails.ItemCount != 1 || bd.SourceTableDetails.TableName != "orders" || bd.BackupDetails.BackupSizeBytes == 0 {
		t.Fatalf("description %+v %+v", bd.BackupDetails, bd.SourceTableDetails)
	}
	_, err = db.RestoreTableFromBackup(ctx, &RestoreTableFromBackupInput{TargetTableName: "orders-copy", BackupArn: d.BackupArn})
	mustDo(t, err)
	if diff := cmp.Diff(before, scanAll(t, db, "orders-copy"), sortItems); diff != "" {
		t.Fatal(diff)
	}
	_, err = db.RestoreTableFromBackup(ctx, &RestoreTableFromBackupInput{TargetTableName: "orders-copy", BackupArn: d.BackupArn})
	wantCode(t, err, "TableAlreadyExistsException", "Table already exists: orders-copy")

	del, err := db.DeleteBackup(ctx, &DeleteBackupInput{BackupArn: d.BackupArn})
	mustDo(t, err)
	if del.BackupDescription.BackupDetails.BackupStatus != BackupStatusDeleted {
		t.Fatalf("DeleteBackup status %s", del.BackupDescription.BackupDetails.BackupStatus)
	}
	_, err = db.DescribeBackup(ctx, &DescribeBackupInput{BackupArn: d.BackupArn})
	wantCode(t, err, "BackupNotFoundException", d.BackupArn)
	_, err = db.RestoreTableFromBackup(ctx, &RestoreTableFromBackupInput{TargetTableName: "orders-two", BackupArn: d.BackupArn})
	wantCode(t, err, "BackupNotFoundException", "")
}

func TestCreateBackup_Errors(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	_, err := db.CreateBackup(ctx, &CreateBackupInput{TableName: "missing", BackupName: "b1b"})
	wantCode(t, err, "TableNotFoundException", "Table not found: missing")
	_, err = db.CreateBackup(ctx, &CreateBackupInput{TableName: "orders", BackupName: "x"})
	wantCode(t, err, "ValidationException", "BackupName")
	_, err = db.CreateBackup(ctx, &CreateBackupInput{TableName: "orders", BackupName: "bad name"})
	wantCode(t, err, "ValidationException", "backupName")
}

func TestListBackups_FiltersAndPages(t *testing.T) {
	db, c := newTestDB(t)
	ctx := context.Background()
	compositeTable(t, db)
	compositeTable(t, db, func(in *CreateTableInput) { in.TableName = "other" })
	var arns []string
	for i := range 5 {
		table := "orders"
		if i%2 == 1 {
			table = "other"
		}
		out, err := db.CreateBackup(ctx, &CreateBackupInput{TableName: table, BackupName: fmt.Sprintf("b-%d", i)})
		mustDo(t, err)
		arns = append(arns, out.BackupDetails.BackupArn)
		c.Advance(time.Minute)
	}
	names := func(in ListBackupsInput) ([]string, string) {
		out, err := db.ListBackups(ctx, &in)
		mustDo(t, err)
		var n []string
		for _, s := range out.BackupSummaries {
			n = append(n, s.BackupName)
		}
		return n, out.LastEvaluatedBackupArn
	}
	for _, tc := range []struct {
		name string
		in   ListBackupsInput
		want []string
		last string
	}{
		{"all", ListBackupsInput{}, []string{"b-0", "b-1", "b-2", "b-3", "b-4"}, ""},
		{"by table", ListBackupsInput{TableName: "orders"}, []string{"b-0", "b-2", "b-4"}, ""},
		{"by arn", ListBackupsInput{TableName: "arn:aws:dynamodb:us-east-1:123456789012:table/other"}, []string{"b-1", "b-3"}, ""},
		{"time range", ListBackupsInput{TimeRangeLowerBound: testEpoch.Add(time.Minute), TimeRangeUpperBound: testEpoch.Add(3 * time.Minute)}, []string{"b-1", "b-2"}, ""},
		{"page", ListBackupsInput{Limit: 2}, []string{"b-0", "b-1"}, arns[1]},
		{"next page", ListBackupsInput{Limit: 2, ExclusiveStartBackupArn: arns[1]}, []string{"b-2", "b-3"}, arns[3]},
		{"system only", ListBackupsInput{BackupType: BackupTypeFilterSystem}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, last := names(tc.in)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" || last != tc.last {
				t.Fatalf("%s; last = %q, want %q", diff, last, tc.last)
			}
		})
	}
	_, err := db.ListBackups(ctx, &ListBackupsInput{BackupType: "SOME"})
	wantCode(t, err, "ValidationException", "backupType")
}

func TestDeleteTable_WithPITRKeepsASystemBackupFor35Days(t *testing.T) {
	db, c := pitrDB(t, 0)
	ctx := context.Background()
	put(t, db, Item{"pk": S("a"), "sk": N("1")})
	_, err := db.DeleteTable(ctx, &DeleteTableInput{TableName: "orders"})
	mustDo(t, err)
	out, err := db.ListBackups(ctx, &ListBackupsInput{BackupType: BackupTypeFilterSystem})
	mustDo(t, err)
	if len(out.BackupSummaries) != 1 || out.BackupSummaries[0].BackupName != "orders$DeletedTableBackup" || !out.BackupSummaries[0].BackupExpiryDateTime.Equal(c.Now().Add(35*24*time.Hour)) {
		t.Fatalf("system backups %+v", out.BackupSummaries)
	}
	_, err = db.RestoreTableFromBackup(ctx, &RestoreTableFromBackupInput{TargetTableName: "orders", BackupArn: out.BackupSummaries[0].BackupArn})
	mustDo(t, err)
	if got := scanAll(t, db, "orders"); len(got) != 1 {
		t.Fatalf("restored %v", got)
	}
	c.Advance(35 * 24 * time.Hour)
	out, err = db.ListBackups(ctx, &ListBackupsInput{BackupType: BackupTypeFilterAll})
	mustDo(t, err)
	if len(out.BackupSummaries) != 0 {
		t.Fatalf("system backup kept past 35 days: %+v", out.BackupSummaries)
	}
}

func BenchmarkCreateBackup(b *testing.B) {
	db, _ := newTestDB(b)
	compositeTable(b, db)
	for i := range 10000 {
		mustDo(b, put1(db, Item{"pk": S(fmt.Sprint(i)), "sk": N("1")}))
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		out, err := db.CreateBackup(ctx, &CreateBackupInput{TableName: "orders", BackupName: "bench"})
		mustDo(b, err)
		_, err = db.DeleteBackup(ctx, &DeleteBackupInput{BackupArn: out.BackupDetails.BackupArn})
		mustDo(b, err)
	}
}

func TestBackups_ConcurrentWithWritesAndRestores(t *testing.T) {
	db, c := pitrDB(t, 0)
	ctx := context.Background()
	for i := range 200 {
		put(t, db, Item{"pk": S(fmt.Sprint(i)), "sk": N("1")})
	}
	c.Advance(time.Hour)
	done := make(chan error, 4)
	go func() {
		for i := range 200 {
			if err := put1(db, Item{"pk": S(fmt.Sprint(i)), "sk": N("2")}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for w := range 3 {
		go func() {
			for i := range 5 {
				out, err := db.CreateBackup(ctx, &CreateBackupInput{TableName: "orders", BackupName: "concurrent"})
				if err == nil {
					_, err = db.RestoreTableFromBackup(ctx, &RestoreTableFromBackupInput{TargetTableName: fmt.Sprintf("copy-%d-%d", w, i), BackupArn: out.BackupDetails.BackupArn})
				}
				if err == nil {
					_, err = db.RestoreTableToPointInTime(ctx, &RestoreTableToPointInTimeInput{SourceTableName: "orders", TargetTableName: fmt.Sprintf("pitr-%d-%d", w, i), UseLatestRestorableTime: true})
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		mustDo(t, <-done)
	}
	for w := range 3 {
		if got := len(scanAll(t, db, fmt.Sprintf("pitr-%d-4", w))); got != 200 {
			t.Fatalf("restore to the latest time holds %d items, want the 200 written an hour ago", got)
		}
	}
}
