package httpserver

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/problem"
)

// ValidatorOptions configures OpenAPIValidator.
type ValidatorOptions struct {
	// Authenticate is called for operations with security requirements, once
	// per security scheme of a requirement. An authentication middleware in
	// front of the validator has already checked the credentials; this says
	// whether the principal it left in the context satisfies the scheme and
	// scopes. Return a fault.Unauthenticated error when there is no
	// principal (401) and a fault.Forbidden one when a scope is missing
	// (403); their messages reach the client.
	Authenticate func(ctx context.Context, in *openapi3filter.AuthenticationInput) error
	// ExcludePaths are passed through without validation: exact paths, or
	// prefixes when they end in "/". HealthzPath, ReadyzPath and MetricsPath
	// are always excluded.
	ExcludePaths []string
}

// maxFieldErrors bounds the field details of one problem document.
const maxFieldErrors = 20

// OpenAPIValidator returns a middleware that checks every request against
// spec before it reaches a handler: route, path, query and header
// parameters, request body, and security requirements. Failures become
// problem documents: 400 with the field details kin-openapi gives (parameter
// name or body JSON pointer and the reason), 404 for a path the spec does not
// have, 405 with an Allow header for a method it does not have, 401 or 403
// when Authenticate refuses, 413 for a body past MaxBodyBytes and 415 for a
// content type the operation does not take.
//
// The spec's servers are reduced to their paths, so a service mounted under
// its base path (servers: [{url: /api/v1/fridge}], or an absolute URL whose
// path is that) matches on path alone, whatever host and scheme the request
// came with. The caller's spec is not modified. Path-level servers are not
// supported. An invalid spec, or one with security requirements but no
// Authenticate, is an error here rather than a failure on every request.
func OpenAPIValidator(spec *openapi3.T, opts ValidatorOptions) (Middleware, error) {
	if spec == nil {
		return nil, errors.New("httpserver: OpenAPIValidator: nil spec")
	}
	doc := *spec // shallow: only the servers are replaced
	servers, err := relativeServers(spec.Servers)
	if err != nil {
		return nil, fmt.Errorf("httpserver: OpenAPIValidator: %w", err)
	}
	doc.Servers = servers
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("httpserver: OpenAPIValidator: invalid spec: %w", err)
	}
	if doc.Paths != nil {
		for path, item := range doc.Paths.Map() {
			if len(item.Servers) > 0 {
				return nil, fmt.Errorf("httpserver: OpenAPIValidator: path %s: path-level servers are not supported", path)
			}
		}
	}
	if opts.Authenticate == nil && hasSecurity(&doc) {
		return nil, errors.New("httpserver: OpenAPIValidator: the spec has security requirements but ValidatorOptions.Authenticate is nil")
	}
	router, err := gorillamux.NewRouter(&doc)
	if err != nil {
		return nil, fmt.Errorf("httpserver: OpenAPIValidator: building router: %w", err)
	}
	v := &validator{
		router: router,
		filter: openapi3filter.Options{
			MultiError: true,
			// The oapi-codegen runtime binds the value the validator
			// decoded instead of decoding the body a second time.
			KeepValidatedValue: true,
		},
		exact: map[string]bool{HealthzPath: true, ReadyzPath: true, MetricsPath: true},
	}
	if opts.Authenticate != nil {
		v.filter.AuthenticationFunc = opts.Authenticate
	}
	for _, p := range opts.ExcludePaths {
		if strings.HasSuffix(p, "/") {
			v.prefixes = append(v.prefixes, p)
		} else {
			v.exact[p] = true
		}
	}
	return v.middleware, nil
}

type validator struct {
	router   routers.Router
	filter   openapi3filter.Options
	exact    map[string]bool
	prefixes []string
}

func (v *validator) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v.excluded(r.URL.Path) {
			next.ServeHTTP(w, r)
			notePattern(w, r)
			return
		}
		route, params, err := v.findRoute(r)
		if err != nil {
			v.writeRouteError(w, r, err)
			return
		}
		input := &openapi3filter.RequestValidationInput{
			Request:    r,
			PathParams: params,
			Route:      route,
			Options:    &v.filter,
		}
		if streamsBody(route, r) {
			opts := v.filter
			opts.ExcludeRequestBody = true
			input.Options = &opts
		}
		if err := openapi3filter.ValidateRequest(r.Context(), input); err != nil {
			// The mux never sees a refused request; label it with the route
			// the spec matched, which has the mux pattern's shape.
			noteRoute(w, serverBase(route.Server)+route.Path)
			writeValidationError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
		notePattern(w, r)
	})
}

// streamsBody reports whether the operation takes r's content type as a
// binary string (schema type string, format binary, e.g. a bulk import in
// JSON lines): such bodies are streamed to the handler, which parses them,
// instead of being read into memory and decoded by the validator. The
// content type itself and everything but the body are still checked.
func streamsBody(route *routers.Route, r *http.Request) bool {
	op := route.Operation
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return false
	}
	c := op.RequestBody.Value.Content.Get(mt)
	if c == nil || c.Schema == nil || c.Schema.Value == nil {
		return false
	}
	return c.Schema.Value.Type.Is(openapi3.TypeString) && c.Schema.Value.Format == "binary"
}

func (v *validator) excluded(path string) bool {
	if v.exact[path] {
		return true
	}
	for _, p := range v.prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// findRoute matches r, serving HEAD with the GET operation when the spec has
// no HEAD of its own, as net/http does.
func (v *validator) findRoute(r *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := v.router.FindRoute(r)
	if err != nil && r.Method == http.MethodHead && errors.Is(err, routers.ErrMethodNotAllowed) {
		get := *r
		get.Method = http.MethodGet
		return v.router.FindRoute(&get)
	}
	return route, params, err
}

func (v *validator) writeRouteError(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, routers.ErrMethodNotAllowed) {
		problem.Write(w, r, problem.New(http.StatusNotFound, "No operation of this API matches the path."))
		return
	}
	allowed := v.allowedMethods(r)
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	problem.Write(w, r, problem.New(http.StatusMethodNotAllowed,
		fmt.Sprintf("Method %s is not allowed on this path; allowed: %s.", r.Method, strings.Join(allowed, ", "))))
}

var candidateMethods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions, http.MethodTrace,
}

// allowedMethods lists the methods the spec has for r's path. It matches
// the path once per method, which is fine for a path already refused.
func (v *validator) allowedMethods(r *http.Request) []string {
	var out []string
	for _, m := range candidateMethods {
		c := *r
		c.Method = m
		if _, _, err := v.findRoute(&c); err == nil {
			out = append(out, m)
		}
	}
	return out
}

// relativeServers keeps the path of each server, with variables at their
// defaults, so routing does not depend on the Host header.
func relativeServers(in openapi3.Servers) (openapi3.Servers, error) {
	var out openapi3.Servers
	seen := make(map[string]bool, len(in))
	for _, s := range in {
		base, err := s.BasePath()
		if err != nil {
			return nil, fmt.Errorf("server %q: %w", s.URL, err)
		}
		if base = strings.TrimRight(base, "/"); base == "" {
			base = "/"
		}
		if seen[base] {
			continue
		}
		seen[base] = true
		out = append(out, &openapi3.Server{URL: base})
	}
	return out, nil
}

func serverBase(s *openapi3.Server) string {
	if s == nil {
		return ""
	}
	return strings.TrimRight(s.URL, "/")
}

func hasSecurity(doc *openapi3.T) bool {
	if len(doc.Security) > 0 {
		return true
	}
	if doc.Paths == nil {
		return false
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.Security != nil && len(*op.Security) > 0 {
				return true
			}
		}
	}
	return false
}

// writeValidationError answers a request openapi3filter refused.
func writeValidationError(w http.ResponseWriter, r *http.Request, err error) {
	if bodyTooLarge(w, r, err) {
		return
	}
	var sre *openapi3filter.SecurityRequirementsError
	if errors.As(err, &sre) {
		problem.Write(w, r, securityProblem(sre))
		return
	}
	if p, ok := unsupportedMediaType(err); ok {
		problem.Write(w, r, p)
		return
	}
	fields := fieldErrors(err, nil)
	if len(fields) > maxFieldErrors {
		fields = fields[:maxFieldErrors]
	}
	p := problem.New(http.StatusBadRequest, validationDetail(fields))
	p.Errors = fields
	problem.Write(w, r, p)
}

// securityProblem is 403 when Authenticate found a principal without the
// scopes, 401 otherwise; the message of the error Authenticate returned is
// the detail.
func securityProblem(sre *openapi3filter.SecurityRequirementsError) problem.Problem {
	status, detail := http.StatusUnauthorized, ""
	for _, e := range sre.Errors {
		switch fault.KindOf(e) {
		case fault.Forbidden:
			if status != http.StatusForbidden {
				status, detail = http.StatusForbidden, fault.MessageOf(e)
			}
		case fault.Unauthenticated:
			if detail == "" {
				detail = fault.MessageOf(e)
			}
		}
	}
	if detail == "" {
		if status == http.StatusForbidden {
			detail = "The credentials do not grant access to this operation."
		} else {
			detail = "This operation requires authentication."
		}
	}
	return problem.New(status, detail)
}

const prefixInvalidContentType = "header Content-Type has unexpected value"

func unsupportedMediaType(err error) (problem.Problem, bool) {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) || re.RequestBody == nil || !strings.HasPrefix(re.Reason, prefixInvalidContentType) {
		return problem.Problem{}, false
	}
	accepted := slices.Sorted(maps.Keys(re.RequestBody.Content))
	return problem.New(http.StatusUnsupportedMediaType,
		"The request body must be sent as "+strings.Join(accepted, " or ")+"."), true
}

// fieldErrors flattens what openapi3filter found into field details: a
// parameter by its name, a body member by its JSON pointer, the whole body
// as "body". Reasons come from kin-openapi's schema errors, which never
// quote the offending value.
func fieldErrors(err error, out []fault.FieldError) []fault.FieldError {
	switch e := err.(type) { //nolint:errorlint // walks the error tree itself, a level at a time
	case openapi3.MultiError:
		for _, x := range e {
			out = fieldErrors(x, out)
		}
		return out
	case *openapi3filter.RequestError:
		return requestFieldErrors(e, out)
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		for _, x := range u.Unwrap() {
			out = fieldErrors(x, out)
		}
		return out
	}
	if inner := errors.Unwrap(err); inner != nil {
		return fieldErrors(inner, out)
	}
	return append(out, fault.FieldError{Field: "request", Reason: "is invalid"})
}

func requestFieldErrors(e *openapi3filter.RequestError, out []fault.FieldError) []fault.FieldError {
	switch {
	case e.Parameter != nil:
		name := e.Parameter.Name
		switch {
		case errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
			return append(out, fault.FieldError{Field: name, Reason: "is required"})
		case errors.Is(e.Err, openapi3filter.ErrInvalidEmptyValue):
			return append(out, fault.FieldError{Field: name, Reason: "must not be empty"})
		}
		if schemaErrs := schemaErrors(e.Err, nil); len(schemaErrs) > 0 {
			for _, se := range schemaErrs {
				field := name
				if ptr := jsonPointer(se.JSONPointer()); ptr != "" {
					field += ptr
				}
				out = append(out, fault.FieldError{Field: field, Reason: schemaReason(se)})
			}
			return out
		}
		var pe *openapi3filter.ParseError
		if errors.As(e.Err, &pe) && pe.Reason != "" {
			return append(out, fault.FieldError{Field: name, Reason: "cannot be parsed: " + pe.Reason})
		}
		return append(out, fault.FieldError{Field: name, Reason: "is invalid"})
	case e.RequestBody != nil:
		if errors.Is(e.Err, openapi3filter.ErrInvalidRequired) {
			return append(out, fault.FieldError{Field: "body", Reason: "request body is required"})
		}
		if schemaErrs := schemaErrors(e.Err, nil); len(schemaErrs) > 0 {
			for _, se := range schemaErrs {
				field := jsonPointer(schemaPath(se))
				if field == "" {
					field = "body"
				}
				out = append(out, fault.FieldError{Field: field, Reason: schemaReason(se)})
			}
			return out
		}
		return append(out, fault.FieldError{Field: "body", Reason: "request body cannot be decoded as its content type"})
	}
	if e.Reason != "" {
		return append(out, fault.FieldError{Field: "request", Reason: e.Reason})
	}
	return append(out, fault.FieldError{Field: "request", Reason: "is invalid"})
}

// schemaErrors collects the outermost schema errors in err; the causes
// inside a oneOf or anyOf error are left to its reason.
func schemaErrors(err error, out []*openapi3.SchemaError) []*openapi3.SchemaError {
	switch e := err.(type) { //nolint:errorlint // walks the error tree itself, a level at a time
	case nil:
	case *openapi3.SchemaError:
		out = append(out, e)
	case openapi3.MultiError:
		for _, x := range e {
			out = schemaErrors(x, out)
		}
	case interface{ Unwrap() []error }:
		for _, x := range e.Unwrap() {
			out = schemaErrors(x, out)
		}
	case interface{ Unwrap() error }:
		out = schemaErrors(e.Unwrap(), out)
	}
	return out
}

// schemaPath is where se is in the value. kin-openapi reports a property
// that additionalProperties forbids at its parent object; the property is the
// better place.
func schemaPath(se *openapi3.SchemaError) []string {
	path := se.JSONPointer()
	if se.SchemaField != "properties" {
		return path
	}
	rest, ok := strings.CutPrefix(se.Reason, "property ")
	if !ok || !strings.HasSuffix(rest, " is unsupported") {
		return path
	}
	if quoted, err := strconv.QuotedPrefix(rest); err == nil {
		if name, err := strconv.Unquote(quoted); err == nil {
			path = append(path, name)
		}
	}
	return path
}

func schemaReason(se *openapi3.SchemaError) string {
	if se.Reason != "" {
		return se.Reason
	}
	if se.SchemaField != "" {
		return "does not match the schema's " + strconv.Quote(se.SchemaField)
	}
	return "does not match the schema"
}

// jsonPointer renders path as an RFC 6901 pointer; "" for the root.
func jsonPointer(path []string) string {
	if len(path) == 0 {
		return ""
	}
	var b strings.Builder
	for _, p := range path {
		b.WriteByte('/')
		p = strings.ReplaceAll(p, "~", "~0")
		b.WriteString(strings.ReplaceAll(p, "/", "~1"))
	}
	return b.String()
}

// validationDetail sums the field errors up in one sentence for clients that
// show only the detail.
func validationDetail(fields []fault.FieldError) string {
	const shown = 3
	var b strings.Builder
	b.WriteString("The request is invalid: ")
	for i, f := range fields {
		if i == shown {
			fmt.Fprintf(&b, "; and %d more", len(fields)-shown)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Reason)
	}
	b.WriteString(".")
	return b.String()
}
