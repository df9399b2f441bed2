package httpserver_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/httpserver"
)

// sink is a writer that records every Write separately and signals each.
type sink struct {
	mu     sync.Mutex
	writes [][]byte
	wrote  chan struct{}
	err    error
}

func newSink() *sink { return &sink{wrote: make(chan struct{}, 1024)} }

func (s *sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	s.writes = append(s.writes, bytes.Clone(p))
	select {
	case s.wrote <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (s *sink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(bytes.Join(s.writes, nil))
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.writes)
}

func write(t *testing.T, b *httpserver.LogBuffer, s string) {
	t.Helper()
	if n, err := b.Write([]byte(s)); err != nil || n != len(s) {
		t.Fatalf("Write(%q) = %d, %v", s, n, err)
	}
}

func TestLogBuffer_HoldsLinesUntilTheInterval(t *testing.T) {
	t.Parallel()
	s := newSink()
	b := httpserver.NewLogBuffer(s, 1024, 20*time.Millisecond)
	defer b.Close()
	write(t, b, "one\n")
	write(t, b, "two\n")
	select {
	case <-s.wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("the buffer was not flushed after its interval")
	}
	if got := s.String(); got != "one\ntwo\n" {
		t.Fatalf("flushed %q, want both lines", got)
	}
	if s.count() != 1 {
		t.Fatalf("%d writes, want the two lines in one", s.count())
	}
	// The timer re-arms for the next line into the empty buffer.
	write(t, b, "three\n")
	select {
	case <-s.wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("the second batch was not flushed after the interval")
	}
	if got := s.String(); got != "one\ntwo\nthree\n" {
		t.Fatalf("flushed %q", got)
	}
}

func TestLogBuffer_FlushesWhenFull(t *testing.T) {
	t.Parallel()
	s := newSink()
	b := httpserver.NewLogBuffer(s, 16, time.Hour)
	defer b.Close()
	write(t, b, "aaaaaa\n") // 7 bytes
	write(t, b, "bbbbbb\n") // 14
	if s.count() != 0 {
		t.Fatalf("wrote %q before the buffer was full", s.String())
	}
	write(t, b, "cccccc\n") // would be 21 > 16: the first two go out
	if got := s.String(); got != "aaaaaa\nbbbbbb\n" {
		t.Fatalf("flushed %q, want the first two lines", got)
	}
	// A line as large as the buffer goes straight through, after what waits.
	long := strings.Repeat("x", 20) + "\n"
	write(t, b, long)
	if got := s.String(); got != "aaaaaa\nbbbbbb\ncccccc\n"+long {
		t.Fatalf("got %q", got)
	}
	if s.count() != 3 {
		t.Fatalf("%d writes, want 3", s.count())
	}
}

func TestLogBuffer_CloseFlushesAndPassesLaterWritesThrough(t *testing.T) {
	t.Parallel()
	s := newSink()
	b := httpserver.NewLogBuffer(s, 1024, time.Hour)
	write(t, b, "before\n")
	if s.count() != 0 {
		t.Fatal("wrote before Close")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if got := s.String(); got != "before\n" {
		t.Fatalf("Close flushed %q", got)
	}
	write(t, b, "after\n")
	if got := s.String(); got != "before\nafter\n" {
		t.Fatalf("a write after Close gave %q", got)
	}
}

func TestLogBuffer_FlushReportsWriteErrors(t *testing.T) {
	t.Parallel()
	s := newSink()
	b := httpserver.NewLogBuffer(s, 1024, time.Hour)
	defer b.Close()
	boom := errors.New("disk full")
	s.err = boom
	write(t, b, "line\n")
	if err := b.Flush(); !errors.Is(err, boom) {
		t.Fatalf("Flush = %v, want %v", err, boom)
	}
	// The error was reported once; the failed line is gone, as it would be
	// unbuffered.
	s.err = nil
	if err := b.Flush(); err != nil {
		t.Fatalf("second Flush = %v", err)
	}
	if s.count() != 0 {
		t.Fatalf("wrote %q", s.String())
	}
}

func TestLogBuffer_ConcurrentLoggersLoseAndInterleaveNothing(t *testing.T) {
	t.Parallel()
	s := newSink()
	// A small buffer and a short interval so that size flushes, timer
	// flushes and writes race each other.
	b := httpserver.NewLogBuffer(s, 512, time.Millisecond)
	logger := httpserver.NewLogger(b, slog.LevelInfo, "test-service")
	const goroutines, lines = 8, 300
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range lines {
				level := slog.LevelInfo
				if i%50 == 0 {
					level = slog.LevelError // flushes in the middle of the others
				}
				logger.Log(t.Context(), level, "line", slog.Int("g", g), slog.Int("i", i),
					slog.String("pad", strings.Repeat("p", i%40)))
			}
		})
	}
	wg.Wait()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]int)
	next := make([]int, goroutines) // each goroutine's lines stay in order
	for l := range strings.Lines(s.String()) {
		var rec struct {
			Msg  string `json:"msg"`
			G, I int
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil || rec.Msg != "line" {
			t.Fatalf("malformed line %q: %v", l, err)
		}
		seen[fmt.Sprint(rec.G, "/", rec.I)]++
		if rec.I != next[rec.G] {
			t.Fatalf("goroutine %d: line %d after line %d", rec.G, rec.I, next[rec.G]-1)
		}
		next[rec.G]++
	}
	if len(seen) != goroutines*lines {
		t.Fatalf("%d distinct lines, want %d", len(seen), goroutines*lines)
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("line %s written %d times", k, n)
		}
	}
}

func TestNewLogger_FlushesWarningsAndErrorsAtOnce(t *testing.T) {
	t.Parallel()
	s := newSink()
	b := httpserver.NewLogBuffer(s, 1<<16, time.Hour)
	defer b.Close()
	logger := httpserver.NewLogger(b, slog.LevelDebug, "test-service").With(slog.String("k", "v"))
	logger.Info("first")
	logger.Debug("second")
	if s.count() != 0 {
		t.Fatalf("info and debug lines written at once: %q", s.String())
	}
	logger.WithGroup("g").Warn("third")
	out := s.String()
	for _, msg := range []string{`"msg":"first"`, `"msg":"second"`, `"msg":"third"`} {
		if !strings.Contains(out, msg) {
			t.Fatalf("after a warning, %s missing from %q", msg, out)
		}
	}
	if strings.Index(out, "first") > strings.Index(out, "third") {
		t.Fatalf("lines out of order: %q", out)
	}
	logger.Info("fourth")
	logger.Error("fifth")
	if out := s.String(); !strings.Contains(out, `"msg":"fourth"`) || !strings.Contains(out, `"msg":"fifth"`) {
		t.Fatalf("an error did not flush: %q", out)
	}
}

// unbuffered hides that its writer is a LogBuffer, so NewLogger uses slog's
// JSON handler for every line, access log included.
type unbuffered struct{ w *httpserver.LogBuffer }

func (u unbuffered) Write(p []byte) (int, error) { return u.w.Write(p) }

var (
	timeField     = regexp.MustCompile(`"time":"[^"]*"`)
	durationField = regexp.MustCompile(`"duration_ms":[0-9.e+-]+`)
)

func TestAccessLog_LogBufferLinesMatchSlog(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("hello"))
	})
	mux.HandleFunc("GET /fail", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	lines := func(w io.Writer, lb *httpserver.LogBuffer, req func() *http.Request, withID bool) {
		logger := httpserver.NewLogger(w, slog.LevelInfo, "svc \"quoted\"")
		mws := []httpserver.Middleware{httpserver.AccessLog(logger)}
		if withID {
			mws = append([]httpserver.Middleware{httpserver.RequestID()}, mws...)
		}
		h := httpserver.Chain(mux, mws...)
		h.ServeHTTP(httptest.NewRecorder(), req())
		if err := lb.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name   string
		target string
		header map[string]string
		path   string // set on the URL after parsing, when not ""
		withID bool
	}{
		{name: "plain", target: "/items/42?secret=1", header: map[string]string{"X-Request-Id": "req-1"}, withID: true},
		{name: "server error", target: "/fail", withID: true},
		{name: "unmatched, no request id", target: "/nowhere"},
		{name: "trace id", target: "/items/7", withID: true,
			header: map[string]string{"Traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}},
		{name: "odd path", target: "/x", path: "/items/\"q\"\\\n\t\x01\xff\u2028<&>é", withID: true},
		{name: "odd method", target: "/items/1", header: map[string]string{"X-Method": "PÜT\""}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := func() *http.Request {
				r := httptest.NewRequest(http.MethodGet, tt.target, nil)
				for k, v := range tt.header {
					r.Header.Set(k, v)
				}
				if m := tt.header["X-Method"]; m != "" {
					r.Method = m
				}
				if tt.path != "" {
					r.URL.Path = tt.path
				}
				return r
			}
			fast, slow := newSink(), newSink()
			fastBuf := httpserver.NewLogBuffer(fast, 0, time.Hour)
			slowBuf := httpserver.NewLogBuffer(slow, 0, time.Hour)
			defer fastBuf.Close()
			defer slowBuf.Close()
			lines(fastBuf, fastBuf, req, tt.withID)
			lines(unbuffered{slowBuf}, slowBuf, req, tt.withID)
			mask := func(s string) string {
				s = timeField.ReplaceAllString(s, `"time":"T"`)
				return durationField.ReplaceAllString(s, `"duration_ms":0`)
			}
			got, want := fast.String(), slow.String()
			if want == "" || !strings.Contains(want, `"msg":"http request"`) {
				t.Fatalf("slog wrote no access line: %q", want)
			}
			if !tt.withID && mask(got) != mask(want) {
				t.Fatalf("LogBuffer line\n%s\nslog line\n%s", got, want)
			}
			if tt.withID {
				// Fresh request ids differ between the two runs unless sent.
				id := regexp.MustCompile(`"request_id":"[^"]*"`)
				if g, w := id.ReplaceAllString(mask(got), "ID"), id.ReplaceAllString(mask(want), "ID"); g != w {
					t.Fatalf("LogBuffer line\n%s\nslog line\n%s", got, want)
				}
			}
			if !timeField.MatchString(got) || !durationField.MatchString(got) {
				t.Fatalf("line lacks time or duration: %s", got)
			}
		})
	}
}
