module github.com/minicloud/minicloud

go 1.25

require (
	github.com/google/btree v1.1.3
	github.com/google/go-cmp v0.7.0
)

require (
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/text v0.14.0 // indirect
)
