module github.com/minicloud/minicloud

go 1.25

require (
	github.com/google/btree v1.1.3
	github.com/google/go-cmp v0.7.0
	github.com/tidwall/gjson v1.20.1 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
)
