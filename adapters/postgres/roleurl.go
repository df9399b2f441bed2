package postgres

import (
	"fmt"
	"net/url"
)

// URLForRole returns adminURL with its user and password replaced by role and
// password: the same server and database, connected as a service role. It
// handles both URL forms libpq accepts: user in the authority
// (postgres://u@host/db) and user in the query (postgres:///db?host=/run&user=u).
func URLForRole(adminURL, role, password string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("not a postgres:// URL")
	}
	q := u.Query()
	if q.Has("user") {
		q.Set("user", role)
		if password != "" {
			q.Set("password", password)
		} else {
			q.Del("password")
		}
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	if password != "" {
		u.User = url.UserPassword(role, password)
	} else {
		u.User = url.User(role)
	}
	return u.String(), nil
}
