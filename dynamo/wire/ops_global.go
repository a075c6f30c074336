package wire

import "github.com/minicloud/minicloud/dynamo"

// replicasAndRestore writes a table's global table and restore members.
func (w *writer) replicasAndRestore(t *dynamo.TableDescription) {
	w.restoreSummary(t.RestoreSummary)
}
