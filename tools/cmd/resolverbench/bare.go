package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// serveBare is the baseline: a bare net/http server, no middleware, that
// answers GET /01/{gtin} for the first n bench GTINs with the same 307 and
// Location as the resolver, from a map filled at start.
func serveBare(ctx context.Context, addr string, n int) error {
	targets := make(map[string]string, n)
	for k := range n {
		g := gtin(k)
		targets["/01/"+g] = target(g)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loc, ok := targets[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header()["Location"] = []string{loc}
		w.WriteHeader(http.StatusTemporaryRedirect)
	})
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
