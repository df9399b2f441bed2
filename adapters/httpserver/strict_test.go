package httpserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/httpserver"
)

// RequiredParamError and InvalidParamFormatError mirror the error types an
// oapi-codegen std-http server generates in each service's package.
type RequiredParamError struct{ ParamName string }

func (e *RequiredParamError) Error() string {
	return "Query argument " + e.ParamName + " is required, but not found"
}

type InvalidParamFormatError struct {
	ParamName string
	Err       error
}

func (e *InvalidParamFormatError) Error() string {
	return "Invalid format for parameter " + e.ParamName + ": " + e.Err.Error()
}
func (e *InvalidParamFormatError) Unwrap() error { return e.Err }

func TestRequestErrorHandler_MapsDecodeErrors(t *testing.T) {
	t.Parallel()
	var target struct {
		Name  string `json:"name"`
		Items []struct {
			Qty int `json:"qty"`
		} `json:"items"`
	}
	syntaxErr := json.Unmarshal([]byte(`{"name":`), &target)
	typeErr := json.Unmarshal([]byte(`{"items":[{"qty":"two"}]}`), &target)
	tests := []struct {
		name   string
		err    error
		status int
		field  string
		reason string
	}{
		{"syntax", fmt.Errorf("can't decode JSON body: %w", syntaxErr), 400, "body", "is not valid JSON"},
		{"type", fmt.Errorf("can't decode JSON body: %w", typeErr), 400, "/items/qty", "must be an integer"},
		{"empty body", fmt.Errorf("can't decode JSON body: %w", io.EOF), 400, "body", "is required"},
		{"missing parameter", &RequiredParamError{ParamName: "view"}, 400, "view", "is required"},
		{"bad parameter", &InvalidParamFormatError{ParamName: "limit", Err: errors.New(`strconv.ParseInt: parsing "x": invalid syntax`)}, 400, "limit", "has an invalid format"},
		{"too large", fmt.Errorf("can't decode JSON body: %w", &http.MaxBytesError{Limit: 10}), 413, "", ""},
		{"classified", fault.Validation("bad gtin", fault.FieldError{Field: "/gtin", Reason: "check digit"}), 400, "/gtin", "check digit"},
		{"unknown", errors.New("multipart: NextPart: internal goo"), 400, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				httpserver.RequestErrorHandler(w, r, tt.err)
			}))
			resp, raw := get(t, srv.URL+"/x")
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, raw)
			}
			p := decodeProblem(t, resp, raw)
			for _, leak := range []string{"strconv", "goo", "Go struct", "json:"} {
				if strings.Contains(string(raw), leak) {
					t.Fatalf("decoder internals %q reached the client: %s", leak, raw)
				}
			}
			if tt.field == "" {
				return
			}
			if len(p.Errors) != 1 || p.Errors[0].Field != tt.field || p.Errors[0].Reason != tt.reason {
				t.Fatalf("errors = %+v, want %s %s", p.Errors, tt.field, tt.reason)
			}
		})
	}
}

func TestResponseErrorHandler_MapsKindsAndLogsInternalOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     error
		status  int
		logMsg  string
		leakage string
	}{
		{"not found", fault.New(fault.NotFound, "no such item"), 404, "", ""},
		{"conflict", fault.New(fault.Conflict, "item exists"), 409, "", ""},
		{"unavailable", fault.Wrap(fault.Unavailable, errors.New("dial tcp 10.0.0.9:5432"), "try later"), 503, "dependency unavailable", "10.0.0.9"},
		{"internal", fmt.Errorf("insert item: %w", errors.New("pq: relation secret_items does not exist")), 500, "request failed", "secret_items"},
		{"body too large", &http.MaxBytesError{Limit: 5}, 413, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logger, logs := newTestLogger()
			h := httpserver.Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				httpserver.ResponseErrorHandler(logger)(w, r, tt.err)
			}), httpserver.RequestID())
			srv := serve(t, h)
			resp, raw := get(t, srv.URL+"/x")
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			p := decodeProblem(t, resp, raw)
			if tt.leakage != "" && strings.Contains(string(raw), tt.leakage) {
				t.Fatalf("internal text reached the client: %s", raw)
			}
			lines := logs.lines(t)
			if tt.logMsg == "" {
				if len(lines) != 0 {
					t.Fatalf("client error logged: %s", logs)
				}
				return
			}
			if len(lines) != 1 || lines[0]["msg"] != tt.logMsg || lines[0]["request_id"] != p.RequestID ||
				!strings.Contains(fmt.Sprint(lines[0]["error"]), tt.leakage) {
				t.Fatalf("want one %q line with the cause and request id %s: %s", tt.logMsg, p.RequestID, logs)
			}
		})
	}
}

func TestResponseErrorHandler_ClientGoneIsAWarning(t *testing.T) {
	t.Parallel()
	logger, logs := newTestLogger()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancel(r.Context())
		cancel()
		httpserver.ResponseErrorHandler(logger)(w, r.WithContext(ctx), fmt.Errorf("query: %w", ctx.Err()))
	})
	srv := serve(t, h)
	get(t, srv.URL+"/x")
	lines := logs.lines(t)
	if len(lines) != 1 || lines[0]["level"] != "WARN" {
		t.Fatalf("want one warning: %s", logs)
	}
}

func TestResponseErrorHandler_WritesNothingAfterResponseStarted(t *testing.T) {
	t.Parallel()
	logger, logs := newTestLogger()
	h := httpserver.Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"partial":`)
		httpserver.ResponseErrorHandler(logger)(w, r, errors.New("encoding response: broken pipe"))
	}), httpserver.AccessLog(logger))
	srv := serve(t, h)
	resp, raw := get(t, srv.URL+"/x")
	if resp.StatusCode != 200 || string(raw) != `{"partial":` {
		t.Fatalf("response changed after it started: %d %s", resp.StatusCode, raw)
	}
	if len(logs.withMsg(t, "request failed")) != 1 {
		t.Fatalf("failure not logged: %s", logs)
	}
}
