package wire

import (
	"context"

	"github.com/minicloud/minicloud/stepfn"
)

// loggingConfiguration is LoggingConfiguration on the wire.
type loggingConfiguration struct {
	Level                string           `json:"level,omitempty"`
	IncludeExecutionData bool             `json:"includeExecutionData"`
	Destinations         []logDestination `json:"destinations,omitempty"`
}

type logDestination struct {
	CloudWatchLogsLogGroup *struct {
		LogGroupArn string `json:"logGroupArn"`
	} `json:"cloudWatchLogsLogGroup,omitempty"`
}

type tracingConfiguration struct {
	Enabled bool `json:"enabled"`
}

func (l *loggingConfiguration) native() *stepfn.LoggingConfiguration {
	if l == nil {
		return nil
	}
	out := &stepfn.LoggingConfiguration{Level: l.Level, IncludeExecutionData: l.IncludeExecutionData}
	for _, d := range l.Destinations {
		var arn string
		if d.CloudWatchLogsLogGroup != nil {
			arn = d.CloudWatchLogsLogGroup.LogGroupArn
		}
		out.Destinations = append(out.Destinations, stepfn.LogDestination{CloudWatchLogsLogGroupArn: arn})
	}
	return out
}

func wireLogging(l stepfn.LoggingConfiguration) *loggingConfiguration {
	out := &loggingConfiguration{Level: l.Level, IncludeExecutionData: l.IncludeExecutionData}
	for _, d := range l.Destinations {
		var w logDestination
		w.CloudWatchLogsLogGroup = &struct {
			LogGroupArn string `json:"logGroupArn"`
		}{d.CloudWatchLogsLogGroupArn}
		out.Destinations = append(out.Destinations, w)
	}
	return out
}

type updateStateMachineRequest struct {
	StateMachineArn      string                `json:"stateMachineArn"`
	Definition           string                `json:"definition"`
	RoleArn              string                `json:"roleArn"`
	LoggingConfiguration *loggingConfiguration `json:"loggingConfiguration"`
	TracingConfiguration *tracingConfiguration `json:"tracingConfiguration"`
	Publish              bool                  `json:"publish"`
	VersionDescription   string                `json:"versionDescription"`
}

func updateStateMachine(ctx context.Context, svc *stepfn.Service, in *updateStateMachineRequest) (any, error) {
	req := &stepfn.UpdateStateMachineInput{
		StateMachineArn: in.StateMachineArn, Definition: in.Definition, RoleArn: in.RoleArn,
		LoggingConfiguration: in.LoggingConfiguration.native(), Publish: in.Publish, VersionDescription: in.VersionDescription,
	}
	if in.TracingConfiguration != nil {
		req.TracingConfiguration = &stepfn.TracingConfiguration{Enabled: in.TracingConfiguration.Enabled}
	}
	out, err := svc.UpdateStateMachine(ctx, req)
	if err != nil {
		return nil, err
	}
	return struct {
		UpdateDate             epoch  `json:"updateDate"`
		RevisionId             string `json:"revisionId,omitempty"`
		StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
	}{epoch(out.UpdateDate), out.RevisionId, out.StateMachineVersionArn}, nil
}
