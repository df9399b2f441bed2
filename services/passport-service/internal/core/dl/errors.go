package dl

import "strconv"

// Stable error codes carried in Error.Code. The package documentation
// explains each one.
const (
	CodeInputTooLong      = "input-too-long"
	CodeIllegalCharacter  = "illegal-character"
	CodeScheme            = "scheme"
	CodeHost              = "host"
	CodeNoPrimaryKey      = "no-primary-key"
	CodeTrailingSlash     = "trailing-slash"
	CodeEmptyValue        = "empty-value"
	CodeNulCharacter      = "nul-character"
	CodeUnknownAI         = "unknown-ai"
	CodeInvalidQualifier  = "invalid-qualifier"
	CodeQualifierOrder    = "qualifier-order"
	CodeNotDataAttribute  = "not-data-attribute"
	CodeQualifierInQuery  = "qualifier-in-query"
	CodeDuplicateAI       = "duplicate-ai"
	CodeConflictingValues = "conflicting-values"
	CodeTooManyAIs        = "too-many-ais"
	CodeGTINLength        = "gtin-length"
	CodeTooShort          = "too-short"
	CodeTooLong           = "too-long"
	CodeInvalidCharacter  = "invalid-character"
	CodeCheckDigit        = "check-digit"
	CodeInvalidDate       = "invalid-date"
	CodeInvalidTime       = "invalid-time"
	CodeInvalidCode       = "invalid-code"
	CodeInvalidValue      = "invalid-value"
	CodeRequiredAIMissing = "required-ai-missing"
	CodeExclusiveAIs      = "exclusive-ais"
	CodeSyntax            = "syntax"
)

// Codes lists every error code this package returns, for documentation and
// for clients that map codes to their own messages.
var Codes = []string{
	CodeInputTooLong, CodeIllegalCharacter, CodeScheme, CodeHost, CodeNoPrimaryKey,
	CodeTrailingSlash, CodeEmptyValue, CodeNulCharacter, CodeUnknownAI, CodeInvalidQualifier,
	CodeQualifierOrder, CodeNotDataAttribute, CodeQualifierInQuery, CodeDuplicateAI,
	CodeConflictingValues, CodeTooManyAIs, CodeGTINLength, CodeTooShort, CodeTooLong,
	CodeInvalidCharacter, CodeCheckDigit, CodeInvalidDate, CodeInvalidTime, CodeInvalidCode,
	CodeInvalidValue, CodeRequiredAIMissing, CodeExclusiveAIs, CodeSyntax,
}

func newErr(code, msg, ai string, off int) *Error {
	return &Error{Code: code, Message: msg, AI: ai, Offset: off}
}

// aiPrefix renders "AI (01): " for messages.
func aiPrefix(ai string) string { return "AI (" + ai + "): " }

func itoa(n int) string { return strconv.Itoa(n) }
