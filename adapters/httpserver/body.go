package httpserver

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/packytrace/packytrace/adapters/problem"
)

// MaxBodyBytes limits request bodies to n bytes. A body declared larger is
// refused with 413 before the handler runs; a body that turns out larger
// while it is read fails the read with *http.MaxBytesError, which
// IsBodyTooLarge recognises and the OpenAPI validator and the strict-server
// error hooks answer with 413.
func MaxBodyBytes(n int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				problem.Write(w, r, tooLargeProblem(n))
				return
			}
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
			notePattern(w, r)
		})
	}
}

// IsBodyTooLarge reports whether err comes from reading a body past the
// limit MaxBodyBytes set, so a handler can answer 413 rather than 400 or 500.
func IsBodyTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// bodyTooLarge answers 413 when err comes from a body past its limit and
// reports whether it did.
func bodyTooLarge(w http.ResponseWriter, r *http.Request, err error) bool {
	var mbe *http.MaxBytesError
	if !errors.As(err, &mbe) {
		return false
	}
	problem.Write(w, r, tooLargeProblem(mbe.Limit))
	return true
}

func tooLargeProblem(limit int64) problem.Problem {
	return problem.New(http.StatusRequestEntityTooLarge,
		fmt.Sprintf("The request body is larger than the limit of %d bytes.", limit))
}
