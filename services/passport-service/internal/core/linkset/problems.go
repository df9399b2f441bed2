package linkset

import (
	"strconv"
	"strings"

	"github.com/packytrace/packytrace/adapters/fault"
)

// Problems collects what is wrong with a document, up to MaxErrors entries,
// each at a JSON pointer into the document as it was sent.
type Problems struct {
	list    []fault.FieldError
	dropped int
}

// Add records a problem at pointer (an RFC 6901 JSON pointer, or "body" for
// the whole document).
func (p *Problems) Add(pointer, reason string) {
	if len(p.list) >= MaxErrors {
		p.dropped++
		return
	}
	p.list = append(p.list, fault.FieldError{Field: pointer, Reason: reason})
}

// Len is the number of problems recorded, listed or not.
func (p *Problems) Len() int { return len(p.list) + p.dropped }

// Err returns nil when there is no problem, else an Invalid error carrying
// the listed problems.
func (p *Problems) Err() error {
	if p.Len() == 0 {
		return nil
	}
	msg := "The linkset is invalid; nothing was stored."
	if p.dropped > 0 {
		msg = "The linkset is invalid; nothing was stored. The first " + strconv.Itoa(len(p.list)) +
			" of " + strconv.Itoa(p.Len()) + " problems are listed."
	}
	return fault.Validation(msg, p.list...)
}

// Pointer renders tokens as an RFC 6901 JSON pointer ("" for none).
func Pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		for i := 0; i < len(t); i++ {
			switch t[i] {
			case '~':
				b.WriteString("~0")
			case '/':
				b.WriteString("~1")
			default:
				b.WriteByte(t[i])
			}
		}
	}
	return b.String()
}
