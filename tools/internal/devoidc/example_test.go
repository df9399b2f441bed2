package devoidc_test

import (
	"fmt"
	"strings"

	"github.com/packytrace/packytrace/tools/internal/devoidc"
)

// A `make run` launcher serves the handler on a loopback port and prints
// the DEV-ONLY logins with the notice.
func ExampleProvider_Users() {
	issuer := "http://127.0.0.1:8180/realms/packytrace"
	p, err := devoidc.New(devoidc.Config{Issuer: issuer, Mode: "dev"})
	if err != nil {
		fmt.Println(err)
		return
	}
	// http.ListenAndServe("127.0.0.1:8180", p.Handler()) in the launcher.
	fmt.Println(devoidc.DevOnlyNotice)
	for _, u := range p.Users() {
		fmt.Printf("%-13s %-22s curl -s %s%s -d grant_type=password -d client_id=packytrace-cli -d username=%s -d password=%s\n",
			u.Username, strings.Join(u.Roles, ","), issuer, devoidc.TokenPath, u.Username, u.Password)
	}
	for _, c := range p.Clients() {
		if !c.Public {
			fmt.Printf("%-13s %-22s curl -s %s%s -u %s:%s -d grant_type=client_credentials\n",
				c.ClientID, strings.Join(c.Roles, ","), issuer, devoidc.TokenPath, c.ClientID, c.Secret)
		}
	}
	// Output:
	// DEV-ONLY credentials, published in the source: never use them outside make run.
	// shopper       shopper                curl -s http://127.0.0.1:8180/realms/packytrace/protocol/openid-connect/token -d grant_type=password -d client_id=packytrace-cli -d username=shopper -d password=shopper
	// brand-owner   brand_owner            curl -s http://127.0.0.1:8180/realms/packytrace/protocol/openid-connect/token -d grant_type=password -d client_id=packytrace-cli -d username=brand-owner -d password=brand-owner
	// brand-analyst brand_analyst          curl -s http://127.0.0.1:8180/realms/packytrace/protocol/openid-connect/token -d grant_type=password -d client_id=packytrace-cli -d username=brand-analyst -d password=brand-analyst
	// admin         admin                  curl -s http://127.0.0.1:8180/realms/packytrace/protocol/openid-connect/token -d grant_type=password -d client_id=packytrace-cli -d username=admin -d password=admin
	// partner-app   partner                curl -s http://127.0.0.1:8180/realms/packytrace/protocol/openid-connect/token -u partner-app:partner-secret -d grant_type=client_credentials
}
