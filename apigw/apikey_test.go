package apigw

import (
	"errors"
	"strings"
	"testing"
)

func TestCreateAPIKey_ChecksTheValue(t *testing.T) {
	s, _ := newTestService(t)
	cases := []struct {
		name  string
		value string
		want  error
	}{
		{"19 characters is too short", strings.Repeat("a", 19), ErrBadRequest},
		{"20 characters is the minimum", strings.Repeat("b", 20), nil},
		{"128 characters is the maximum", strings.Repeat("c", 128), nil},
		{"129 characters is too long", strings.Repeat("d", 129), ErrBadRequest},
		{"a value in use conflicts", strings.Repeat("b", 20), ErrConflict},
	}
	for _, tc := range cases {
		k, err := s.CreateAPIKey(APIKeyConfig{Name: tc.name, Value: tc.value})
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			} else if k.Value != tc.value {
				t.Errorf("%s: value %q", tc.name, k.Value)
			}
			continue
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestCreateAPIKey_GeneratesAFortyCharacterValue(t *testing.T) {
	s, _ := newTestService(t)
	a, err := s.CreateAPIKey(APIKeyConfig{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.CreateAPIKey(APIKeyConfig{Name: "b"})
	if len(a.Value) != 40 || len(b.Value) != 40 || a.Value == b.Value {
		t.Fatalf("generated values %q and %q", a.Value, b.Value)
	}
	for _, r := range a.Value {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			t.Fatalf("generated value %q has %q", a.Value, r)
		}
	}
	if a.Enabled {
		t.Error("a key is created disabled unless Enabled is set, as CreateApiKey does")
	}
	if len(a.ID) != 10 || a.ID == b.ID {
		t.Errorf("IDs %q %q", a.ID, b.ID)
	}
	// Same seed, same keys: runs on a manual clock are reproducible.
	s2, _ := newTestService(t)
	a2, _ := s2.CreateAPIKey(APIKeyConfig{Name: "a"})
	if a2.Value != a.Value || a2.ID != a.ID {
		t.Errorf("same seed gave %q/%q, then %q/%q", a.ID, a.Value, a2.ID, a2.Value)
	}
}

func TestAPIKeys_GetListEnableDelete(t *testing.T) {
	s, clk := newTestService(t)
	b, _ := s.CreateAPIKey(APIKeyConfig{Name: "b", Enabled: true})
	a, _ := s.CreateAPIKey(APIKeyConfig{Name: "a", Description: "first", CustomerID: "cust"})
	got, err := s.GetAPIKey(a.ID)
	if err != nil || got != a {
		t.Fatalf("GetAPIKey = %+v, %v; want %+v", got, err, a)
	}
	if list := s.APIKeys(); len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
		t.Fatalf("APIKeys = %+v", list)
	}
	clk.Advance(1)
	if err := s.SetAPIKeyEnabled(a.ID, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetAPIKey(a.ID); !got.Enabled || !got.LastUpdatedDate.After(got.CreatedDate) {
		t.Errorf("after enabling: %+v", got)
	}
	if err := s.DeleteAPIKey(a.ID); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		func() error { _, err := s.GetAPIKey(a.ID); return err }(),
		s.DeleteAPIKey(a.ID),
		s.SetAPIKeyEnabled(a.ID, false),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: %v, want NotFoundException", err)
		}
	}
	// The deleted key's value is free again.
	if _, err := s.CreateAPIKey(APIKeyConfig{Value: a.Value}); err != nil {
		t.Errorf("reusing a deleted key's value: %v", err)
	}
}
