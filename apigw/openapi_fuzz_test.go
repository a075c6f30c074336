package apigw

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzImportOpenAPI: whatever the document, the importer never panics
// and either imports or says what is wrong with a BadRequestException.
func FuzzImportOpenAPI(f *testing.F) {
	files, _ := filepath.Glob("testdata/openapi/*")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	for _, seed := range []string{
		``, `{}`, `[]`, `null`, `openapi: 3.0.1`, `{"swagger": "2.0", "info": {"title": "t"}, "paths": {"/a": {"get": {}}}}`,
		"openapi: 3.0.1\ninfo: {title: t}\npaths: {/a: {post: {requestBody: {$ref: '#/components/requestBodies/B'}, x-amazon-apigateway-integration: {type: mock}}}}\ncomponents: {requestBodies: {B: {$ref: '#/components/requestBodies/B'}}}",
		"openapi: 3.0.1\ninfo: {title: t}\npaths: {/a: {post: {requestBody: {content: {a/b: {schema: {$ref: '#/components/schemas/A'}}}}, x-amazon-apigateway-integration: {type: mock}}}}\ncomponents: {schemas: {A: {properties: {a: {$ref: '#/components/schemas/A'}}}}}",
		"a: &a [*a]", "a: !!binary x", "? [1]\n: 2", "openapi: 3.0.1\ninfo: {title: 2001-01-01}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		s := New(Options{})
		api, err := s.ImportOpenAPI(doc, ImportOptions{Functions: func(string) (Invoker, error) { return echoFn(), nil }})
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("error %v is not a BadRequestException", err)
			}
			if strings.Contains(err.Error(), "cannot be read (") {
				t.Fatalf("the importer panicked: %v", err)
			}
			if len(s.APIs()) != 0 {
				t.Fatal("a failed import left an API")
			}
			return
		}
		if _, err := api.ExportOpenAPI(""); err != nil {
			t.Fatalf("export of an imported API: %v", err)
		}
	})
}
