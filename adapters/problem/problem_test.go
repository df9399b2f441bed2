package problem_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/problem"
	"github.com/packytrace/packytrace/adapters/requestid"
)

func TestWriteError_MapsKindsToStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err    error
		status int
	}{
		{fault.New(fault.Invalid, "bad"), 400},
		{fault.New(fault.Unauthenticated, "no token"), 401},
		{fault.New(fault.Forbidden, "not yours"), 403},
		{fault.New(fault.NotFound, "none"), 404},
		{fault.New(fault.Conflict, "exists"), 409},
		{fault.New(fault.PreconditionFailed, "stale"), 412},
		{fault.New(fault.PreconditionRequired, "If-Match"), 428},
		{fault.New(fault.Unavailable, "later"), 503},
		{errors.New("boom"), 500},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "/x", nil)
			problem.WriteError(rec, req, tt.err)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d", rec.Code, tt.status)
			}
			if ct := rec.Header().Get("Content-Type"); ct != problem.ContentType {
				t.Fatalf("content type %q", ct)
			}
		})
	}
}

func TestWriteError_HidesInternalText(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/items/1", nil)
	req = req.WithContext(requestid.With(req.Context(), "req-7"))
	problem.WriteError(rec, req, errors.New("pq: relation secret_table does not exist"))
	body := rec.Body.String()
	if strings.Contains(body, "secret_table") {
		t.Fatalf("internal text leaked: %s", body)
	}
	var p problem.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != 500 || p.RequestID != "req-7" || p.Instance != "/items/1" || p.Type != "about:blank" {
		t.Fatalf("problem = %+v", p)
	}
}

func TestWriteError_CarriesFieldErrors(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	problem.WriteError(rec, httptest.NewRequest(http.MethodPost, "/p", nil),
		fault.Validation("invalid product", fault.FieldError{Field: "/gtin", Reason: "wrong check digit"}))
	var p problem.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Detail != "invalid product" || len(p.Errors) != 1 || p.Errors[0].Field != "/gtin" {
		t.Fatalf("problem = %+v", p)
	}
}

func TestWrite_UnauthorizedHasChallenge(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	problem.Write(rec, httptest.NewRequest(http.MethodGet, "/", nil), problem.New(401, "bad token"))
	if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("missing challenge: %v", rec.Header())
	}
}
