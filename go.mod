module github.com/minicloud/minicloud

go 1.25.0

require (
	github.com/google/btree v1.1.3
	github.com/google/go-cmp v0.7.0
)

require github.com/coder/websocket v1.8.15

require github.com/klauspost/compress v1.20.4 // indirect

require (
	github.com/dlclark/regexp2/v2 v2.5.2 // indirect
	github.com/dop251/goja v0.0.0-20260917113740-793a2a65c13b
	github.com/go-sourcemap/sourcemap v2.1.3+incompatible // indirect
	github.com/google/pprof v0.0.0-20230207041349-798e818bf904 // indirect
)

require (
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/text v0.14.0 // indirect
)
