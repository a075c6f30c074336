package wire

import (
	"context"
	"strconv"
	"time"

	"github.com/minicloud/minicloud/stepfn"
)

// operations maps each operation name to its wire mapping.
var operations = map[string]operation{
	"CreateStateMachine":             op[createStateMachineRequest]{createStateMachine},
	"DescribeStateMachine":           op[stateMachineRequest]{describeStateMachine},
	"ListStateMachines":              op[listStateMachinesRequest]{listStateMachines},
	"DeleteStateMachine":             op[stateMachineRequest]{deleteStateMachine},
	"UpdateStateMachine":             op[updateStateMachineRequest]{updateStateMachine},
	"ValidateStateMachineDefinition": op[validateRequest]{validateDefinition},
	"TestState":                      op[testStateRequest]{testState},
	"StartExecution":                 op[startExecutionRequest]{startExecution},
	"StartSyncExecution":             op[startExecutionRequest]{startSyncExecution},
	"DescribeExecution":              op[executionRequest]{describeExecution},
	"StopExecution":                  op[stopExecutionRequest]{stopExecution},
	"ListExecutions":                 op[listExecutionsRequest]{listExecutions},
	"GetExecutionHistory":            op[getExecutionHistoryRequest]{getExecutionHistory},
	"SendTaskSuccess":                op[sendTaskSuccessRequest]{sendTaskSuccess},
	"SendTaskFailure":                op[sendTaskFailureRequest]{sendTaskFailure},
	"SendTaskHeartbeat":              op[sendTaskHeartbeatRequest]{sendTaskHeartbeat},
	"CreateActivity":                 op[createActivityRequest]{createActivity},
	"DescribeActivity":               op[activityRequest]{describeActivity},
	"DeleteActivity":                 op[activityRequest]{deleteActivity},
	"ListActivities":                 op[listActivitiesRequest]{listActivities},
	"GetActivityTask":                op[getActivityTaskRequest]{getActivityTask},

	"PublishStateMachineVersion":       op[publishVersionRequest]{publishVersion},
	"ListStateMachineVersions":         op[listVersionsRequest]{listVersions},
	"DeleteStateMachineVersion":        op[versionRequest]{deleteVersion},
	"CreateStateMachineAlias":          op[createAliasRequest]{createAlias},
	"DescribeStateMachineAlias":        op[aliasRequest]{describeAlias},
	"UpdateStateMachineAlias":          op[updateAliasRequest]{updateAlias},
	"DeleteStateMachineAlias":          op[aliasRequest]{deleteAlias},
	"ListStateMachineAliases":          op[listAliasesRequest]{listAliases},
	"DescribeStateMachineForExecution": op[executionRequest]{describeStateMachineForExecution},
	"TagResource":                      op[tagResourceRequest]{tagResource},
	"UntagResource":                    op[untagResourceRequest]{untagResource},
	"ListTagsForResource":              op[resourceRequest]{listTagsForResource},
}

// epoch is a timestamp on the wire: seconds since the Unix epoch with a
// millisecond fraction, as a JSON number, the form the SDKs read.
type epoch time.Time

// MarshalJSON writes the timestamp as seconds with up to three decimals.
func (e epoch) MarshalJSON() ([]byte, error) {
	ms := time.Time(e).UnixMilli()
	sec, frac := ms/1000, ms%1000
	if frac < 0 {
		sec, frac = sec-1, frac+1000
	}
	b := strconv.AppendInt(nil, sec, 10)
	if frac != 0 {
		f := strconv.AppendInt(nil, 1000+frac, 10)[1:] // three digits
		for f[len(f)-1] == '0' {
			f = f[:len(f)-1]
		}
		b = append(append(b, '.'), f...)
	}
	return b, nil
}

// IsZero reports an unset time, which omitzero leaves out.
func (e epoch) IsZero() bool { return time.Time(e).IsZero() }

// dataDetails is the inputDetails and outputDetails of a description:
// whether the payload is included. minicloud always includes it.
type dataDetails struct {
	Included bool `json:"included"`
}

// Requests and responses, member by member as the Step Functions API
// reference names them.

type createStateMachineRequest struct {
	Name               string `json:"name"`
	Definition         string `json:"definition"`
	RoleArn            string `json:"roleArn"`
	Type               string `json:"type"`
	Publish            bool   `json:"publish"`
	VersionDescription string `json:"versionDescription"`
	Tags               []tag  `json:"tags"`
}

type stateMachineRequest struct {
	StateMachineArn string `json:"stateMachineArn"`
}

type listStateMachinesRequest struct {
	MaxResults int    `json:"maxResults"`
	NextToken  string `json:"nextToken"`
}

type validateRequest struct {
	Definition string `json:"definition"`
	Type       string `json:"type"`
	Severity   string `json:"severity"`
	MaxResults int    `json:"maxResults"`
}

type startExecutionRequest struct {
	StateMachineArn string `json:"stateMachineArn"`
	Name            string `json:"name"`
	Input           string `json:"input"`
	TraceHeader     string `json:"traceHeader"`
}

type executionRequest struct {
	ExecutionArn string `json:"executionArn"`
}

type stopExecutionRequest struct {
	ExecutionArn string `json:"executionArn"`
	Error        string `json:"error"`
	Cause        string `json:"cause"`
}

type listExecutionsRequest struct {
	StateMachineArn string `json:"stateMachineArn"`
	StatusFilter    string `json:"statusFilter"`
	MaxResults      int    `json:"maxResults"`
	NextToken       string `json:"nextToken"`
	MapRunArn       string `json:"mapRunArn"`
}

type getExecutionHistoryRequest struct {
	ExecutionArn         string `json:"executionArn"`
	MaxResults           int    `json:"maxResults"`
	NextToken            string `json:"nextToken"`
	ReverseOrder         bool   `json:"reverseOrder"`
	IncludeExecutionData *bool  `json:"includeExecutionData"`
}

func createStateMachine(ctx context.Context, svc *stepfn.Service, in *createStateMachineRequest) (any, error) {
	out, err := svc.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{Name: in.Name, Definition: in.Definition, RoleArn: in.RoleArn, Type: in.Type,
		Publish: in.Publish, VersionDescription: in.VersionDescription, Tags: nativeTags(in.Tags)})
	if err != nil {
		return nil, err
	}
	return struct {
		StateMachineArn        string `json:"stateMachineArn"`
		CreationDate           epoch  `json:"creationDate"`
		StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
	}{out.StateMachineArn, epoch(out.CreationDate), out.StateMachineVersionArn}, nil
}

func describeStateMachine(ctx context.Context, svc *stepfn.Service, in *stateMachineRequest) (any, error) {
	out, err := svc.DescribeStateMachine(ctx, in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	return struct {
		StateMachineArn string                `json:"stateMachineArn"`
		Name            string                `json:"name"`
		Status          string                `json:"status,omitempty"`
		Definition      string                `json:"definition"`
		RoleArn         string                `json:"roleArn"`
		Type            string                `json:"type"`
		CreationDate    epoch                 `json:"creationDate"`
		Logging         *loggingConfiguration `json:"loggingConfiguration"`
		Tracing         *tracingConfiguration `json:"tracingConfiguration"`
		RevisionId      string                `json:"revisionId,omitempty"`
		Description     string                `json:"description,omitempty"`
	}{out.StateMachineArn, out.Name, out.Status, out.Definition, out.RoleArn, out.Type, epoch(out.CreationDate),
		wireLogging(out.LoggingConfiguration), &tracingConfiguration{out.TracingConfiguration.Enabled}, out.RevisionId, out.Description}, nil
}

type stateMachineListItem struct {
	StateMachineArn string `json:"stateMachineArn"`
	Name            string `json:"name"`
	Type            string `json:"type"`
	CreationDate    epoch  `json:"creationDate"`
}

func listStateMachines(ctx context.Context, svc *stepfn.Service, in *listStateMachinesRequest) (any, error) {
	out, err := svc.ListStateMachines(ctx, &stepfn.ListStateMachinesInput{MaxResults: in.MaxResults, NextToken: in.NextToken})
	if err != nil {
		return nil, err
	}
	items := make([]stateMachineListItem, len(out.StateMachines))
	for i, sm := range out.StateMachines {
		items[i] = stateMachineListItem{sm.StateMachineArn, sm.Name, sm.Type, epoch(sm.CreationDate)}
	}
	return struct {
		StateMachines []stateMachineListItem `json:"stateMachines"`
		NextToken     string                 `json:"nextToken,omitempty"`
	}{items, out.NextToken}, nil
}

func deleteStateMachine(ctx context.Context, svc *stepfn.Service, in *stateMachineRequest) (any, error) {
	if err := svc.DeleteStateMachine(ctx, in.StateMachineArn); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

// validateDefinition applies the request's severity (ERROR, the default,
// keeps errors only; WARNING keeps both) and maxResults (0 means all;
// more diagnostics set truncated) to the service's diagnostics.
func validateDefinition(ctx context.Context, svc *stepfn.Service, in *validateRequest) (any, error) {
	switch in.Severity {
	case "", "ERROR", "WARNING":
	default:
		return nil, stepfn.ErrValidation.Newf("1 validation error detected: Value '%s' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [WARNING, ERROR]", in.Severity)
	}
	if in.MaxResults < 0 || in.MaxResults > 100 {
		return nil, stepfn.ErrValidation.Newf("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 0 and 100", in.MaxResults)
	}
	out, err := svc.ValidateStateMachineDefinition(ctx, &stepfn.ValidateStateMachineDefinitionInput{Definition: in.Definition, Type: in.Type})
	if err != nil {
		return nil, err
	}
	diags := []stepfn.Diagnostic{}
	truncated := false
	for _, d := range out.Diagnostics {
		if in.Severity != "WARNING" && d.Severity != "ERROR" {
			continue
		}
		if in.MaxResults > 0 && len(diags) == in.MaxResults {
			truncated = true
			break
		}
		diags = append(diags, d)
	}
	return struct {
		Result      string              `json:"result"`
		Diagnostics []stepfn.Diagnostic `json:"diagnostics"`
		Truncated   bool                `json:"truncated"`
	}{out.Result, diags, truncated}, nil
}

func startExecution(ctx context.Context, svc *stepfn.Service, in *startExecutionRequest) (any, error) {
	out, err := svc.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: in.StateMachineArn, Name: in.Name, Input: in.Input})
	if err != nil {
		return nil, err
	}
	return struct {
		ExecutionArn string `json:"executionArn"`
		StartDate    epoch  `json:"startDate"`
	}{out.ExecutionArn, epoch(out.StartDate)}, nil
}

// executionDescription is the response of DescribeExecution and
// StartSyncExecution; members without a value are left out.
type executionDescription struct {
	ExecutionArn    string       `json:"executionArn"`
	StateMachineArn string       `json:"stateMachineArn"`
	Name            string       `json:"name,omitempty"`
	Status          string       `json:"status"`
	StartDate       epoch        `json:"startDate"`
	StopDate        epoch        `json:"stopDate,omitzero"`
	Input           string       `json:"input,omitempty"`
	InputDetails    *dataDetails `json:"inputDetails,omitempty"`
	Output          string       `json:"output,omitempty"`
	OutputDetails   *dataDetails `json:"outputDetails,omitempty"`
	Error           string       `json:"error,omitempty"`
	Cause           string       `json:"cause,omitempty"`
	// StateMachineVersionArn and StateMachineAliasArn say what a
	// DescribeExecution'd execution was started with.
	StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   string `json:"stateMachineAliasArn,omitempty"`
}

func describeExecution(ctx context.Context, svc *stepfn.Service, in *executionRequest) (any, error) {
	out, err := svc.DescribeExecution(ctx, in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	d := executionDescription{
		ExecutionArn: out.ExecutionArn, StateMachineArn: out.StateMachineArn, Name: out.Name, Status: out.Status,
		StartDate: epoch(out.StartDate), StopDate: epoch(out.StopDate),
		Input: out.Input, InputDetails: &dataDetails{Included: true},
		Output: out.Output, Error: out.Error, Cause: out.Cause,
		StateMachineVersionArn: out.StateMachineVersionArn, StateMachineAliasArn: out.StateMachineAliasArn,
	}
	if out.Status == stepfn.StatusSucceeded {
		d.OutputDetails = &dataDetails{Included: true}
	}
	return d, nil
}

func startSyncExecution(ctx context.Context, svc *stepfn.Service, in *startExecutionRequest) (any, error) {
	out, err := svc.StartSyncExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: in.StateMachineArn, Name: in.Name, Input: in.Input})
	if err != nil {
		return nil, err
	}
	d := executionDescription{
		ExecutionArn: out.ExecutionArn, StateMachineArn: out.StateMachineArn, Name: out.Name, Status: out.Status,
		StartDate: epoch(out.StartDate), StopDate: epoch(out.StopDate),
		Input: out.Input, InputDetails: &dataDetails{Included: true},
		Output: out.Output, Error: out.Error, Cause: out.Cause,
	}
	if out.Status == stepfn.StatusSucceeded {
		d.OutputDetails = &dataDetails{Included: true}
	}
	return d, nil
}

func stopExecution(ctx context.Context, svc *stepfn.Service, in *stopExecutionRequest) (any, error) {
	out, err := svc.StopExecution(ctx, &stepfn.StopExecutionInput{ExecutionArn: in.ExecutionArn, Error: in.Error, Cause: in.Cause})
	if err != nil {
		return nil, err
	}
	return struct {
		StopDate epoch `json:"stopDate"`
	}{epoch(out.StopDate)}, nil
}

type executionListItem struct {
	ExecutionArn           string `json:"executionArn"`
	StateMachineArn        string `json:"stateMachineArn"`
	Name                   string `json:"name"`
	Status                 string `json:"status"`
	StartDate              epoch  `json:"startDate"`
	StopDate               epoch  `json:"stopDate,omitzero"`
	StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   string `json:"stateMachineAliasArn,omitempty"`
}

func listExecutions(ctx context.Context, svc *stepfn.Service, in *listExecutionsRequest) (any, error) {
	if in.MapRunArn != "" {
		return nil, stepfn.ErrValidation.New("Listing the executions of a map run (mapRunArn) is not supported by minicloud; pass stateMachineArn")
	}
	out, err := svc.ListExecutions(ctx, &stepfn.ListExecutionsInput{StateMachineArn: in.StateMachineArn, StatusFilter: in.StatusFilter, MaxResults: in.MaxResults, NextToken: in.NextToken})
	if err != nil {
		return nil, err
	}
	items := make([]executionListItem, len(out.Executions))
	for i, e := range out.Executions {
		items[i] = executionListItem{e.ExecutionArn, e.StateMachineArn, e.Name, e.Status, epoch(e.StartDate), epoch(e.StopDate), e.StateMachineVersionArn, e.StateMachineAliasArn}
	}
	return struct {
		Executions []executionListItem `json:"executions"`
		NextToken  string              `json:"nextToken,omitempty"`
	}{items, out.NextToken}, nil
}

// historyEvent is a stepfn.HistoryEvent on the wire: its details already
// carry the API's member names (executionStartedEventDetails, ...); the
// timestamp becomes epoch seconds.
type historyEvent struct {
	Timestamp epoch `json:"timestamp"`
	*eventFields
}

// eventFields is stepfn.HistoryEvent without its methods; its Timestamp
// is shadowed by historyEvent's.
type eventFields stepfn.HistoryEvent

func getExecutionHistory(ctx context.Context, svc *stepfn.Service, in *getExecutionHistoryRequest) (any, error) {
	exclude := in.IncludeExecutionData != nil && !*in.IncludeExecutionData
	out, err := svc.GetExecutionHistory(ctx, &stepfn.GetExecutionHistoryInput{
		ExecutionArn: in.ExecutionArn, MaxResults: in.MaxResults, NextToken: in.NextToken,
		ReverseOrder: in.ReverseOrder, ExcludeExecutionData: exclude,
	})
	if err != nil {
		return nil, err
	}
	events := make([]historyEvent, len(out.Events))
	for i := range out.Events {
		ev := &out.Events[i]
		events[i] = historyEvent{Timestamp: epoch(ev.Timestamp), eventFields: (*eventFields)(ev)}
	}
	return struct {
		Events    []historyEvent `json:"events"`
		NextToken string         `json:"nextToken,omitempty"`
	}{events, out.NextToken}, nil
}
