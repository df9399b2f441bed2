package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/problem"
	"github.com/packytrace/packytrace/adapters/requestid"
)

// RequestErrorHandler answers a request the generated server could not
// decode: 413 for a body past MaxBodyBytes, otherwise 400 saying what is
// wrong and where, without echoing decoder internals. It fits both
// StrictHTTPServerOptions.RequestErrorHandlerFunc and
// StdHTTPServerOptions.ErrorHandlerFunc (parameter binding errors).
func RequestErrorHandler(w http.ResponseWriter, r *http.Request, err error) {
	if bodyTooLarge(w, r, err) {
		return
	}
	if k := fault.KindOf(err); k != fault.Internal {
		problem.WriteError(w, r, err)
		return
	}
	p := problem.New(http.StatusBadRequest, "The request could not be decoded.")
	if f, ok := decodeFieldError(err); ok {
		p.Errors = []fault.FieldError{f}
		p.Detail = "The request could not be decoded: " + f.Field + ": " + f.Reason + "."
	}
	problem.Write(w, r, p)
}

// decodeFieldError says which field a decode error is about, for the errors
// that encoding/json and the generated parameter binders give.
func decodeFieldError(err error) (fault.FieldError, bool) {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fault.FieldError{Field: "body", Reason: "is not valid JSON"}, true
	case errors.As(err, &typ):
		field := "body"
		if typ.Field != "" {
			field = "/" + strings.ReplaceAll(typ.Field, ".", "/")
		}
		return fault.FieldError{Field: field, Reason: "must be " + jsonKind(typ.Type)}, true
	case errors.Is(err, io.EOF):
		return fault.FieldError{Field: "body", Reason: "is required"}, true
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fault.FieldError{Field: "body", Reason: "ends too early"}, true
	}
	if name, required, ok := paramOf(err); ok {
		if required {
			return fault.FieldError{Field: name, Reason: "is required"}, true
		}
		return fault.FieldError{Field: name, Reason: "has an invalid format"}, true
	}
	return fault.FieldError{}, false
}

// paramOf finds the parameter named by an error of the generated server
// (RequiredParamError, InvalidParamFormatError and kin, one set per
// generated package, all with a ParamName field).
func paramOf(err error) (name string, required bool, ok bool) {
	for ; err != nil; err = errors.Unwrap(err) {
		v := reflect.ValueOf(err)
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			continue
		}
		f := v.Elem().FieldByName("ParamName")
		if !f.IsValid() || f.Kind() != reflect.String || f.String() == "" {
			continue
		}
		return f.String(), strings.HasPrefix(v.Elem().Type().Name(), "Required"), true
	}
	return "", false, false
}

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "of another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "of another type"
}

// ResponseErrorHandler returns the hook that turns an error from a strict
// handler into its problem document through the one kind-to-status table.
// Internal errors are logged once, here, with the request id; unavailable
// dependencies at Warn. Nothing is written when the response had already
// started (a failed write): there is only the log left to tell.
func ResponseErrorHandler(logger *slog.Logger) func(w http.ResponseWriter, r *http.Request, err error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		if bodyTooLarge(w, r, err) {
			return
		}
		ctx := r.Context()
		switch kind := fault.KindOf(err); {
		case kind == fault.Internal && errors.Is(err, context.Canceled) && ctx.Err() != nil:
			logger.LogAttrs(ctx, slog.LevelWarn, "request abandoned by the client", errAttrs(r, err)...)
		case kind == fault.Internal:
			logger.LogAttrs(ctx, slog.LevelError, "request failed", errAttrs(r, err)...)
		case kind == fault.Unavailable:
			logger.LogAttrs(ctx, slog.LevelWarn, "dependency unavailable", errAttrs(r, err)...)
		}
		if rec := findRecorder(w); rec != nil && rec.started {
			return
		}
		problem.WriteError(w, r, err)
	}
}

func errAttrs(r *http.Request, err error) []slog.Attr {
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("error", err.Error()),
	}
	if id := requestid.From(r.Context()); id != "" {
		attrs = append(attrs, slog.String(LogKeyRequestID, id))
	}
	return attrs
}
