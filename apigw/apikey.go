package apigw

import (
	"sort"
	"time"
)

// API key quotas of API Gateway ("Amazon API Gateway quotas" in the API
// Gateway Developer Guide).
const (
	// MinAPIKeyLength is the shortest API key value API Gateway accepts:
	// 20 characters.
	MinAPIKeyLength = 20
	// MaxAPIKeyLength is the longest: 128 characters.
	MaxAPIKeyLength = 128
	// MaxAPIKeys is the number of API keys per account and Region:
	// 10,000.
	MaxAPIKeys = 10_000
	// generatedAPIKeyLength is the length of a value API Gateway
	// generates: 40 characters.
	generatedAPIKeyLength = 40
)

// APIKeyConfig describes an API key at creation, as CreateApiKey takes
// it.
type APIKeyConfig struct {
	// Name names the key.
	Name string
	// Description is free text.
	Description string
	// Value is the key that clients send in the x-api-key header (or that
	// a Lambda authorizer returns as usageIdentifierKey): 20 to 128
	// characters. Empty means API Gateway generates a 40-character
	// alphanumeric value (from the service's seeded source).
	Value string
	// Enabled lets callers use the key. As in the CreateApiKey API (the
	// console ticks it for you), a key is created disabled unless
	// Enabled is set, and a disabled key is refused with 403
	// {"message": "Forbidden"}.
	Enabled bool
	// CustomerID is an AWS Marketplace customer identifier.
	CustomerID string
}

// APIKey is an API key as GetApiKey returns it (with includeValue).
type APIKey struct {
	ID              string
	Name            string
	Description     string
	Value           string
	Enabled         bool
	CustomerID      string
	CreatedDate     time.Time
	LastUpdatedDate time.Time
}

// apiKey is an API key as the service keeps it, with the usage plans it
// belongs to.
type apiKey struct {
	APIKey
	plans map[string]bool // usage plan IDs
}

// CreateAPIKey creates an API key. Errors: BadRequestException for a
// value outside 20–128 characters, ConflictException ("API Key already
// exists") for a value another key has, LimitExceededException past
// [MaxAPIKeys].
func (s *Service) CreateAPIKey(cfg APIKeyConfig) (APIKey, error) {
	if cfg.Value != "" && (len(cfg.Value) < MinAPIKeyLength || len(cfg.Value) > MaxAPIKeyLength) {
		return APIKey{}, ErrBadRequest.Newf("API Key value should be at least %d and at most %d characters long (got %d)", MinAPIKeyLength, MaxAPIKeyLength, len(cfg.Value))
	}
	now := s.clock.Now()
	s.mu.Lock()
	id := s.newIDLocked()
	value := cfg.Value
	if value == "" {
		value = s.newKeyValueLocked()
	}
	s.mu.Unlock()

	p := &s.plans
	p.mu.Lock()
	defer p.mu.Unlock()
	p.initLocked()
	if len(p.keys) >= MaxAPIKeys {
		return APIKey{}, ErrLimitExceeded.Newf("Too many API keys: the limit is %d per Region", MaxAPIKeys)
	}
	if p.byValue[value] != nil {
		return APIKey{}, ErrConflict.New("API Key already exists")
	}
	for p.keys[id] != nil {
		s.mu.Lock()
		id = s.newIDLocked()
		s.mu.Unlock()
	}
	k := &apiKey{
		APIKey: APIKey{
			ID: id, Name: cfg.Name, Description: cfg.Description, Value: value,
			Enabled: cfg.Enabled, CustomerID: cfg.CustomerID,
			CreatedDate: now, LastUpdatedDate: now,
		},
		plans: map[string]bool{},
	}
	p.keys[id] = k
	p.byValue[value] = k
	return k.APIKey, nil
}

// newKeyValueLocked returns a generated key value: 40 letters and
// digits. The caller holds s.mu.
func (s *Service) newKeyValueLocked() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, generatedAPIKeyLength)
	for i := range b {
		b[i] = alphabet[s.rnd.IntN(len(alphabet))]
	}
	return string(b)
}

// GetAPIKey returns the API key with the given ID, its value included.
// NotFoundException if there is none.
func (s *Service) GetAPIKey(id string) (APIKey, error) {
	p := &s.plans
	p.mu.Lock()
	defer p.mu.Unlock()
	k := p.keys[id]
	if k == nil {
		return APIKey{}, errKeyNotFound(id)
	}
	return k.APIKey, nil
}

// APIKeys returns every API key, ordered by name and then ID.
func (s *Service) APIKeys() []APIKey {
	p := &s.plans
	p.mu.Lock()
	out := make([]APIKey, 0, len(p.keys))
	for _, k := range p.keys {
		out = append(out, k.APIKey)
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

// SetAPIKeyEnabled enables or disables an API key (UpdateApiKey's
// /enabled patch). A disabled key is refused at once, in every usage plan.
// NotFoundException if there is no such key.
func (s *Service) SetAPIKeyEnabled(id string, enabled bool) error {
	now := s.clock.Now()
	p := &s.plans
	p.mu.Lock()
	defer p.mu.Unlock()
	k := p.keys[id]
	if k == nil {
		return errKeyNotFound(id)
	}
	k.Enabled = enabled
	k.LastUpdatedDate = now
	return nil
}

// DeleteAPIKey deletes an API key and removes it from its usage plans;
// requests that present it are refused from then on. NotFoundException if
// there is no such key.
func (s *Service) DeleteAPIKey(id string) error {
	p := &s.plans
	p.mu.Lock()
	defer p.mu.Unlock()
	k := p.keys[id]
	if k == nil {
		return errKeyNotFound(id)
	}
	for planID := range k.plans {
		if up := p.plans[planID]; up != nil {
			p.unbindLocked(up, k)
		}
	}
	delete(p.keys, id)
	delete(p.byValue, k.Value)
	return nil
}

func errKeyNotFound(id string) error {
	return ErrNotFound.Newf("Invalid API Key identifier specified: %s", id)
}
