package httpserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/packytrace/packytrace/adapters/httpserver"
)

// counterValue finds the value of the requests counter with the given labels.
func counterValue(t *testing.T, reg *prometheus.Registry, labels map[string]string) (float64, bool) {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "packytrace_http_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			if hasLabels(m, labels) {
				return m.GetCounter().GetValue(), true
			}
		}
	}
	return 0, false
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	got := map[string]string{}
	for _, lp := range m.GetLabel() {
		got[lp.GetName()] = lp.GetValue()
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

func TestMetrics_LabelsByRoutePatternNotPath(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	metrics := httpserver.NewMetrics(reg, "fridge-service")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/fridge/items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	httpserver.Mount(mux, reg)
	srv := serve(t, httpserver.Chain(mux, httpserver.RequestID(), metrics.Middleware()))

	for _, id := range []string{"a1", "b2", "c3"} {
		if resp, _ := get(t, srv.URL+"/api/v1/fridge/items/"+id); resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	get(t, srv.URL+"/nope/12345")
	do(t, newRequest(t, "BREW", srv.URL+"/api/v1/fridge/items/a1", nil))

	tests := []struct {
		labels map[string]string
		want   float64
	}{
		{map[string]string{"service": "fridge-service", "method": "GET", "route": "/api/v1/fridge/items/{id}", "status": "200"}, 3},
		{map[string]string{"service": "fridge-service", "method": "GET", "route": "unmatched", "status": "404"}, 1},
		{map[string]string{"method": "OTHER", "status": "405"}, 1},
	}
	for _, tt := range tests {
		got, ok := counterValue(t, reg, tt.labels)
		if !ok || got != tt.want {
			t.Errorf("counter %v = %v (found %v), want %v", tt.labels, got, ok, tt.want)
		}
	}

	_, body := get(t, srv.URL+httpserver.MetricsPath)
	text := string(body)
	for _, want := range []string{
		`packytrace_http_request_duration_seconds_count{method="GET",route="/api/v1/fridge/items/{id}",service="fridge-service"} 3`,
		`packytrace_http_requests_in_flight{service="fridge-service"} 1`, // the scrape itself
	} {
		if !strings.Contains(text, want) {
			t.Errorf("exposition lacks %s:\n%s", want, text)
		}
	}
	for _, raw := range []string{"a1", "b2", "12345", "/nope", "BREW"} {
		if strings.Contains(text, raw) {
			t.Errorf("raw request data %q became a label:\n%s", raw, text)
		}
	}
}

func TestNewMetrics_SameServiceTwiceSharesCollectors(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	a := httpserver.NewMetrics(reg, "svc")
	b := httpserver.NewMetrics(reg, "svc")
	other := httpserver.NewMetrics(reg, "other-svc")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {})
	srv := serve(t, httpserver.Chain(mux, a.Middleware(), b.Middleware(), other.Middleware()))
	get(t, srv.URL+"/x")
	if got, _ := counterValue(t, reg, map[string]string{"service": "svc", "route": "/x"}); got != 2 {
		t.Fatalf("svc counter = %v, want 2 (both middlewares count into one series)", got)
	}
	if got, _ := counterValue(t, reg, map[string]string{"service": "other-svc", "route": "/x"}); got != 1 {
		t.Fatalf("other-svc counter = %v, want 1", got)
	}
}
