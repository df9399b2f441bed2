package proxy

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"

	"github.com/packytrace/packytrace/adapters/httpserver"
)

// ReadinessChecks returns one check per backend that asks the backend's
// /readyz through the proxy's own connection pool, sorted by backend name.
// The gateway reports them in its status; they are not the gateway's own
// readiness, since one backend down must not take the whole gateway out.
func (p *Proxy) ReadinessChecks() []httpserver.Check {
	client := &http.Client{Transport: p.transport}
	checks := make([]httpserver.Check, 0, len(p.targets))
	for backend, target := range p.targets {
		readyz := target.ResolveReference(&url.URL{Path: "/readyz"}).String()
		checks = append(checks, httpserver.Check{
			Name:  string(backend),
			Probe: func(ctx context.Context) error { return probe(ctx, client, readyz) },
		})
	}
	sort.Slice(checks, func(i, j int) bool { return checks[i].Name < checks[j].Name })
	return checks
}

func probe(ctx context.Context, client *http.Client, target string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", target, resp.Status)
	}
	return nil
}
