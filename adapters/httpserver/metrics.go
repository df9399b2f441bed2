package httpserver

import (
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics holds the HTTP server metrics of one service: request count by
// method, route and status, latency by method and route, and requests in
// flight.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge

	// series caches the children of the vectors per label set: looking one
	// up through the vector allocates its label slice on every request.
	mu     sync.RWMutex
	series map[seriesKey]series
}

type seriesKey struct {
	method, route string
	status        int
}

type series struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

// NewMetrics creates the metrics of service and registers them with reg
// (nil: not registered). The service name is a constant label, so several
// services may share one registry. Registering the same service twice reuses
// the collectors already there; any other registration conflict is a
// programming error and panics.
func NewMetrics(reg prometheus.Registerer, service string) *Metrics {
	constLabels := prometheus.Labels{"service": service}
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name:        "packytrace_http_requests_total",
			Help:        "HTTP requests served, by method, route pattern and status code.",
			ConstLabels: constLabels,
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:        "packytrace_http_request_duration_seconds",
			Help:        "Time to serve an HTTP request, by method and route pattern.",
			ConstLabels: constLabels,
			Buckets:     prometheus.DefBuckets,
		}, []string{"method", "route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name:        "packytrace_http_requests_in_flight",
			Help:        "HTTP requests being served.",
			ConstLabels: constLabels,
		}),
		series: make(map[seriesKey]series),
	}
	if reg != nil {
		m.requests = register(reg, m.requests)
		m.duration = register(reg, m.duration)
		m.inFlight = register(reg, m.inFlight)
	}
	return m
}

// register registers c, or returns the equal collector registered before.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	err := reg.Register(c)
	if err == nil {
		return c
	}
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	panic("httpserver: registering metrics: " + err.Error())
}

// Middleware counts and times every request. The route label is the
// ServeMux pattern that served the request (see the package comment), or
// "unmatched"; never the raw path, whose ids would make a series per item.
func (m *Metrics) Middleware() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := wrap(w)
			m.inFlight.Inc()
			done := false
			defer func() {
				m.inFlight.Dec()
				status := rec.statusCode()
				if !done && !rec.started {
					status = http.StatusInternalServerError
				}
				s := m.seriesFor(methodLabel(r.Method), routeOf(r, rec), status)
				s.requests.Inc()
				s.duration.Observe(time.Since(rec.start).Seconds())
			}()
			next.ServeHTTP(rec, r)
			done = true
		})
	}
}

func (m *Metrics) seriesFor(method, route string, status int) series {
	key := seriesKey{method: method, route: route, status: status}
	m.mu.RLock()
	s, ok := m.series[key]
	m.mu.RUnlock()
	if ok {
		return s
	}
	s = series{
		requests: m.requests.WithLabelValues(method, route, statusLabel(status)),
		duration: m.duration.WithLabelValues(method, route),
	}
	m.mu.Lock()
	m.series[key] = s
	m.mu.Unlock()
	return s
}
