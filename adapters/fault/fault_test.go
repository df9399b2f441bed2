package fault_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/packytrace/packytrace/adapters/fault"
)

func TestKindOf_FindsKindThroughWrapping(t *testing.T) {
	t.Parallel()
	cause := errors.New("pgx: no rows in result set")
	tests := []struct {
		name string
		err  error
		want fault.Kind
	}{
		{"plain error is internal", cause, fault.Internal},
		{"nil is internal", nil, fault.Internal},
		{"direct", fault.New(fault.NotFound, "no such item"), fault.NotFound},
		{"wrapped by fmt", fmt.Errorf("load: %w", fault.Wrap(fault.Conflict, cause, "exists")), fault.Conflict},
		{"validation", fault.Validation("bad", fault.FieldError{Field: "name", Reason: "empty"}), fault.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := fault.KindOf(tt.err); got != tt.want {
				t.Fatalf("KindOf = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestError_KeepsCauseOutOfMessage(t *testing.T) {
	t.Parallel()
	cause := errors.New("secret internal detail")
	err := fmt.Errorf("ctx: %w", fault.Wrap(fault.Unavailable, cause, "database unavailable"))
	if got := fault.MessageOf(err); got != "database unavailable" {
		t.Fatalf("MessageOf = %q", got)
	}
	if !errors.Is(err, cause) {
		t.Fatal("cause not reachable through errors.Is")
	}
	if fault.MessageOf(cause) != "" {
		t.Fatal("unclassified error must have no client message")
	}
}

func TestFieldsOf_ReturnsDetails(t *testing.T) {
	t.Parallel()
	err := fault.Validation("invalid input",
		fault.FieldError{Field: "/gtin", Reason: "check digit is wrong"},
		fault.FieldError{Field: "/name", Reason: "must not be empty"})
	got := fault.FieldsOf(fmt.Errorf("wrap: %w", err))
	if len(got) != 2 || got[0].Field != "/gtin" || got[1].Reason != "must not be empty" {
		t.Fatalf("FieldsOf = %+v", got)
	}
	if !fault.Is(err, fault.Invalid) || fault.Is(err, fault.NotFound) {
		t.Fatal("Is misclassifies")
	}
}

func TestKind_String(t *testing.T) {
	t.Parallel()
	if fault.NotFound.String() != "not found" || fault.Kind(99).String() != "kind(99)" {
		t.Fatal("unexpected kind names")
	}
}
