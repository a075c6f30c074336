package apigw

import (
	"maps"
	"math"
)

// CanarySettings is a REST stage's canary release (canarySettings): a
// second deployment that receives a share of the stage's requests, so a
// new version meets real traffic before it replaces the old one.
type CanarySettings struct {
	// DeploymentID is the canary deployment (required).
	DeploymentID string
	// PercentTraffic is the share of the stage's requests sent to the
	// canary, 0.0 to 100.0. Each request is drawn independently from the
	// service's seeded random source, so a run is reproducible.
	PercentTraffic float64
	// StageVariableOverrides replace stage variables, or add new ones,
	// for requests served by the canary. Same rules as stage variables.
	StageVariableOverrides map[string]string
	// UseStageCache lets canary requests read and fill the stage cache;
	// without it they bypass the cache.
	UseStageCache bool
}

func (c *CanarySettings) clone() *CanarySettings {
	if c == nil {
		return nil
	}
	out := *c
	out.StageVariableOverrides = maps.Clone(c.StageVariableOverrides)
	return &out
}

// canaryState is what a stage keeps for its canary: the deployment
// resolved at configuration time and the canary's own metrics.
type canaryState struct {
	dep     *Deployment
	metrics Metrics
}

// checkCanary validates a stage's canary settings: REST APIs only (HTTP
// API stages have no canary), a deployment of the API, a percentage
// between 0 and 100, stage variable overrides under the stage variable
// rules.
func (a *API) checkCanary(cfg *StageConfig) error {
	cs := cfg.Canary
	if cs == nil {
		return nil
	}
	if a.cfg.Kind != REST {
		return ErrBadRequest.New("Canary settings are only supported for REST APIs")
	}
	if cs.PercentTraffic < 0 || cs.PercentTraffic > 100 || math.IsNaN(cs.PercentTraffic) {
		return ErrBadRequest.Newf("Canary percentTraffic must be between 0.0 and 100.0, got %v", cs.PercentTraffic)
	}
	if cs.DeploymentID == "" {
		return ErrBadRequest.New("Canary settings need a deployment ID")
	}
	if _, ok := a.Deployment(cs.DeploymentID); !ok {
		return ErrBadRequest.Newf("Invalid deployment identifier specified: %s", cs.DeploymentID)
	}
	// The overrides follow the stage variable rules.
	return a.checkStage(&StageConfig{Name: cfg.Name, Variables: cs.StageVariableOverrides})
}

// applyCanaryLocked keeps the stage's own copy of the canary settings and
// resolves the canary deployment. The caller holds the API's lock and the
// stage's.
func (st *Stage) applyCanaryLocked(cfg *StageConfig) {
	cfg.Canary = cfg.Canary.clone()
	st.canary.dep = nil
	if cfg.Canary != nil {
		st.canary.dep = st.api.deployments[cfg.Canary.DeploymentID]
	}
}

// pick chooses the deployment a request is served by: the canary's for
// PercentTraffic percent of requests, with the canary's stage variables
// and, unless UseStageCache, with caching turned off; else the stage's.
func (st *Stage) pick() (dep *Deployment, cfg StageConfig, canary bool) {
	st.mu.Lock()
	dep, cfg, cdep := st.dep, st.cfg, st.canary.dep
	st.mu.Unlock()
	cs := cfg.Canary
	if cs == nil || cdep == nil || cs.PercentTraffic <= 0 {
		return dep, cfg, false
	}
	if cs.PercentTraffic < 100 {
		s := st.api.s
		s.mu.Lock()
		x := s.rnd.Float64() * 100
		s.mu.Unlock()
		if x >= cs.PercentTraffic {
			return dep, cfg, false
		}
	}
	vars := maps.Clone(cfg.Variables)
	if vars == nil && len(cs.StageVariableOverrides) > 0 {
		vars = map[string]string{}
	}
	maps.Copy(vars, cs.StageVariableOverrides)
	cfg.Variables = vars
	if !cs.UseStageCache {
		// The call's copy of the method settings decides caching
		// (cache.go): without the stage cache, no route caches.
		ms := make(map[string]MethodSettings, len(cfg.MethodSettings))
		for k, m := range cfg.MethodSettings {
			m.CachingEnabled = false
			ms[k] = m
		}
		cfg.MethodSettings = ms
	}
	return cdep, cfg, true
}

// metricsFor is where a request's metrics are counted: the canary's own
// (CloudWatch's "{stage}/Canary" stage dimension) or the stage's.
func (st *Stage) metricsFor(c *call) *Metrics {
	if c.canary {
		return &st.canary.metrics
	}
	return &st.metrics
}

// CanaryMetrics returns a copy of the metrics of requests the canary
// served, which API Gateway publishes under the stage name
// "{stage}/Canary"; [Stage.Metrics] counts the others. They are kept
// after the canary is promoted or removed.
func (st *Stage) CanaryMetrics() Metrics {
	st.mu.Lock()
	defer st.mu.Unlock()
	m := st.canary.metrics
	m.ByRoute = maps.Clone(st.canary.metrics.ByRoute)
	if m.ByRoute == nil {
		m.ByRoute = map[string]int64{}
	}
	return m
}

// PromoteCanary makes a stage's canary its release: the stage serves the
// canary deployment, the canary's stage variable overrides become stage
// variables, and the canary settings are removed. BadRequestException if
// the stage has no canary, NotFoundException if there is no such stage.
func (a *API) PromoteCanary(stage string) (*Stage, error) {
	st := a.Stage(stage)
	if st == nil {
		return nil, ErrNotFound.Newf("Invalid stage identifier specified: %s", stage)
	}
	if st.Config().Canary == nil {
		return nil, ErrBadRequest.Newf("Stage %s has no canary settings to promote", stage)
	}
	var promoteErr error
	out, err := a.UpdateStage(stage, func(cfg *StageConfig) {
		cs := cfg.Canary
		if cs == nil { // removed concurrently
			promoteErr = ErrBadRequest.Newf("Stage %s has no canary settings to promote", stage)
			return
		}
		cfg.DeploymentID = cs.DeploymentID
		if len(cs.StageVariableOverrides) > 0 {
			if cfg.Variables == nil {
				cfg.Variables = map[string]string{}
			}
			maps.Copy(cfg.Variables, cs.StageVariableOverrides)
		}
		cfg.Canary = nil
	})
	if promoteErr != nil {
		return nil, promoteErr
	}
	return out, err
}
