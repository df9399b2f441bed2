// Package fault is the closed error vocabulary shared by every service core and
// the adapters that translate errors at the edges. It has no I/O and no
// dependencies beyond the standard library, so a core package may import it
// (the one exception to "the core imports no adapter"; see ADR 0008).
//
// A core returns errors of one of a small, fixed set of kinds; one table in
// the HTTP adapter maps a kind to a status code. Field-level validation
// details travel with Invalid errors.
package fault

import (
	"errors"
	"fmt"
)

// Kind classifies an error for callers at the edge. The zero value, Internal,
// is what an unclassified error is: an internal failure whose text is never
// shown to a client.
type Kind int

// The kinds of error a core may return.
const (
	Internal Kind = iota
	Invalid
	NotFound
	Conflict
	Forbidden
	Unauthenticated
	Unavailable
	PreconditionFailed
	PreconditionRequired
)

var kindNames = [...]string{
	Internal:             "internal",
	Invalid:              "invalid",
	NotFound:             "not found",
	Conflict:             "conflict",
	Forbidden:            "forbidden",
	Unauthenticated:      "unauthenticated",
	Unavailable:          "unavailable",
	PreconditionFailed:   "precondition failed",
	PreconditionRequired: "precondition required",
}

// String names the kind in lower case.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("kind(%d)", int(k))
	}
	return kindNames[k]
}

// FieldError says what is wrong with one field of an input. Field is a JSON
// pointer or a dotted path into the input; Reason is a sentence for a person.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Error is a classified error. Message is safe to show to a client; Err, the
// cause, is for logs only.
type Error struct {
	Kind    Kind
	Message string
	Fields  []FieldError
	Err     error
}

// Error joins the message and the cause for logs.
func (e *Error) Error() string {
	switch {
	case e.Err != nil && e.Message != "":
		return e.Message + ": " + e.Err.Error()
	case e.Err != nil:
		return e.Err.Error()
	default:
		return e.Message
	}
}

// Unwrap gives the cause to errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given kind with a client-safe message.
func New(kind Kind, message string) error {
	return &Error{Kind: kind, Message: message}
}

// Newf is New with formatting.
func Newf(kind Kind, format string, args ...any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Wrap classifies cause as kind with a client-safe message. The cause's text
// stays out of client responses.
func Wrap(kind Kind, cause error, message string) error {
	return &Error{Kind: kind, Message: message, Err: cause}
}

// Validation returns an Invalid error carrying field details.
func Validation(message string, fields ...FieldError) error {
	return &Error{Kind: Invalid, Message: message, Fields: fields}
}

// KindOf reports the kind of the outermost classified error in err's chain,
// or Internal when there is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// MessageOf gives the client-safe message of err, or "" when err is not
// classified (an internal error has nothing to show).
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}

// FieldsOf gives the field details of err, if any.
func FieldsOf(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Is reports whether err is classified as kind.
func Is(err error, kind Kind) bool {
	return err != nil && KindOf(err) == kind
}
