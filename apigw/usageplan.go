package apigw

import (
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Usage plan quotas of API Gateway ("Amazon API Gateway quotas").
const (
	// MaxUsagePlans is the number of usage plans per account and Region:
	// 300.
	MaxUsagePlans = 300
	// MaxUsagePlansPerKey is the number of usage plans one API key may
	// belong to: 10.
	MaxUsagePlansPerKey = 10
	// usageRetentionDays is how many days of per-day usage a plan key
	// keeps for GetUsage.
	usageRetentionDays = 90
	// maxUsageDays is the longest GetUsage date range answered at once.
	maxUsageDays = 366
)

// Quota periods of a usage plan, as QuotaSettings names them.
const (
	// QuotaDay counts requests per UTC calendar day.
	QuotaDay = "DAY"
	// QuotaWeek counts requests per week, Monday 00:00 UTC to the next
	// Monday (ISO weeks; AWS does not document the first day).
	QuotaWeek = "WEEK"
	// QuotaMonth counts requests per UTC calendar month: quotas reset at
	// 00:00 UTC on the 1st.
	QuotaMonth = "MONTH"
)

// Quota is a usage plan's QuotaSettings: at most Limit requests per key
// in each Period. Offset is subtracted from the limit in the initial
// period (the one in which the plan was created), for a plan that starts
// in the middle of a week or month. A zero Limit means no quota.
type Quota struct {
	Limit  int
	Offset int
	Period string
}

// APIStage is a stage of a REST API that a usage plan applies to, with
// optional per-route throttles keyed by route key ("GET /items/{id}";
// API Gateway's own key is "/items/{id}/GET").
type APIStage struct {
	APIID    string
	Stage    string
	Throttle map[string]Throttle
}

// UsagePlanConfig describes a usage plan at creation, as CreateUsagePlan
// takes it.
type UsagePlanConfig struct {
	// Name names the plan (required).
	Name string
	// Description is free text.
	Description string
	// APIStages are the REST API stages the plan applies to. A request to
	// a method that requires an API key is admitted only if its key
	// belongs to a plan that lists the request's API and stage.
	APIStages []APIStage
	// Throttle is the rate and burst each API key of the plan gets, a
	// token bucket per key; zero fields mean no per-key throttle. Past
	// it: 429 {"message": "Too Many Requests"}.
	Throttle Throttle
	// Quota limits each key's requests per day, week or month. Past it:
	// 429 {"message": "Limit Exceeded"}.
	Quota Quota
}

// UsagePlan is a usage plan as GetUsagePlan returns it.
type UsagePlan struct {
	ID          string
	Name        string
	Description string
	APIStages   []APIStage
	Throttle    Throttle
	Quota       Quota
	CreatedDate time.Time
}

// UsagePlanKey is a key of a usage plan, as GetUsagePlanKeys lists it.
type UsagePlanKey struct {
	ID    string
	Type  string // "API_KEY"
	Name  string
	Value string
}

// GetUsageInput asks for a usage plan's usage between two UTC days, both
// included, as GetUsage does.
type GetUsageInput struct {
	// UsagePlanID names the plan (required).
	UsagePlanID string
	// KeyID limits the report to one API key; empty reports every key of
	// the plan.
	KeyID string
	// StartDate and EndDate are the first and last day reported; only
	// their UTC date counts. At most 366 days.
	StartDate, EndDate time.Time
}

// PlanUsage is GetUsage's answer: for each API key ID, one [used,
// remaining] pair per day from StartDate to EndDate ("yyyy-MM-dd"), as
// API Gateway reports it. Remaining is what is left of the quota of the
// period that day belongs to at the end of that day (0 for a plan
// without quota); days older than 90 days report no use.
type PlanUsage struct {
	UsagePlanID string
	StartDate   string
	EndDate     string
	Items       map[string][][2]int64
}

// planStore holds the service's API keys and usage plans. Its zero value
// is ready to use.
type planStore struct {
	mu       sync.Mutex
	keys     map[string]*apiKey // by ID
	byValue  map[string]*apiKey
	plans    map[string]*usagePlan
	bindings map[bindingKey]*planKey // a key's plan for one API stage
}

type bindingKey struct{ keyID, apiID, stage string }

type usagePlan struct {
	UsagePlan
	keys map[string]*planKey // by key ID
}

// planKey is one API key in one usage plan: its throttle buckets and the
// requests it made.
type planKey struct {
	plan *usagePlan
	key  *apiKey

	bucket *bucket // the plan's per-key throttle; nil for none

	mu          sync.Mutex
	methods     map[string]*bucket // "apiID stage routeKey" → bucket
	periodStart time.Time          // the quota period being counted
	used        int64              // requests admitted in it
	daily       map[int64]int64    // requests admitted per UTC day number
}

func (p *planStore) initLocked() {
	if p.keys == nil {
		p.keys = map[string]*apiKey{}
		p.byValue = map[string]*apiKey{}
		p.plans = map[string]*usagePlan{}
		p.bindings = map[bindingKey]*planKey{}
	}
}

// CreateUsagePlan creates a usage plan. Errors: BadRequestException for a
// missing name, a bad quota or throttle, or an API stage that is not a
// stage of a REST API of the service (or is listed twice);
// LimitExceededException past [MaxUsagePlans].
func (s *Service) CreateUsagePlan(cfg UsagePlanConfig) (UsagePlan, error) {
	if cfg.Name == "" {
		return UsagePlan{}, ErrBadRequest.New("Usage plan name must be non-empty")
	}
	if err := checkQuota(cfg.Quota); err != nil {
		return UsagePlan{}, err
	}
	if err := checkThrottle(cfg.Throttle, "usage plan"); err != nil {
		return UsagePlan{}, err
	}
	stages := make([]APIStage, 0, len(cfg.APIStages))
	seen := map[[2]string]bool{}
	for _, as := range cfg.APIStages {
		if err := s.checkAPIStage(as); err != nil {
			return UsagePlan{}, err
		}
		if seen[[2]string{as.APIID, as.Stage}] {
			return UsagePlan{}, ErrBadRequest.Newf("API stage %s:%s is listed twice", as.APIID, as.Stage)
		}
		seen[[2]string{as.APIID, as.Stage}] = true
		as.Throttle = cloneThrottles(as.Throttle)
		stages = append(stages, as)
	}
	now := s.clock.Now()
	s.mu.Lock()
	id := s.newIDLocked()[:6]
	s.mu.Unlock()

	p := &s.plans
	p.mu.Lock()
	defer p.mu.Unlock()
	p.initLocked()
	if len(p.plans) >= MaxUsagePlans {
		return UsagePlan{}, ErrLimitExceeded.Newf("Too many usage plans: the limit is %d per Region", MaxUsagePlans)
	}
	for p.plans[id] != nil {
		s.mu.Lock()
		id = s.newIDLocked()[:6]
		s.mu.Unlock()
	}
	up := &usagePlan{
		UsagePlan: UsagePlan{
			ID: id, Name: cfg.Name, Description: cfg.Description, APIStages: stages,
			Throttle: cfg.Throttle, Quota: cfg.Quota, CreatedDate: now,
		},
		keys: map[string]*planKey{},
	}
	p.plans[id] = up
	return up.public(), nil
}

func checkQuota(q Quota) error {
	if q == (Quota{}) {
		return nil
	}
	switch q.Period {
	case QuotaDay, QuotaWeek, QuotaMonth:
	default:
		return ErrBadRequest.Newf("Invalid quota period %q: use DAY, WEEK or MONTH", q.Period)
	}
	if q.Limit <= 0 {
		return ErrBadRequest.Newf("Quota limit must be positive (got %d)", q.Limit)
	}
	if q.Offset < 0 || q.Offset >= q.Limit {
		return ErrBadRequest.Newf("Quota offset must be between 0 and the limit %d (got %d)", q.Limit, q.Offset)
	}
	return nil
}

func checkThrottle(t Throttle, what string) error {
	if t.RateLimit < 0 || t.BurstLimit < 0 {
		return ErrBadRequest.Newf("The %s's throttle rate and burst cannot be negative", what)
	}
	return nil
}

func (s *Service) checkAPIStage(as APIStage) error {
	api, ok := s.API(as.APIID)
	if !ok {
		return ErrBadRequest.Newf("Invalid API identifier specified %s:%s", s.accountID, as.APIID)
	}
	if api.Kind() != REST {
		return ErrBadRequest.Newf("API %s is an HTTP API: usage plans apply to REST APIs only", as.APIID)
	}
	if api.Stage(as.Stage) == nil {
		return ErrBadRequest.Newf("Invalid stage identifier specified: %s", as.Stage)
	}
	for k, t := range as.Throttle {
		if _, err := parseRouteKey(k, REST); err != nil {
			return err
		}
		if err := checkThrottle(t, "route "+k); err != nil {
			return err
		}
	}
	return nil
}

func cloneThrottles(m map[string]Throttle) map[string]Throttle {
	if m == nil {
		return nil
	}
	out := make(map[string]Throttle, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// public returns a copy that shares nothing with the store.
func (up *usagePlan) public() UsagePlan {
	out := up.UsagePlan
	out.APIStages = make([]APIStage, len(up.APIStages))
	for i, as := range up.APIStages {
		as.Throttle = cloneThrottles(as.Throttle)
		out.APIStages[i] = as
	}
	return out
}

// GetUsagePlan returns the usage plan with the given ID.
// NotFoundException if there is none.
func (s *Service) GetUsagePlan(id string) (UsagePlan, error) {
	p := &s.plans
	p.mu.Lock()
	defer p.mu.Unlock()
	up := p.plans[id]
	if up == nil {
		return UsagePlan{}, errPlanNotFound(id)
	}
	return up.public(), nil
}

// UsagePlans returns every usage plan, ordered by name and then ID.
func (s *Service) UsagePlans() []UsagePlan {
	p := &s.plans
	p.mu.Lock()
	out := make([]UsagePlan, 0, len(p.plans))
	for _, up := range p.plans {
		out = append(out, up.public())
	}
	p.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// DeleteUsagePlan deletes a usage plan; its keys lose access to its
// stages. NotFoundException if there is none.
func (s *Service) DeleteUsagePlan(id string) error {
	p := &s.plans
	p.mu.Lock()
	defer p.mu.Unlock()
	up := p.plans[id]
	if up == nil {
		return errPlanNotFound(id)
	}
	for _, pk := range up.keys {
		p.unbindLocked(up, pk.key)
	}
	delete(p.plans, id)
	return nil
}

// CreateUsagePlanKey adds an API key to a usage plan. As API Gateway
// enforces, a key belongs to at most one plan per API stage: adding it
// to a second plan that shares a stage with one it is in is a
// BadRequestException, and so is a key in [MaxUsagePlansPerKey] plans
// already. NotFoundException for an unknown plan or key,
// ConflictException if the key is in the plan already.
func (s *Service) CreateUsagePlanKey(planID, keyID string) (UsagePlanKey, error) {
	now := s.clock.Now()
	p := &s.plans
	p.mu.Lock()
	defer p.mu.Unlock()
	up := p.plans[planID]
	if up == nil {
		return UsagePlanKey{}, errPlanNotFound(planID)
	}
	k := p.keys[keyID]
	if k == nil {
		return UsagePlanKey{}, errKeyNotFound(keyID)
	}
	if up.keys[keyID] != nil {
		return UsagePlanKey{}, ErrConflict.Newf("API Key %s is already in usage plan %s", keyID, planID)
	}
	if len(k.plans) >= MaxUsagePlansPerKey {
		return UsagePlanKey{}, ErrBadRequest.Newf("API Key %s is in %d usage plans already: the limit is %d", keyID, len(k.plans), MaxUsagePlansPerKey)
	}
	for _, as := range up.APIStages {
		if other := p.bindings[bindingKey{keyID, as.APIID, as.Stage}]; other != nil {
			return UsagePlanKey{}, ErrBadRequest.Newf("Usage Plan %s cannot be added because API Key %s cannot reference multiple Usage Plans with the same API Stage: %s:%s (it is in usage plan %s)", planID, keyID, as.APIID, as.Stage, other.plan.ID)
		}
	}
	pk := &planKey{plan: up, key: k, daily: map[int64]int64{}}
	if up.Throttle.RateLimit > 0 || up.Throttle.BurstLimit > 0 {
		pk.bucket = newBucket(up.Throttle.RateLimit, up.Throttle.BurstLimit, now)
	}
	up.keys[keyID] = pk
	k.plans[planID] = true
	for _, as := range up.APIStages {
		p.bindings[bindingKey{keyID, as.APIID, as.Stage}] = pk
	}
	return UsagePlanKey{ID: k.ID, Type: "API_KEY", Name: k.Name, Value: k.Value}, nil
}

// DeleteUsagePlanKey removes an API key from a usage plan.
// NotFoundException if the plan, the key or the membership is unknown.
func (s *Service) DeleteUsagePlanKey(planID, keyID string) error {
	p := &s.plans
	p.mu.Lock()
	defer p.mu.Unlock()
	up := p.plans[planID]
	if up == nil {
		return errPlanNotFound(planID)
	}
	k := p.keys[keyID]
	if k == nil || up.keys[keyID] == nil {
		return ErrNotFound.Newf("Invalid Usage Plan Key identifier specified: %s", keyID)
	}
	p.unbindLocked(up, k)
	return nil
}

// UsagePlanKeys lists the keys of a usage plan, ordered by name and ID.
func (s *Service) UsagePlanKeys(planID string) ([]UsagePlanKey, error) {
	p := &s.plans
	p.mu.Lock()
	up := p.plans[planID]
	if up == nil {
		p.mu.Unlock()
		return nil, errPlanNotFound(planID)
	}
	out := make([]UsagePlanKey, 0, len(up.keys))
	for _, pk := range up.keys {
		out = append(out, UsagePlanKey{ID: pk.key.ID, Type: "API_KEY", Name: pk.key.Name, Value: pk.key.Value})
	}
	p.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// unbindLocked removes a key from a plan (the caller holds p.mu).
func (p *planStore) unbindLocked(up *usagePlan, k *apiKey) {
	for _, as := range up.APIStages {
		bk := bindingKey{k.ID, as.APIID, as.Stage}
		if pk := p.bindings[bk]; pk != nil && pk.plan == up {
			delete(p.bindings, bk)
		}
	}
	delete(up.keys, k.ID)
	delete(k.plans, up.ID)
}

func errPlanNotFound(id string) error {
	return ErrNotFound.Newf("Invalid Usage Plan ID specified: %s", id)
}

// GetUsage reports a usage plan's use per key and per UTC day, as
// GetUsage does. Errors: BadRequestException for a missing plan ID, an
// end before the start or a range over 366 days; NotFoundException for an
// unknown plan, or a key that is not in it.
func (s *Service) GetUsage(in GetUsageInput) (PlanUsage, error) {
	if in.UsagePlanID == "" {
		return PlanUsage{}, ErrBadRequest.New("Usage plan ID must be specified")
	}
	first, last := dayNumber(in.StartDate), dayNumber(in.EndDate)
	if last < first {
		return PlanUsage{}, ErrBadRequest.New("The end date must not be before the start date")
	}
	if last-first+1 > maxUsageDays {
		return PlanUsage{}, ErrBadRequest.Newf("The date range is %d days: at most %d are reported at once", last-first+1, maxUsageDays)
	}
	p := &s.plans
	p.mu.Lock()
	up := p.plans[in.UsagePlanID]
	if up == nil {
		p.mu.Unlock()
		return PlanUsage{}, errPlanNotFound(in.UsagePlanID)
	}
	var pks []*planKey
	if in.KeyID != "" {
		pk := up.keys[in.KeyID]
		if pk == nil {
			p.mu.Unlock()
			return PlanUsage{}, ErrNotFound.Newf("Invalid API Key identifier specified: %s is not in usage plan %s", in.KeyID, in.UsagePlanID)
		}
		pks = append(pks, pk)
	} else {
		for _, pk := range up.keys {
			pks = append(pks, pk)
		}
	}
	p.mu.Unlock()
	out := PlanUsage{
		UsagePlanID: up.ID,
		StartDate:   dayTime(first).Format(time.DateOnly),
		EndDate:     dayTime(last).Format(time.DateOnly),
		Items:       make(map[string][][2]int64, len(pks)),
	}
	for _, pk := range pks {
		out.Items[pk.key.ID] = pk.report(first, last)
	}
	return out, nil
}

// report returns [used, remaining] for each day from first to last.
func (pk *planKey) report(first, last int64) [][2]int64 {
	q := pk.plan.Quota
	pk.mu.Lock()
	defer pk.mu.Unlock()
	rows := make([][2]int64, 0, last-first+1)
	for d := first; d <= last; d++ {
		used := pk.daily[d]
		var remaining int64
		if q.Limit > 0 {
			start := periodStart(dayTime(d), q.Period)
			var inPeriod int64
			for e := dayNumber(start); e <= d; e++ {
				inPeriod += pk.daily[e]
			}
			remaining = max(0, pk.limitFor(start)-inPeriod)
		}
		rows = append(rows, [2]int64{used, remaining})
	}
	return rows
}

// limitFor is the quota of the period starting at start: the limit, less
// the offset in the plan's initial period.
func (pk *planKey) limitFor(start time.Time) int64 {
	q := pk.plan.Quota
	limit := int64(q.Limit)
	if start.Equal(periodStart(pk.plan.CreatedDate, q.Period)) {
		limit -= int64(q.Offset)
	}
	return limit
}

// periodStart returns the start of the quota period holding t: UTC
// midnight, the Monday of its ISO week, or the 1st of its month.
func periodStart(t time.Time, period string) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch period {
	case QuotaWeek:
		back := (int(day.Weekday()) + 6) % 7 // days since Monday
		return day.AddDate(0, 0, -back)
	case QuotaMonth:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return day
}

// dayNumber is the number of UTC days since the Unix epoch.
func dayNumber(t time.Time) int64 {
	return t.Unix() / 86400
}

func dayTime(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }

// admit counts a request of the key at now against the plan: the per-key
// throttle, the per-route throttle of the stage, then the quota. It
// returns the gateway response when the request is refused.
func (pk *planKey) admit(c *call, now time.Time) *gwError {
	if !pk.bucket.take(now) {
		return c.errThrottled("API key " + pk.key.ID + " exceeded the throttle of usage plan " + pk.plan.ID +
			" (rate " + strconv.FormatFloat(pk.plan.Throttle.RateLimit, 'f', -1, 64) + ", burst " + strconv.Itoa(pk.plan.Throttle.BurstLimit) + ")")
	}
	routeKey := c.route.key.String()
	if b := pk.methodBucket(c.api.id, c.st.name, routeKey, now); !b.take(now) {
		return c.errThrottled("API key " + pk.key.ID + " exceeded the route " + routeKey + " throttle of usage plan " + pk.plan.ID)
	}
	q := pk.plan.Quota
	pk.mu.Lock()
	defer pk.mu.Unlock()
	if q.Limit > 0 {
		start := periodStart(now, q.Period)
		if !start.Equal(pk.periodStart) {
			pk.periodStart, pk.used = start, 0
		}
		if limit := pk.limitFor(start); pk.used >= limit {
			return &gwError{typ: ResponseQuotaExceeded, status: http.StatusTooManyRequests, message: "Limit Exceeded",
				reason: "API key " + pk.key.ID + " exhausted the quota of usage plan " + pk.plan.ID +
					" (limit " + strconv.FormatInt(limit, 10) + " per " + q.Period + ")"}
		}
		pk.used++
	}
	d := dayNumber(now)
	if _, ok := pk.daily[d]; !ok {
		for old := range pk.daily {
			if old <= d-usageRetentionDays {
				delete(pk.daily, old)
			}
		}
	}
	pk.daily[d]++
	return nil
}

// methodBucket returns the plan's throttle of one route of one stage, or
// nil if the plan sets none.
func (pk *planKey) methodBucket(apiID, stage, routeKey string, now time.Time) *bucket {
	for _, as := range pk.plan.APIStages {
		if as.APIID != apiID || as.Stage != stage {
			continue
		}
		t, ok := as.Throttle[routeKey]
		if !ok {
			t, ok = as.Throttle["*"]
		}
		if !ok || t.RateLimit <= 0 && t.BurstLimit <= 0 {
			return nil
		}
		k := apiID + " " + stage + " " + routeKey
		pk.mu.Lock()
		defer pk.mu.Unlock()
		if pk.methods == nil {
			pk.methods = map[string]*bucket{}
		}
		b := pk.methods[k]
		if b == nil {
			b = newBucket(t.RateLimit, t.BurstLimit, now)
			pk.methods[k] = b
		}
		return b
	}
	return nil
}

// checkAPIKey enforces a REST method's API key requirement: the key is
// read from the x-api-key header (APIKeySource HEADER) or from the Lambda
// authorizer's usageIdentifierKey (AUTHORIZER). A missing, unknown or
// disabled key, or one in no usage plan of this API stage, is refused
// with 403 {"message": "Forbidden"} (INVALID_API_KEY); past the plan's
// throttle the answer is 429 {"message": "Too Many Requests"}
// (THROTTLED), past its quota 429 {"message": "Limit Exceeded"}
// (QUOTA_EXCEEDED). An admitted request carries the key and its ID in
// the proxy event's identity.
func (c *call) checkAPIKey() *gwError {
	if !c.route.cfg.APIKeyRequired {
		return nil
	}
	var value string
	source := c.dep.cfg.APIKeySource
	if source == "AUTHORIZER" {
		if c.req.Authorizer != nil {
			value = c.req.Authorizer.UsageIdentifierKey
		}
	} else {
		value = c.r.Header.Get("X-Api-Key")
	}
	forbidden := func(reason string) *gwError {
		return &gwError{typ: ResponseInvalidAPIKey, status: http.StatusForbidden, message: "Forbidden", reason: reason}
	}
	if value == "" {
		if source == "AUTHORIZER" {
			return forbidden("the authorizer returned no usageIdentifierKey")
		}
		return forbidden("no x-api-key header")
	}
	p := &c.s.plans
	p.mu.Lock()
	k := p.byValue[value]
	if k == nil {
		p.mu.Unlock()
		return forbidden("unknown API key")
	}
	enabled, keyID := k.Enabled, k.ID
	pk := p.bindings[bindingKey{keyID, c.api.id, c.st.name}]
	p.mu.Unlock()
	if !enabled {
		return forbidden("API key " + keyID + " is disabled")
	}
	if pk == nil {
		return forbidden("API key " + keyID + " is in no usage plan of stage " + c.api.id + "/" + c.st.name)
	}
	c.req.APIKey, c.req.APIKeyID = value, keyID
	return pk.admit(c, c.start)
}
