package stepfn

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/minicloud/minicloud/internal/awserr"
)

var (
	// ErrMissingRequiredParameter is MissingRequiredParameter:
	// UpdateStateMachine was given nothing to change.
	ErrMissingRequiredParameter = awserr.New("MissingRequiredParameter", 400, "")
	// ErrInvalidLoggingConfiguration is InvalidLoggingConfiguration: a
	// LoggingConfiguration whose level needs a destination has none, has
	// more than one, or names no CloudWatch Logs log group.
	ErrInvalidLoggingConfiguration = awserr.New("InvalidLoggingConfiguration", 400, "")
)

// Log levels of a [LoggingConfiguration].
const (
	LogLevelAll   = "ALL"
	LogLevelError = "ERROR"
	LogLevelFatal = "FATAL"
	LogLevelOff   = "OFF"
)

// LoggingConfiguration says what a state machine's executions send to
// CloudWatch Logs. minicloud records it and returns it from
// DescribeStateMachine; it writes no logs.
type LoggingConfiguration struct {
	// Level is ALL, ERROR, FATAL or OFF (the default).
	Level string
	// IncludeExecutionData logs inputs and outputs too.
	IncludeExecutionData bool
	// Destinations lists the log groups: exactly one when Level is not
	// OFF.
	Destinations []LogDestination
}

// LogDestination is a CloudWatch Logs log group, named by its ARN ending
// in ":*" (arn:aws:logs:us-east-1:123456789012:log-group:sfn:*).
type LogDestination struct {
	CloudWatchLogsLogGroupArn string
}

// TracingConfiguration says whether executions are traced with AWS X-Ray.
// minicloud records it; it sends no traces.
type TracingConfiguration struct {
	Enabled bool
}

// UpdateStateMachineInput is the request of UpdateStateMachine. At least
// one of Definition, RoleArn, LoggingConfiguration and
// TracingConfiguration must be given; the others keep their values.
type UpdateStateMachineInput struct {
	// StateMachineArn names the state machine. Required.
	StateMachineArn string
	// Definition replaces the Amazon States Language document.
	Definition string
	// RoleArn replaces the IAM role executions run as.
	RoleArn string
	// LoggingConfiguration replaces the logging settings.
	LoggingConfiguration *LoggingConfiguration
	// TracingConfiguration replaces the X-Ray settings.
	TracingConfiguration *TracingConfiguration
	// Publish publishes the updated revision as a version.
	Publish bool
	// VersionDescription describes the published version: up to 256
	// characters, only with Publish.
	VersionDescription string
}

// UpdateStateMachineOutput is the response of UpdateStateMachine.
type UpdateStateMachineOutput struct {
	UpdateDate time.Time
	// RevisionId identifies the new revision of the state machine: a
	// fresh UUID each update that changes something, also returned by
	// DescribeStateMachine. An update that changes nothing keeps the
	// revision (empty if the state machine was never changed).
	RevisionId string
	// StateMachineVersionArn is the version Publish published; empty
	// without Publish.
	StateMachineVersionArn string
}

// UpdateStateMachine changes a state machine's definition, role, logging
// or tracing, checked as CreateStateMachine checks them. As on AWS,
// executions already running keep the definition and role they started
// with; executions started afterwards use the new ones. A state machine
// being deleted answers StateMachineDeleting; its type cannot change, so
// an Express state machine's new definition is held to Express's rules.
//
// With Publish the resulting revision is published as a version, as
// [Service.PublishStateMachineVersion] does: an update that changes
// nothing returns the version already published from the current
// revision; past Limits.MaxVersions it fails with
// ServiceQuotaExceededException and changes nothing.
func (s *Service) UpdateStateMachine(ctx context.Context, in *UpdateStateMachineInput) (*UpdateStateMachineOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.StateMachineArn == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null")
	}
	if err := checkArn(in.StateMachineArn, "stateMachine"); err != nil {
		return nil, err
	}
	if err := checkPublish(in.Publish, in.VersionDescription); err != nil {
		return nil, err
	}
	if in.Definition == "" && in.RoleArn == "" && in.LoggingConfiguration == nil && in.TracingConfiguration == nil {
		return nil, ErrMissingRequiredParameter.New("Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified")
	}
	if in.RoleArn != "" && !strings.HasPrefix(in.RoleArn, "arn:") {
		return nil, ErrInvalidArn.Newf("Invalid Arn: 'Invalid ARN prefix: %s'", in.RoleArn)
	}
	var logging *LoggingConfiguration
	if in.LoggingConfiguration != nil {
		l, err := checkLogging(*in.LoggingConfiguration)
		if err != nil {
			return nil, err
		}
		logging = &l
	}
	var def *StateMachine
	if in.Definition != "" {
		if len(in.Definition) > s.limits.MaxDefinitionSize {
			return nil, ErrValidation.Newf("1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to %d", s.limits.MaxDefinitionSize)
		}
		var err error
		if def, err = Compile(in.Definition); err != nil {
			return nil, err
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	m, ok := s.machines[in.StateMachineArn]
	if !ok {
		return nil, ErrStateMachineDoesNotExist.Newf("State Machine Does Not Exist: '%s'", in.StateMachineArn)
	}
	if m.deleting {
		return nil, ErrStateMachineDeleting.Newf("State Machine is being deleted: '%s'", m.arn)
	}
	if def != nil && m.typ == TypeExpress {
		if err := checkExpress(def); err != nil {
			return nil, err
		}
	}
	// Running executions hold their own definition and role, so
	// replacing the machine's leaves them as they started.
	newDef := def != nil && def.definition != m.def.definition
	newRole := in.RoleArn != "" && in.RoleArn != m.roleArn
	newLogging := logging != nil && !sameLogging(*logging, m.logging)
	newTracing := in.TracingConfiguration != nil && *in.TracingConfiguration != m.tracing
	changed := newDef || newRole || newLogging || newTracing
	if in.Publish && (changed || !m.ver.published(m.revisionID)) && len(m.ver.versions) >= s.limits.MaxVersions {
		return nil, quotaError(m, s.limits.MaxVersions)
	}
	if newDef {
		m.def = def
	}
	if newRole {
		m.roleArn = in.RoleArn
	}
	if newLogging {
		m.logging = *logging
	}
	if newTracing {
		m.tracing = *in.TracingConfiguration
	}
	now := s.clock.Now()
	if changed {
		m.revisionID = s.rnd.uuid()
		m.updated = now
	}
	out := &UpdateStateMachineOutput{UpdateDate: now, RevisionId: m.revisionID}
	if in.Publish {
		v, err := s.publishLocked(m, in.VersionDescription)
		if err != nil {
			return nil, err
		}
		out.StateMachineVersionArn = v.arn
	}
	return out, nil
}

// sameLogging reports whether two logging configurations are equal.
func sameLogging(a, b LoggingConfiguration) bool {
	return a.Level == b.Level && a.IncludeExecutionData == b.IncludeExecutionData && slices.Equal(a.Destinations, b.Destinations)
}

// checkLogging validates a LoggingConfiguration as Step Functions does and
// returns it with its defaults.
func checkLogging(l LoggingConfiguration) (LoggingConfiguration, error) {
	switch l.Level {
	case "":
		l.Level = LogLevelOff
	case LogLevelAll, LogLevelError, LogLevelFatal, LogLevelOff:
	default:
		return l, ErrValidation.Newf("1 validation error detected: Value '%s' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]", l.Level)
	}
	if len(l.Destinations) > 1 || (l.Level != LogLevelOff && len(l.Destinations) != 1) {
		return l, ErrInvalidLoggingConfiguration.New("Invalid Logging Configuration: Must specify exactly one Log Destination.")
	}
	for _, d := range l.Destinations {
		arn := d.CloudWatchLogsLogGroupArn
		parts := strings.Split(arn, ":")
		if len(parts) != 8 || parts[0] != "arn" || parts[2] != "logs" || parts[5] != "log-group" || parts[6] == "" || parts[7] != "*" {
			return l, ErrInvalidLoggingConfiguration.Newf("Invalid Logging Configuration: Log Destination must be a CloudWatch Logs log group ARN ending in ':*', not '%s'", arn)
		}
	}
	l.Destinations = append([]LogDestination(nil), l.Destinations...)
	return l, nil
}
