//go:build !minicloud_ops

package wire

func errorExtras(w *writer, err error) {}
