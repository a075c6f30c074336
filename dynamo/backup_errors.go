package dynamo

import "github.com/minicloud/minicloud/internal/awserr"

// Sentinels of backups, point-in-time recovery, export and import, one per
// DynamoDB error code, with the HTTP status DynamoDB answers them with.
var (
	// ErrTableNotFound is TableNotFoundException: the table named by a
	// backup or point-in-time recovery operation does not exist.
	ErrTableNotFound = awserr.New("TableNotFoundException", 400, "")
	// ErrTableAlreadyExists is TableAlreadyExistsException: a restore's
	// target table already exists.
	ErrTableAlreadyExists = awserr.New("TableAlreadyExistsException", 400, "")
	// ErrTableInUse is TableInUseException: the table is being created,
	// updated or deleted and cannot be backed up or restored now. minicloud's
	// control plane operations complete at once, so it does not arise
	// by itself; it is here for errors.Is and injected faults.
	ErrTableInUse = awserr.New("TableInUseException", 400, "")
	// ErrBackupNotFound is BackupNotFoundException: no backup has the
	// given ARN, or it was deleted.
	ErrBackupNotFound = awserr.New("BackupNotFoundException", 400, "")
	// ErrBackupInUse is BackupInUseException: another backup control
	// plane operation on the same backup is under way. Backups and
	// restores complete at once in minicloud, so it does not arise by
	// itself; it is here for errors.Is and injected faults.
	ErrBackupInUse = awserr.New("BackupInUseException", 400, "")
	// ErrContinuousBackupsUnavailable is
	// ContinuousBackupsUnavailableException: continuous backups are not
	// available for the table (it is being created or deleted). As with
	// ErrTableInUse, minicloud's instant control plane never returns it.
	ErrContinuousBackupsUnavailable = awserr.New("ContinuousBackupsUnavailableException", 400, "")
	// ErrPointInTimeRecoveryUnavailable is
	// PointInTimeRecoveryUnavailableException: point-in-time recovery is
	// not enabled on the source table.
	ErrPointInTimeRecoveryUnavailable = awserr.New("PointInTimeRecoveryUnavailableException", 400, "")
	// ErrInvalidRestoreTime is InvalidRestoreTimeException: the restore
	// or export time is outside EarliestRestorableDateTime and
	// LatestRestorableDateTime.
	ErrInvalidRestoreTime = awserr.New("InvalidRestoreTimeException", 400, "")
	// ErrExportNotFound is ExportNotFoundException: no export has the ARN.
	ErrExportNotFound = awserr.New("ExportNotFoundException", 400, "")
	// ErrImportNotFound is ImportNotFoundException: no import has the ARN.
	ErrImportNotFound = awserr.New("ImportNotFoundException", 400, "")
	// ErrExportConflict is ExportConflictException: an export with the
	// same ClientToken but other parameters exists.
	ErrExportConflict = awserr.New("ExportConflictException", 400, "")
	// ErrImportConflict is ImportConflictException: an import with the
	// same ClientToken but other parameters exists.
	ErrImportConflict = awserr.New("ImportConflictException", 400, "")
	// ErrInvalidExportTime is InvalidExportTimeException: the export time
	// is outside the point-in-time recovery window.
	ErrInvalidExportTime = awserr.New("InvalidExportTimeException", 400, "")
)
