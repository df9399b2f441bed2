package httpserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/adapters/requestid"
)

func TestRequestID_ReusesOrReplacesInboundID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		inbound string
		reuse   bool
	}{
		{"valid id is reused", "req-42_a.b:c", true},
		{"missing id is made", "", false},
		{"id with spaces is replaced", "evil id", false},
		{"id too long is replaced", strings.Repeat("a", 129), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var ctxID, reqHeaderID string
			h := httpserver.Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ctxID = requestid.From(r.Context())
				reqHeaderID = r.Header.Get(requestid.Header)
			}), httpserver.RequestID())
			srv := serve(t, h)
			req := newRequest(t, http.MethodGet, srv.URL+"/x", nil)
			if tt.inbound != "" {
				req.Header.Set(requestid.Header, tt.inbound)
			}
			resp, _ := do(t, req)
			got := resp.Header.Get(requestid.Header)
			if !requestid.Valid(got) {
				t.Fatalf("response id %q is not valid", got)
			}
			if tt.reuse != (got == tt.inbound) {
				t.Fatalf("response id %q, inbound %q, want reuse=%v", got, tt.inbound, tt.reuse)
			}
			if ctxID != got || reqHeaderID != got {
				t.Fatalf("context id %q, request header id %q, response id %q: want all equal", ctxID, reqHeaderID, got)
			}
		})
	}
}

func TestRequestID_PropagatesIDsIntoLogLines(t *testing.T) {
	t.Parallel()
	logger, logs := newTestLogger()
	h := httpserver.Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "handler ran")
	}), httpserver.RequestID())
	srv := serve(t, h)
	req := newRequest(t, http.MethodGet, srv.URL+"/x", nil)
	req.Header.Set(requestid.Header, "req-1")
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	do(t, req)

	lines := logs.withMsg(t, "handler ran")
	if len(lines) != 1 {
		t.Fatalf("got %d handler lines: %s", len(lines), logs)
	}
	l := lines[0]
	if l["request_id"] != "req-1" || l["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736" || l["service"] != "test-service" {
		t.Fatalf("log line lacks ids or service: %v", l)
	}
}

func TestRequestID_IgnoresInvalidTraceparent(t *testing.T) {
	t.Parallel()
	var traceID string
	h := httpserver.Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		traceID = httpserver.TraceIDFrom(r.Context())
	}), httpserver.RequestID())
	srv := serve(t, h)
	req := newRequest(t, http.MethodGet, srv.URL+"/x", nil)
	req.Header.Set("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01")
	do(t, req)
	if traceID != "" {
		t.Fatalf("trace id %q taken from an all-zero traceparent", traceID)
	}
}

func TestParseTraceparent(t *testing.T) {
	t.Parallel()
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	tests := []struct {
		in string
		ok bool
	}{
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", true},
		{"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next", true},
		{"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true},
		{"", false},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", false},
		{"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", false},
		{"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false},
		{"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", false},
		{"00-00000000000000000000000000000000-00f067aa0ba902b7-01", false},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false},
		{"00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false},
		{"00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", false},
		{"0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0z", false},
	}
	for _, tt := range tests {
		got, ok := httpserver.ParseTraceparent(tt.in)
		if ok != tt.ok {
			t.Errorf("ParseTraceparent(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if ok && got != traceID {
			t.Errorf("ParseTraceparent(%q) = %q, want %q", tt.in, got, traceID)
		}
	}
}

func FuzzTraceparent(f *testing.F) {
	f.Add("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	f.Add("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		traceID, ok := httpserver.ParseTraceparent(in)
		if !ok {
			if traceID != "" {
				t.Fatalf("rejected %q but returned trace id %q", in, traceID)
			}
			return
		}
		// An accepted trace id is 32 lower-case hex digits, not all zero,
		// and taken from the header itself.
		if len(traceID) != 32 || strings.Trim(traceID, "0123456789abcdef") != "" ||
			strings.Trim(traceID, "0") == "" || !strings.Contains(in, traceID) {
			t.Fatalf("accepted %q with bad trace id %q", in, traceID)
		}
		if !requestid.Valid(traceID) {
			t.Fatalf("trace id %q is not safe to log", traceID)
		}
	})
}
