package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/packytrace/packytrace/adapters/daemon/daemontest"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/api/passportclient"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/httpapi/oapigen"
	"github.com/packytrace/packytrace/services/passport-service/internal/config"
)

// start runs the real service (migrate, then serve) and returns it with the
// published client, whose responses are checked against the spec.
func start(t *testing.T) (*daemontest.Instance, *passportclient.ClientWithResponses) {
	t.Helper()
	in := daemontest.Start(t, daemontest.Service{
		Name:      config.Service,
		Schema:    postgres.Schema{Name: config.SchemaName, Role: config.RoleName},
		UsesKafka: true,
		Run:       run,
	})
	spec, err := oapigen.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	client, err := passportclient.NewClientWithResponses(in.URL+config.BasePath,
		passportclient.WithHTTPClient(daemontest.SpecClient(t, spec, in.URL)))
	if err != nil {
		t.Fatal(err)
	}
	return in, client
}

func TestService_ReportsStatusThroughPublishedClient(t *testing.T) {
	in, client := start(t)
	resp, err := client.GetStatusWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
	}
	st := daemontest.Status{Service: resp.JSON200.Service, Ready: resp.JSON200.Ready,
		SchemaVersion: resp.JSON200.SchemaVersion, Dependencies: map[string]bool{}}
	for _, d := range resp.JSON200.Dependencies {
		st.Dependencies[d.Name] = d.Up
	}
	daemontest.AssertStatus(t, in, st, config.Service, "postgres", "kafka", "identity-provider", "anchor-index")
}

func TestService_AnswersErrorsAsProblems(t *testing.T) {
	in, _ := start(t)
	daemontest.AssertProblems(t, in.URL, config.BasePath+"/status", config.BasePath+"/no-such-thing")
}

func TestRun_HandlesCommandLineAndConfiguration(t *testing.T) {
	t.Parallel()
	daemontest.AssertCommandLine(t, run, version)
}
