package apigw

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// DomainNameConfig describes a custom domain name, as CreateDomainName
// takes it.
type DomainNameConfig struct {
	// DomainName is the host name clients use ("api.example.com";
	// required). A wildcard "*.example.com" is not modelled.
	DomainName string
	// EndpointType is EDGE (the default, as in AWS: a CloudFront
	// distribution in front) or REGIONAL. Private custom domain names are
	// not modelled.
	EndpointType EndpointType
	// CertificateArn is the ACM certificate for the name
	// ("arn:aws:acm:{region}:{account}:certificate/{id}"), the
	// certificateArn of an edge-optimized name or the
	// regionalCertificateArn of a regional one (required). An
	// edge-optimized name needs a certificate in us-east-1, where
	// CloudFront reads it; a regional one a certificate in the API's
	// Region; both in the service's account.
	CertificateArn string
}

// DomainName is a custom domain name: its configuration and the DNS
// record its owner must create so that clients reach API Gateway.
type DomainName struct {
	DomainName     string
	EndpointType   EndpointType
	CertificateArn string
	// DistributionDomainName is the CloudFront distribution of an
	// edge-optimized name ("d111111abcdef8.cloudfront.net").
	DistributionDomainName string
	// DistributionHostedZoneID is CloudFront's Route 53 hosted zone,
	// Z2FDTNDATAQYW2, for an alias record to the distribution.
	DistributionHostedZoneID string
	// RegionalDomainName is the target of a regional name
	// ("d-abcde12345.execute-api.us-east-1.amazonaws.com").
	RegionalDomainName string
	// DNSRecord is the record to create in the name's DNS zone.
	DNSRecord DNSRecord
	// CreatedDate is when the name was created.
	CreatedDate time.Time
}

// DNSRecord is a DNS record that points a custom domain name at API
// Gateway: a CNAME (or a Route 53 alias A record) from the name to the
// distribution or regional domain name.
type DNSRecord struct {
	// Name is the custom domain name.
	Name string
	// Type is "CNAME"; in Route 53 an alias A record to Value works too.
	Type string
	// Value is the target: DistributionDomainName or RegionalDomainName.
	Value string
}

// String formats the record as a zone file line.
func (r DNSRecord) String() string { return r.Name + ". CNAME " + r.Value + "." }

// BasePathMapping maps a base path of a custom domain name to an API's
// stage, as CreateBasePathMapping (or an HTTP API's API mapping) does.
type BasePathMapping struct {
	// DomainName is the custom domain name (required).
	DomainName string
	// BasePath is the path prefix clients use after the domain name:
	// "" or "(none)" for the root, "v1", or several segments
	// ("v1/orders"). Characters: letters, digits and $-_.+!*'().
	BasePath string
	// APIID is the API the base path reaches (required).
	APIID string
	// Stage is the stage the base path reaches. Empty means none: the
	// first path segment after the base path then names the stage, as on
	// the execute-api endpoint.
	Stage string
}

// cloudFrontHostedZoneID is the hosted zone of every CloudFront
// distribution, the target zone of alias records to one.
const cloudFrontHostedZoneID = "Z2FDTNDATAQYW2"

// domainStore holds the service's custom domain names; its zero value is
// empty and ready.
type domainStore struct {
	mu      sync.Mutex
	domains map[string]*customDomain // by lower-case name
}

type customDomain struct {
	info     DomainName
	mappings map[string]BasePathMapping // by base path, "" for the root
}

// CreateDomainName creates a custom domain name and reports the DNS record
// its owner must create.
//
// Errors: BadRequestException for a missing or malformed name, an
// unknown or PRIVATE endpoint type, a malformed certificate ARN, a
// certificate in the wrong Region ("Invalid certificate ARN: …
// Certificate must be in 'us-east-1'." for an edge-optimized name, the
// API's Region for a regional one) or in another account;
// ConflictException for a name that exists.
func (s *Service) CreateDomainName(cfg DomainNameConfig) (DomainName, error) {
	name := strings.ToLower(strings.TrimSuffix(cfg.DomainName, "."))
	if err := checkDomainName(name); err != nil {
		return DomainName{}, err
	}
	t := cfg.EndpointType
	if t == "" {
		t = EndpointEdge
	}
	switch t {
	case EndpointEdge:
		if edgeUnsupported(s.region) {
			return DomainName{}, ErrBadRequest.Newf("Endpoint Configuration type EDGE is not supported in this region: %s", s.region)
		}
	case EndpointRegional:
	case EndpointPrivate:
		return DomainName{}, ErrBadRequest.New("Private custom domain names are not supported by minicloud: use EDGE or REGIONAL")
	default:
		return DomainName{}, ErrBadRequest.Newf("Invalid endpoint type %q: use EDGE or REGIONAL", string(t))
	}
	if err := s.checkCertificate(cfg.CertificateArn, t); err != nil {
		return DomainName{}, err
	}
	s.domains.mu.Lock()
	defer s.domains.mu.Unlock()
	if s.domains.domains[name] != nil {
		return DomainName{}, ErrConflict.New("The domain name you provided already exists.")
	}
	d := DomainName{DomainName: name, EndpointType: t, CertificateArn: cfg.CertificateArn, CreatedDate: s.clock.Now()}
	s.mu.Lock()
	suffix := s.newIDLocked()
	s.mu.Unlock()
	if t == EndpointEdge {
		// CloudFront distribution domains are "d" and 13 characters.
		d.DistributionDomainName = "d" + suffix + suffix[:3] + ".cloudfront.net"
		d.DistributionHostedZoneID = cloudFrontHostedZoneID
		d.DNSRecord = DNSRecord{Name: name, Type: "CNAME", Value: d.DistributionDomainName}
	} else {
		d.RegionalDomainName = "d-" + suffix + ".execute-api." + s.region + ".amazonaws.com"
		d.DNSRecord = DNSRecord{Name: name, Type: "CNAME", Value: d.RegionalDomainName}
	}
	if s.domains.domains == nil {
		s.domains.domains = map[string]*customDomain{}
	}
	s.domains.domains[name] = &customDomain{info: d, mappings: map[string]BasePathMapping{}}
	return d, nil
}

// checkDomainName accepts a host name of dot-separated labels (letters,
// digits, hyphens; at least two labels, at most 253 characters).
func checkDomainName(name string) error {
	if name == "" {
		return ErrBadRequest.New("Invalid domain name: a domain name is required")
	}
	labels := strings.Split(name, ".")
	if len(name) > 253 || len(labels) < 2 {
		return ErrBadRequest.Newf("Invalid domain name %q", name)
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return ErrBadRequest.Newf("Invalid domain name %q", name)
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return ErrBadRequest.Newf("Invalid domain name %q", name)
			}
		}
	}
	return nil
}

// checkCertificate applies API Gateway's certificate rule: an ACM
// certificate of the service's account, in us-east-1 for an
// edge-optimized name (CloudFront reads it there) and in the service's
// Region for a regional one.
func (s *Service) checkCertificate(arn string, t EndpointType) error {
	if arn == "" {
		return ErrBadRequest.New("A certificate ARN is required for a custom domain name")
	}
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[0] != "arn" || !strings.HasPrefix(f[1], "aws") || f[2] != "acm" || f[3] == "" ||
		!strings.HasPrefix(f[5], "certificate/") || len(f[5]) == len("certificate/") {
		return ErrBadRequest.Newf("Invalid certificate ARN: %s", arn)
	}
	region, account := f[3], f[4]
	want := s.region
	if t == EndpointEdge {
		want = "us-east-1"
	}
	if region != want {
		return ErrBadRequest.Newf("Invalid certificate ARN: %s. Certificate must be in '%s'.", arn, want)
	}
	if account != s.accountID {
		return ErrBadRequest.New("Cross-account certificate references are not allowed.")
	}
	return nil
}

// GetDomainName returns a custom domain name. NotFoundException if there is
// none.
func (s *Service) GetDomainName(name string) (DomainName, error) {
	s.domains.mu.Lock()
	defer s.domains.mu.Unlock()
	d := s.domains.domains[strings.ToLower(name)]
	if d == nil {
		return DomainName{}, ErrNotFound.New("Invalid domain name identifier specified")
	}
	return d.info, nil
}

// DomainNames returns the custom domain names, sorted.
func (s *Service) DomainNames() []DomainName {
	s.domains.mu.Lock()
	defer s.domains.mu.Unlock()
	out := make([]DomainName, 0, len(s.domains.domains))
	for _, d := range s.domains.domains {
		out = append(out, d.info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].DomainName < out[j].DomainName })
	return out
}

// DeleteDomainName deletes a custom domain name and its base path
// mappings. NotFoundException if there is none.
func (s *Service) DeleteDomainName(name string) error {
	s.domains.mu.Lock()
	defer s.domains.mu.Unlock()
	name = strings.ToLower(name)
	if s.domains.domains[name] == nil {
		return ErrNotFound.New("Invalid domain name identifier specified")
	}
	delete(s.domains.domains, name)
	return nil
}

// normalizeBasePath turns "(none)" and "" into the root ("") and checks a
// base path's segments.
func normalizeBasePath(p string) (string, error) {
	if p == "(none)" || p == "" || p == "/" {
		return "", nil
	}
	p = strings.TrimPrefix(p, "/")
	for _, seg := range strings.Split(p, "/") {
		if seg == "" {
			return "", ErrBadRequest.Newf("Invalid base path %q: empty path segment", p)
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("$-_.+!*'()", c)) {
				return "", ErrBadRequest.Newf("Invalid base path %q: only a-zA-Z0-9$-_.+!*'() and / between segments are allowed", p)
			}
		}
	}
	return p, nil
}

// CreateBasePathMapping maps a base path of a custom domain name to an
// API and stage, and returns the mapping with its base path normalized
// ("(none)" becomes "").
//
// Errors: NotFoundException for an unknown domain name, API or stage
// ("Invalid domain name identifier specified", "Invalid REST API
// identifier specified", "Invalid stage identifier specified");
// BadRequestException for a malformed base path, an HTTP API on an
// edge-optimized name (AWS: only REST APIs can be attached to EDGE domain
// names) or a PRIVATE API; ConflictException for a base path in use, or
// for any mapping beside a root one ("Only one base path mapping is
// allowed if the base path is empty.").
func (s *Service) CreateBasePathMapping(m BasePathMapping) (BasePathMapping, error) {
	bp, err := normalizeBasePath(m.BasePath)
	if err != nil {
		return BasePathMapping{}, err
	}
	m.BasePath = bp
	m.DomainName = strings.ToLower(m.DomainName)
	a, ok := s.API(m.APIID)
	if !ok {
		return BasePathMapping{}, ErrNotFound.New("Invalid REST API identifier specified")
	}
	if m.Stage != "" && a.Stage(m.Stage) == nil {
		return BasePathMapping{}, ErrNotFound.New("Invalid stage identifier specified")
	}
	if a.EndpointType() == EndpointPrivate {
		return BasePathMapping{}, ErrBadRequest.New("A private API cannot be mapped to a public custom domain name")
	}
	s.domains.mu.Lock()
	defer s.domains.mu.Unlock()
	d := s.domains.domains[m.DomainName]
	if d == nil {
		return BasePathMapping{}, ErrNotFound.New("Invalid domain name identifier specified")
	}
	if a.Kind() == HTTP && d.info.EndpointType == EndpointEdge {
		return BasePathMapping{}, ErrBadRequest.New("Only REGIONAL domain names can be managed through the API Gateway V2 API. For EDGE domain names, please use the API Gateway V1 API. Also note that only REST APIs can be attached to EDGE domain names.")
	}
	if _, taken := d.mappings[bp]; taken {
		return BasePathMapping{}, ErrConflict.New("Base path already exists for this domain name")
	}
	if _, root := d.mappings[""]; root || bp == "" && len(d.mappings) > 0 {
		return BasePathMapping{}, ErrConflict.New("Only one base path mapping is allowed if the base path is empty.")
	}
	d.mappings[bp] = m
	return m, nil
}

// BasePathMappings returns a domain name's mappings sorted by base path.
// NotFoundException for an unknown domain name.
func (s *Service) BasePathMappings(domainName string) ([]BasePathMapping, error) {
	s.domains.mu.Lock()
	defer s.domains.mu.Unlock()
	d := s.domains.domains[strings.ToLower(domainName)]
	if d == nil {
		return nil, ErrNotFound.New("Invalid domain name identifier specified")
	}
	out := make([]BasePathMapping, 0, len(d.mappings))
	for _, m := range d.mappings {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BasePath < out[j].BasePath })
	return out, nil
}

// DeleteBasePathMapping removes a mapping ("" or "(none)" for the root).
// NotFoundException if the domain name or the base path has none.
func (s *Service) DeleteBasePathMapping(domainName, basePath string) error {
	bp, err := normalizeBasePath(basePath)
	if err != nil {
		return err
	}
	s.domains.mu.Lock()
	defer s.domains.mu.Unlock()
	d := s.domains.domains[strings.ToLower(domainName)]
	if d == nil {
		return ErrNotFound.New("Invalid domain name identifier specified")
	}
	if _, ok := d.mappings[bp]; !ok {
		return ErrNotFound.New("Invalid base path mapping identifier specified")
	}
	delete(d.mappings, bp)
	return nil
}
