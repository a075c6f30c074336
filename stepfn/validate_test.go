package stepfn

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type validationCase struct {
	Name           string          `json:"name"`
	Definition     json.RawMessage `json:"definition"`
	DefinitionText *string         `json:"definitionText"`
	Diagnostics    []struct {
		Code     string `json:"code"`
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"diagnostics"`
}

// TestValidate_Definitions runs testdata/validation: each definition must
// produce exactly the listed diagnostics (code and location, and the
// message where one is given); an empty list means AWS accepts it.
func TestValidate_Definitions(t *testing.T) {
	data, err := os.ReadFile("testdata/validation/definitions.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []validationCase
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			def := string(c.Definition)
			if c.DefinitionText != nil {
				def = *c.DefinitionText
			}
			got := Validate(def)
			var gotKeys, wantKeys []string
			for _, d := range got {
				gotKeys = append(gotKeys, d.Code+" "+d.Location)
			}
			for _, d := range c.Diagnostics {
				wantKeys = append(wantKeys, d.Code+" "+d.Location)
			}
			slices.Sort(gotKeys)
			slices.Sort(wantKeys)
			if diff := cmp.Diff(wantKeys, gotKeys); diff != "" {
				t.Fatalf("diagnostics (-want +got):\n%s\nall: %v", diff, got)
			}
			for _, w := range c.Diagnostics {
				if w.Message == "" {
					continue
				}
				found := false
				for _, d := range got {
					if d.Code == w.Code && d.Location == w.Location && d.Message == w.Message {
						found = true
					}
				}
				if !found {
					t.Errorf("no diagnostic %s at %s with message %q; got %v", w.Code, w.Location, w.Message, got)
				}
			}
			_, err := Compile(def)
			if (err == nil) != (len(c.Diagnostics) == 0) {
				t.Fatalf("Compile error = %v, want error: %v", err, len(c.Diagnostics) > 0)
			}
		})
	}
	t.Logf("%d validation cases", len(cases))
}

func TestCompile_ErrorIsInvalidDefinitionWithAWSMessage(t *testing.T) {
	_, err := Compile(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`)
	if !errors.Is(err, ErrInvalidDefinition) {
		t.Fatalf("err = %v, want InvalidDefinition", err)
	}
	want := "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next'"
	var e *Error
	if !errors.As(err, &e) || e.Message != want {
		t.Fatalf("message = %q, want %q", e.Message, want)
	}
	var de *DefinitionError
	if !errors.As(err, &de) || len(de.Diagnostics) != 1 || de.Diagnostics[0].Location != "/States/A/Next" {
		t.Fatalf("DefinitionError = %+v", de)
	}
}

func TestCompile_SeveralErrorsAreQuotedAndJoined(t *testing.T) {
	_, err := Compile(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"C":{"Type":"Pass","End":true}}}`)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	want := "Invalid State Machine Definition: ''MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next', 'UNREACHABLE_STATE: State \"C\" is not reachable. at /States/C''"
	if e.Message != want {
		t.Fatalf("message =\n%s\nwant\n%s", e.Message, want)
	}
}

func TestCompile_DetailExplainsBadPath(t *testing.T) {
	diags := Validate(`{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.a[","End":true}}}`)
	if len(diags) != 1 || diags[0].Detail == "" {
		t.Fatalf("diagnostics = %+v, want one with a Detail", diags)
	}
}

func TestCompile_StateMachineAccessors(t *testing.T) {
	m, err := Compile(`{"Comment":"hi","TimeoutSeconds":60,"StartAt":"B","States":{"B":{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}],"End":true}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if m.Comment() != "hi" || m.TimeoutSeconds() != 60 || !slices.Equal(m.StateNames(), []string{"A", "B"}) || !strings.Contains(m.Definition(), "Parallel") {
		t.Fatalf("accessors: %q %d %v", m.Comment(), m.TimeoutSeconds(), m.StateNames())
	}
}

func TestCreateStateMachine_ExpressRejectsWaitForTaskToken(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}`
	_, err := s.CreateStateMachine(context.Background(), &CreateStateMachineInput{Name: "x", Definition: def, RoleArn: testRole, Type: TypeExpress})
	if !errors.Is(err, ErrInvalidDefinition) || !strings.Contains(err.Error(), "Express state machine does not support '.waitForTaskToken'") {
		t.Fatalf("err = %v", err)
	}
	if _, err := s.CreateStateMachine(context.Background(), &CreateStateMachineInput{Name: "x", Definition: def, RoleArn: testRole}); err != nil {
		t.Fatalf("standard: %v", err)
	}
}

const testRole = "arn:aws:iam::123456789012:role/sfn"

func TestValidateStateMachineDefinition_OKAndFail(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	ctx := context.Background()
	out, err := s.ValidateStateMachineDefinition(ctx, &ValidateStateMachineDefinitionInput{Definition: passDef})
	if err != nil || out.Result != "OK" || len(out.Diagnostics) != 0 {
		t.Fatalf("valid: %+v, %v", out, err)
	}
	out, _ = s.ValidateStateMachineDefinition(ctx, &ValidateStateMachineDefinitionInput{Definition: `{}`})
	if out.Result != "FAIL" || out.Diagnostics[0].Message != "These fields are required: [States, StartAt]" || out.Diagnostics[0].Location != "/" {
		t.Fatalf("empty: %+v", out)
	}
	wftt := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}`
	out, _ = s.ValidateStateMachineDefinition(ctx, &ValidateStateMachineDefinitionInput{Definition: wftt, Type: TypeExpress})
	if out.Result != "FAIL" || out.Diagnostics[0].Location != "/States/T/Resource" {
		t.Fatalf("express: %+v", out)
	}
}
