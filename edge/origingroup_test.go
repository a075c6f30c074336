package edge

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

func TestOriginGroup_FailsOverOnCriteriaAndTimeouts(t *testing.T) {
	s, c := newTestService(t, Options{})
	primaryStatus := http.StatusServiceUnavailable
	hang := make(chan struct{})
	primary := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hang" {
			<-hang
			return
		}
		w.WriteHeader(primaryStatus)
		io.WriteString(w, "primary")
	}}
	defer close(hang)
	secondary := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secondary host="+r.Host) }}
	out, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
		CallerReference: "og",
		Origins: []Origin{{Id: "p", DomainName: "primary.example.com", Handler: primary, ResponseTimeout: 2 * time.Second},
			{Id: "s", DomainName: "secondary.example.com", Handler: secondary}},
		OriginGroups:         []OriginGroup{{Id: "g", Members: []string{"p", "s"}, FailoverCriteria: []int{500, 503}}},
		DefaultCacheBehavior: CacheBehavior{TargetOriginId: "g", CachePolicy: CachingDisabled(), AllowedMethods: methodSets[2]},
	}})
	if err != nil {
		t.Fatal(err)
	}
	d := out.Distribution
	if w := get(d, "GET", "/a", nil); w.Body.String() != "secondary host=secondary.example.com" {
		t.Errorf("503 from primary: %q", w.Body.String())
	}
	if w := get(d, "POST", "/a", nil); w.Code != 503 {
		t.Errorf("POST does not fail over: %d", w.Code)
	}
	primaryStatus = http.StatusNotFound
	if w := get(d, "GET", "/a", nil); w.Code != 404 || w.Body.String() != "primary" {
		t.Errorf("404 is not in the criteria: %d %q", w.Code, w.Body.String())
	}
	done := make(chan string)
	go func() { done <- get(d, "GET", "/hang", nil).Body.String() }()
	c.BlockUntil(context.Background(), 1)
	c.Advance(2 * time.Second)
	if got := <-done; got != "secondary host=secondary.example.com" {
		t.Errorf("after the primary timed out: %q", got)
	}
	if m := d.Metrics(); m.OriginFailovers != 2 || m.OriginRequests != 6 {
		t.Errorf("failovers %d, origin requests %d", m.OriginFailovers, m.OriginRequests)
	}
}

func TestOriginGroup_Validation(t *testing.T) {
	s, _ := newTestService(t, Options{})
	o := []Origin{{Id: "a", Handler: staticOrigin("", "")}, {Id: "b", Handler: staticOrigin("", "")}}
	for i, g := range []OriginGroup{
		{Id: "g", Members: []string{"a"}, FailoverCriteria: []int{500}},
		{Id: "g", Members: []string{"a", "zz"}, FailoverCriteria: []int{500}},
		{Id: "g", Members: []string{"a", "b"}, FailoverCriteria: []int{501}},
		{Id: "a", Members: []string{"a", "b"}, FailoverCriteria: []int{500}},
	} {
		_, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
			CallerReference: string(rune('a' + i)), Origins: o, OriginGroups: []OriginGroup{g}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "a"}}})
		if !errors.Is(err, ErrInvalidArgument) && !errors.Is(err, ErrNoSuchOrigin) {
			t.Errorf("%+v: %v", g, err)
		}
	}
}
