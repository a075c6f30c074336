module github.com/minicloud/minicloud

go 1.25

require (
	github.com/google/btree v1.1.3
	github.com/google/go-cmp v0.7.0
)
