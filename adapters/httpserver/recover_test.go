package httpserver_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/adapters/requestid"
)

func TestRecover_TurnsPanicIntoProblem(t *testing.T) {
	t.Parallel()
	logger, logs := newTestLogger()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom/{n}", func(w http.ResponseWriter, r *http.Request) {
		panic("secret: the database password is hunter2")
	})
	h := httpserver.Chain(mux, httpserver.RequestID(), httpserver.AccessLog(logger), httpserver.Recover(logger))
	srv := serve(t, h)

	resp, body := get(t, srv.URL+"/boom/1")
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d", resp.StatusCode)
	}
	p := decodeProblem(t, resp, body)
	if strings.Contains(string(body), "hunter2") || strings.Contains(string(body), "secret") {
		t.Fatalf("panic text reached the client: %s", body)
	}
	if p.RequestID == "" || p.RequestID != resp.Header.Get(requestid.Header) {
		t.Fatalf("problem request id %q, header %q", p.RequestID, resp.Header.Get(requestid.Header))
	}
	panics := logs.withMsg(t, "panic serving request")
	if len(panics) != 1 {
		t.Fatalf("want one panic line: %s", logs)
	}
	if stack, _ := panics[0]["stack"].(string); !strings.Contains(stack, "recover_test.go") {
		t.Fatalf("stack not logged: %v", panics[0])
	}
	if panics[0]["request_id"] != p.RequestID {
		t.Fatalf("panic line request id %v, want %q", panics[0]["request_id"], p.RequestID)
	}
	access := logs.withMsg(t, "http request")
	if len(access) != 1 || access[0]["status"] != float64(500) || access[0]["level"] != "ERROR" || access[0]["route"] != "/boom/{n}" {
		t.Fatalf("access log does not show the 500: %v", access)
	}
}

func TestRecover_PassesAbortHandlerOn(t *testing.T) {
	t.Parallel()
	logger, logs := newTestLogger()
	h := httpserver.Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler)
	}), httpserver.AccessLog(logger), httpserver.Recover(logger))
	srv := serve(t, h)
	_, err := http.Get(srv.URL + "/abort")
	if err == nil {
		t.Fatal("connection was not aborted")
	}
	if len(logs.withMsg(t, "panic serving request")) != 0 {
		t.Fatalf("ErrAbortHandler logged as a panic: %s", logs)
	}
	access := logs.withMsg(t, "http request")
	if len(access) != 1 || access[0]["aborted"] != true {
		t.Fatalf("aborted request not in access log: %v", access)
	}
}

func TestRecover_AbortsWhenResponseStarted(t *testing.T) {
	t.Parallel()
	logger, _ := newTestLogger()
	h := httpserver.Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("partial"))
		panic(errors.New("half way"))
	}), httpserver.Recover(logger))
	srv := serve(t, h)
	resp, err := http.Get(srv.URL + "/half")
	if err != nil {
		return // aborted before the header arrived: not a whole response either
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) || string(body) != "partial" {
		t.Fatalf("got %q, %v: want the partial body cut short", body, err)
	}
}
