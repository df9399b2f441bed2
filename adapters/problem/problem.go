// Package problem writes RFC 9457 problem details (application/problem+json)
// and maps the fault kinds to HTTP status codes in one table.
package problem

import (
	"encoding/json"
	"net/http"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/requestid"
)

// ContentType is the media type of a problem document.
const ContentType = "application/problem+json"

// Problem is an RFC 9457 problem document with two extension members:
// request_id, to find the request in logs, and errors, the field details of a
// validation failure.
type Problem struct {
	Type      string             `json:"type"`
	Title     string             `json:"title"`
	Status    int                `json:"status"`
	Detail    string             `json:"detail,omitempty"`
	Instance  string             `json:"instance,omitempty"`
	RequestID string             `json:"request_id,omitempty"`
	Errors    []fault.FieldError `json:"errors,omitempty"`
}

// statusOf is the one table from error kind to HTTP status.
var statusOf = map[fault.Kind]int{
	fault.Internal:             http.StatusInternalServerError,
	fault.Invalid:              http.StatusBadRequest,
	fault.NotFound:             http.StatusNotFound,
	fault.Conflict:             http.StatusConflict,
	fault.Forbidden:            http.StatusForbidden,
	fault.Unauthenticated:      http.StatusUnauthorized,
	fault.Unavailable:          http.StatusServiceUnavailable,
	fault.PreconditionFailed:   http.StatusPreconditionFailed,
	fault.PreconditionRequired: http.StatusPreconditionRequired,
}

// Status gives the HTTP status for an error kind.
func Status(kind fault.Kind) int {
	if s, ok := statusOf[kind]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// New returns a problem of the given status with a detail for the client.
func New(status int, detail string) Problem {
	return Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// FromError turns an error into a problem. Classified errors keep their
// client-safe message and field details; anything else becomes a plain 500
// that reveals nothing of the cause.
func FromError(err error) Problem {
	kind := fault.KindOf(err)
	status := Status(kind)
	if status == http.StatusInternalServerError {
		return New(status, "The server could not complete the request. Quote the request id when reporting it.")
	}
	p := New(status, fault.MessageOf(err))
	p.Errors = fault.FieldsOf(err)
	return p
}

// Write sends p, filling the instance (the request path) and the request id
// when they are empty. A 401 also gets a Bearer challenge.
func Write(w http.ResponseWriter, r *http.Request, p Problem) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	if r != nil {
		if p.Instance == "" {
			p.Instance = r.URL.Path
		}
		if p.RequestID == "" {
			p.RequestID = requestid.From(r.Context())
		}
	}
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("Cache-Control", "no-store")
	h.Del("Content-Length")
	if p.Status == http.StatusUnauthorized && h.Get("WWW-Authenticate") == "" {
		h.Set("WWW-Authenticate", `Bearer realm="packytrace"`)
	}
	w.WriteHeader(p.Status)
	if r != nil && r.Method == http.MethodHead {
		return
	}
	_ = json.NewEncoder(w).Encode(p) // the status is already sent; a failed write has no one to tell.
}

// WriteError writes the problem for err.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	Write(w, r, FromError(err))
}
