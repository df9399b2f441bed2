package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/packytrace/packytrace/tools/internal/devoidc"
)

// banner prints where everything is and a copy-paste command per
// development user and client to get an access token.
func (s *stack) banner(issuer string, took time.Duration) {
	token := issuer + "/protocol/openid-connect/token"
	gw := "http://" + s.cfg.Gateway.Addr
	var b strings.Builder
	fmt.Fprintf(&b, "\nPackyTrace is running (ready in %s). Ctrl-C stops everything.\n\n", took.Round(100*time.Millisecond))
	fmt.Fprintf(&b, "  %-24s %s   status: %s/api/v1/gateway/status\n", "api-gateway", gw, gw)
	for _, svc := range s.cfg.Services {
		fmt.Fprintf(&b, "  %-24s http://%s   via gateway: %s/api/v1/%s/status\n", svc.Name, svc.Addr, gw, svc.Short)
	}
	fmt.Fprintf(&b, "  %-24s %s   (development only; Keycloak in production)\n", "OpenID provider", issuer)
	fmt.Fprintf(&b, "  %-24s %s\n", "Kafka (kfake)", s.cfg.KafkaAddr)
	fmt.Fprintf(&b, "  %-24s %s\n", "PostgreSQL", redact(s.adminURL))
	fmt.Fprintf(&b, "\nAccess tokens (%s):\n", devoidc.DevOnlyNotice)
	public := ""
	for _, c := range s.provider.Clients() {
		if c.Public {
			public = c.ClientID
		}
	}
	for _, u := range s.provider.Users() {
		fmt.Fprintf(&b, "  %-14s TOKEN=$(curl -s -d grant_type=password -d client_id=%s -d username=%s -d password=%s %s | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n",
			u.Username+":", public, u.Username, u.Password, token)
	}
	for _, c := range s.provider.Clients() {
		if c.Public {
			continue
		}
		fmt.Fprintf(&b, "  %-14s TOKEN=$(curl -s -u %s:%s -d grant_type=client_credentials %s | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n",
			c.ClientID+":", c.ClientID, c.Secret, token)
	}
	fmt.Fprintf(&b, "\nThen:  curl -s -H \"Authorization: Bearer $TOKEN\" %s/api/v1/identity/me\n", gw)
	fmt.Fprintf(&b, "\nResolver (demo data, GS1 example prefix 950600):\n")
	fmt.Fprintf(&b, "  a shopper's scan:  curl -si '%s/01/09506000134352/10/LOT2026A?17=271231'\n", gw)
	fmt.Fprintf(&b, "  its linkset:       curl -s -H 'Accept: application/linkset+json' %s/01/09506000134352/10/LOT2026A\n", gw)
	fmt.Fprintf(&b, "  description file:  curl -s %s/.well-known/gs1resolver\n", gw)
	fmt.Fprintf(&b, "\nPassport pages (open in a browser; a scan redirects there when the brand sets no other default):\n")
	fmt.Fprintf(&b, "  a scanned pesto:   %s/01/09506000134390/10/P2611/21/7731?17=261215\n", gw)
	fmt.Fprintf(&b, "  an imported OFF product (Open Food Facts, ODbL):  %s/01/04000539770708\n", gw)
	fmt.Fprintf(&b, "  the catalog API:   curl -s %s/api/v1/passport/products/09506000134390\n", gw)
	for _, line := range strings.Split(b.String(), "\n") {
		s.say("%s", line)
	}
}
