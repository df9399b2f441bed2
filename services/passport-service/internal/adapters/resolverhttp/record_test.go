package resolverhttp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/resolverhttp"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/scan"
)

// scanLog is a Recorder that keeps every scan.
type scanLog struct {
	mu    sync.Mutex
	scans []scan.Scan
}

func (l *scanLog) Record(s scan.Scan) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.scans = append(l.scans, s)
}

// bearerAccounts names the subject of "Bearer good-<subject>" and counts
// its calls.
type bearerAccounts struct {
	mu    sync.Mutex
	calls int
}

func (a *bearerAccounts) Subject(r *http.Request) (string, bool) {
	a.mu.Lock()
	a.calls++
	a.mu.Unlock()
	sub, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer good-")
	return sub, ok
}

const visitor = "AbCdEfGhIjKlMnOpQrStUv"

func TestPrincipalAccounts_SubjectOfTheVerifiedPrincipal(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/01/"+gtinA, nil)
	if sub, ok := (resolverhttp.PrincipalAccounts{}).Subject(req); ok || sub != "" {
		t.Fatalf("anonymous request: %q, %v", sub, ok)
	}
	req = req.WithContext(auth.WithPrincipal(req.Context(), auth.Principal{Subject: "user-9"}))
	if sub, ok := (resolverhttp.PrincipalAccounts{}).Subject(req); !ok || sub != "user-9" {
		t.Fatalf("authenticated request: %q, %v", sub, ok)
	}
}

func TestHandler_RecordsScansOfResolvedGets(t *testing.T) {
	t.Parallel()
	phone := "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
	tests := []struct {
		name, method, target string
		hdr                  map[string]string
		status               int
		want                 *scan.Scan // nil: nothing recorded
		wantQuals, wantAttrs int
	}{
		{
			name: "redirect to the default link", method: http.MethodGet, target: "/01/" + gtinA,
			hdr:    map[string]string{"User-Agent": phone, "Accept-Language": "fr-CH,fr;q=0.9", "Cookie": "a=b; pt_visitor=" + visitor + "; c=d"},
			status: http.StatusTemporaryRedirect,
			want: &scan.Scan{Key: "/01/" + gtinA, Outcome: scan.Redirect, LinkType: "gs1:defaultLink", Region: "CH",
				UserAgent: scan.ClassBrowserMobile, VisitorID: visitor},
		},
		{
			name: "trusted region header wins; qualifiers, attributes and an account", method: http.MethodGet,
			target: "/01/" + gtinA + "/10/LOT1?17=261231&linkType=gs1:pip",
			hdr: map[string]string{"CloudFront-Viewer-Country": "DE", "Accept-Language": "fr-CH", "User-Agent": "curl/8.5.0",
				"Authorization": "Bearer good-user-7", "Cookie": "pt_visitor=tooshort"},
			status: http.StatusTemporaryRedirect, wantQuals: 1, wantAttrs: 1,
			want: &scan.Scan{Key: "/01/" + gtinA + "/10/LOT1", Outcome: scan.Redirect, LinkType: "gs1:pip", Region: "DE",
				UserAgent: scan.ClassCLI, AccountID: "user-7"},
		},
		{
			name: "a region header that is no country falls back", method: http.MethodGet, target: "/01/" + gtinA + "?linkType=gs1:instructions",
			hdr:    map[string]string{"CloudFront-Viewer-Country": "EU", "Accept-Language": "it-IT", "Authorization": "Bearer bad"},
			status: http.StatusMultipleChoices,
			want:   &scan.Scan{Key: "/01/" + gtinA, Outcome: scan.Choices, LinkType: "gs1:instructions", Region: "IT"},
		},
		{
			name: "linkset", method: http.MethodGet, target: "/01/" + gtinA + "?linkType=linkset", status: http.StatusOK,
			want: &scan.Scan{Key: "/01/" + gtinA, Outcome: scan.Linkset, Region: scan.Unknown},
		},
		{
			name: "no anchor", method: http.MethodGet, target: "/01/" + gtinX, status: http.StatusNotFound,
			want: &scan.Scan{Key: "/01/" + gtinX, Outcome: scan.NotFound, Region: scan.Unknown},
		},
		{
			name: "compressed URI is recorded under its canonical key", method: http.MethodGet, target: "/ARFKk4XB0CDKWcnpq",
			status: http.StatusTemporaryRedirect, wantQuals: 1, wantAttrs: 0,
			want: &scan.Scan{Key: "/01/" + gtinB + "/10/LOT01", Outcome: scan.Redirect, LinkType: "gs1:defaultLink", Region: scan.Unknown},
		},
		{name: "HEAD is no scan", method: http.MethodHead, target: "/01/" + gtinA, status: http.StatusTemporaryRedirect},
		{name: "OPTIONS is no scan", method: http.MethodOptions, target: "/01/" + gtinA, status: http.StatusNoContent},
		{name: "a bad check digit is no scan", method: http.MethodGet, target: "/01/09506000134353", status: http.StatusBadRequest},
		{name: "a stem is no scan", method: http.MethodGet, target: "/414/9520123456788/01/" + gtinA, status: http.StatusBadRequest},
		{name: "not a Digital Link", method: http.MethodGet, target: "/favicon.ico", status: http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var log scanLog
			accounts := &bearerAccounts{}
			h := resolverhttp.NewHandler(fixture(), resolverhttp.Config{Root: root, Recorder: &log, Accounts: accounts,
				RegionHeader: "cloudfront-viewer-country"})
			req := httptest.NewRequestWithContext(context.Background(), tt.method, tt.target, nil)
			for k, v := range tt.hdr {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.want == nil {
				if len(log.scans) != 0 {
					t.Fatalf("recorded %+v, want nothing", log.scans)
				}
				return
			}
			if len(log.scans) != 1 {
				t.Fatalf("recorded %d scans, want 1", len(log.scans))
			}
			got := log.scans[0]
			w := tt.want
			if got.Key != w.Key || got.Outcome != w.Outcome || got.LinkType != w.LinkType || got.Region != w.Region ||
				got.UserAgent != w.UserAgent || got.VisitorID != w.VisitorID || got.AccountID != w.AccountID {
				t.Errorf("scan %+v,\nwant %+v", got, *w)
			}
			if got.At.IsZero() || len(got.Qualifiers()) != tt.wantQuals || len(got.Attributes()) != tt.wantAttrs {
				t.Errorf("scan at %v with qualifiers %v and attributes %v", got.At, got.Qualifiers(), got.Attributes())
			}
			if _, bearer := tt.hdr["Authorization"]; !bearer && accounts.calls != 0 {
				t.Error("Accounts asked about a request without an Authorization header")
			}
		})
	}
}
