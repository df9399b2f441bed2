package httpserver_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/httpserver"
)

func TestMaxBodyBytes_RefusesLargeBodies(t *testing.T) {
	t.Parallel()
	const limit = 16
	// The handler reads like a generated strict server does and hands the
	// error to the shared hook.
	h := httpserver.Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			httpserver.RequestErrorHandler(w, r, fmt.Errorf("can't decode JSON body: %w", err))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}), httpserver.MaxBodyBytes(limit))
	srv := serve(t, h)

	tests := []struct {
		name    string
		body    string
		chunked bool
		status  int
	}{
		{"small body passes", "0123456789", false, http.StatusNoContent},
		{"body at the limit passes", strings.Repeat("a", limit), false, http.StatusNoContent},
		{"declared large body is refused", strings.Repeat("a", limit+1), false, http.StatusRequestEntityTooLarge},
		{"chunked large body is refused while read", strings.Repeat("a", 10*limit), true, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var body io.Reader = strings.NewReader(tt.body)
			if tt.chunked {
				body = io.MultiReader(body) // hides the length: sent chunked
			}
			resp, raw := do(t, newRequest(t, http.MethodPost, srv.URL+"/upload", body))
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, raw)
			}
			if tt.status == http.StatusRequestEntityTooLarge {
				p := decodeProblem(t, resp, raw)
				if !strings.Contains(p.Detail, "16 bytes") {
					t.Fatalf("detail %q does not give the limit", p.Detail)
				}
			}
		})
	}
}

func TestIsBodyTooLarge(t *testing.T) {
	t.Parallel()
	wrapped := fmt.Errorf("read: %w", &http.MaxBytesError{Limit: 1})
	if !httpserver.IsBodyTooLarge(wrapped) {
		t.Fatal("wrapped MaxBytesError not recognised")
	}
	if httpserver.IsBodyTooLarge(errors.New("other")) || httpserver.IsBodyTooLarge(nil) {
		t.Fatal("other errors recognised")
	}
}
