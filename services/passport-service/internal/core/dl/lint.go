package dl

// The linters of the GS1 Barcode Syntax Dictionary. Each checks one
// component value and reports the first problem with its position inside
// the component. The rules follow the reference linters of the GS1 Barcode
// Syntax Engine (gs1/gs1-syntax-engine src/c-lib/syntax/lint_*.c); the
// comment on each names its file.

// lintKind identifies what a linter found wrong.
type lintKind uint8

// Lint results, modelled on gse's GS1_LINTER_* error codes.
const (
	lintOK lintKind = iota
	lkNonDigit
	lkCSET82
	lkCSET39
	lkCSET64
	lkCSET64Padding
	lkCSET32
	lkTooShortForCheckDigit
	lkCheckDigit
	lkTooShortForCheckPair
	lkTooLongForCheckPair
	lkCheckPair
	lkTooShortForGCP
	lkTooShortForKey
	lkInvalidGCPPrefix
	lkImporterIdxLength
	lkImporterIdxChar
	lkZeroValue
	lkNotZero
	lkZeroPrefix
	lkNotZeroOrOne
	lkWinding
	lkNotISO3166
	lkNotISO3166Or999
	lkNotISO3166Alpha2
	lkNotISO4217
	lkIBANTooShort
	lkIBANTooLong
	lkIBANChar
	lkIBANCountry
	lkIBANChecksum
	lkDateTooShort
	lkDateTooLong
	lkDateHourTooShort
	lkDateHourTooLong
	lkHourMinuteTooShort
	lkHourMinuteTooLong
	lkHourLength
	lkMinuteTooShort
	lkMinuteTooLong
	lkSecondLength
	lkMMSSLength
	lkMonth
	lkDay
	lkHour
	lkMinute
	lkSecond
	lkPieceLength
	lkPieceZero
	lkTotalZero
	lkPieceExceedsTotal
	lkPercentSequence
	lkLatitudeLength
	lkLatitude
	lkLongitudeLength
	lkLongitude
	lkLatLongLength
	lkNotHyphen
	lkPositionMalformed
	lkPositionExceedsEnd
	lkRequiresNonDigit
	lkPackageType
	lkMediaType
	lkBiologicalSex
	lkCouponMissingFormatCode
	lkCouponInvalidFormatCode
	lkCouponMissingFunderVLI
	lkCouponInvalidFunderLength
	lkCouponTruncatedFunder
	lkCouponTruncatedOfferCode
	lkCouponMissingSerialVLI
	lkCouponTruncatedSerial
	lkCouponExcessData
	lkCouponMissingGCPVLI
	lkCouponInvalidGCPLength
	lkCouponTruncatedGCP
	lkCouponMissingSaveValueVLI
	lkCouponInvalidSaveValueLength
	lkCouponTruncatedSaveValue
	lkCouponMissingReqVLI
	lkCouponInvalidReqLength
	lkCouponTruncatedReq
	lkCouponMissingReqCode
	lkCouponInvalidReqCode
	lkCouponTruncatedFamily
	lkCouponMissingRulesCode
	lkCouponInvalidRulesCode
	lkCouponMissingPurchGCPVLI
	lkCouponInvalidPurchGCPLen
	lkCouponTruncatedPurchGCP
	lkCouponShortExpiry
	lkCouponInvalidExpiry
	lkCouponShortStart
	lkCouponInvalidStart
	lkCouponExpiryBeforeStart
	lkCouponMissingRetailerVLI
	lkCouponInvalidRetailerLength
	lkCouponTruncatedRetailer
	lkCouponMissingSaveValueCode
	lkCouponInvalidSaveValueCode
	lkCouponMissingAppliesToItem
	lkCouponInvalidAppliesToItem
	lkCouponMissingStoreFlag
	lkCouponMissingDontMultiply
	lkCouponInvalidDontMultiply
	numLintKinds
)

// lintInfo gives each lintKind its error code and message.
var lintInfo = [numLintKinds]struct{ code, msg string }{
	lkNonDigit:                     {CodeInvalidCharacter, "non-digit character"},
	lkCSET82:                       {CodeInvalidCharacter, "character not in CSET 82"},
	lkCSET39:                       {CodeInvalidCharacter, "character not in CSET 39"},
	lkCSET64:                       {CodeInvalidCharacter, "character not in CSET 64 (base64url)"},
	lkCSET64Padding:                {CodeInvalidCharacter, "invalid CSET 64 padding"},
	lkCSET32:                       {CodeInvalidCharacter, "check character not in CSET 32"},
	lkTooShortForCheckDigit:        {CodeTooShort, "too short for a check digit"},
	lkCheckDigit:                   {CodeCheckDigit, "incorrect check digit"},
	lkTooShortForCheckPair:         {CodeTooShort, "too short for a check character pair"},
	lkTooLongForCheckPair:          {CodeTooLong, "too long for the check character pair algorithm"},
	lkCheckPair:                    {CodeCheckDigit, "incorrect check character pair"},
	lkTooShortForGCP:               {CodeTooShort, "too short to start with a GS1 Company Prefix"},
	lkTooShortForKey:               {CodeTooShort, "too short for a GS1 key"},
	lkInvalidGCPPrefix:             {CodeInvalidValue, "does not start with a GS1 Company Prefix (four digits)"},
	lkImporterIdxLength:            {CodeInvalidValue, "importer index must be one character"},
	lkImporterIdxChar:              {CodeInvalidCharacter, "invalid importer index character"},
	lkZeroValue:                    {CodeInvalidValue, "value must not be zero"},
	lkNotZero:                      {CodeInvalidValue, "must be zero"},
	lkZeroPrefix:                   {CodeInvalidValue, "illegal leading zero"},
	lkNotZeroOrOne:                 {CodeInvalidValue, "must be 0 or 1"},
	lkWinding:                      {CodeInvalidValue, "winding direction must be 0, 1 or 9"},
	lkNotISO3166:                   {CodeInvalidCode, "not an ISO 3166 numeric country code"},
	lkNotISO3166Or999:              {CodeInvalidCode, "not an ISO 3166 numeric country code or 999"},
	lkNotISO3166Alpha2:             {CodeInvalidCode, "not an ISO 3166 alpha-2 country code"},
	lkNotISO4217:                   {CodeInvalidCode, "not an ISO 4217 numeric currency code"},
	lkIBANTooShort:                 {CodeInvalidValue, "too short for an IBAN"},
	lkIBANTooLong:                  {CodeInvalidValue, "too long for an IBAN"},
	lkIBANChar:                     {CodeInvalidCharacter, "invalid IBAN character"},
	lkIBANCountry:                  {CodeInvalidCode, "IBAN does not start with an ISO 3166 alpha-2 country code"},
	lkIBANChecksum:                 {CodeCheckDigit, "incorrect IBAN check digits"},
	lkDateTooShort:                 {CodeInvalidDate, "date too short"},
	lkDateTooLong:                  {CodeInvalidDate, "date too long"},
	lkDateHourTooShort:             {CodeInvalidDate, "date with hour too short"},
	lkDateHourTooLong:              {CodeInvalidDate, "date with hour too long"},
	lkHourMinuteTooShort:           {CodeInvalidTime, "time (HHMM) too short"},
	lkHourMinuteTooLong:            {CodeInvalidTime, "time (HHMM) too long"},
	lkHourLength:                   {CodeInvalidTime, "hour must be two digits"},
	lkMinuteTooShort:               {CodeInvalidTime, "minute too short"},
	lkMinuteTooLong:                {CodeInvalidTime, "minute too long"},
	lkSecondLength:                 {CodeInvalidTime, "second must be two digits"},
	lkMMSSLength:                   {CodeInvalidTime, "minutes and seconds must be MM or MMSS"},
	lkMonth:                        {CodeInvalidDate, "illegal month"},
	lkDay:                          {CodeInvalidDate, "illegal day of the month"},
	lkHour:                         {CodeInvalidTime, "illegal hour"},
	lkMinute:                       {CodeInvalidTime, "illegal minute"},
	lkSecond:                       {CodeInvalidTime, "illegal second"},
	lkPieceLength:                  {CodeInvalidValue, "piece and total must have equal, non-zero width"},
	lkPieceZero:                    {CodeInvalidValue, "piece number must not be zero"},
	lkTotalZero:                    {CodeInvalidValue, "total number of pieces must not be zero"},
	lkPieceExceedsTotal:            {CodeInvalidValue, "piece number exceeds the total"},
	lkPercentSequence:              {CodeInvalidValue, "invalid percent-encoding sequence"},
	lkLatitudeLength:               {CodeInvalidValue, "latitude must be 10 digits"},
	lkLatitude:                     {CodeInvalidValue, "latitude out of range (0000000000-1800000000)"},
	lkLongitudeLength:              {CodeInvalidValue, "longitude must be 10 digits"},
	lkLongitude:                    {CodeInvalidValue, "longitude out of range (0000000000-3600000000)"},
	lkLatLongLength:                {CodeInvalidValue, "latitude and longitude must be 20 digits"},
	lkNotHyphen:                    {CodeInvalidValue, "must be hyphens"},
	lkPositionMalformed:            {CodeInvalidValue, "position in sequence must be <pos>/<end>"},
	lkPositionExceedsEnd:           {CodeInvalidValue, "position exceeds the end of the sequence"},
	lkRequiresNonDigit:             {CodeInvalidValue, "must contain a non-digit character"},
	lkPackageType:                  {CodeInvalidCode, "not a GS1 PackageTypeCode"},
	lkMediaType:                    {CodeInvalidCode, "not an AIDC media type"},
	lkBiologicalSex:                {CodeInvalidCode, "not an ISO/IEC 5218 biological sex code (0, 1, 2 or 9)"},
	lkCouponMissingFormatCode:      {CodeInvalidValue, "coupon: missing format code"},
	lkCouponInvalidFormatCode:      {CodeInvalidValue, "coupon: invalid format code"},
	lkCouponMissingFunderVLI:       {CodeInvalidValue, "coupon: missing funder ID length indicator"},
	lkCouponInvalidFunderLength:    {CodeInvalidValue, "coupon: invalid funder ID length indicator"},
	lkCouponTruncatedFunder:        {CodeInvalidValue, "coupon: truncated funder ID"},
	lkCouponTruncatedOfferCode:     {CodeInvalidValue, "coupon: truncated offer code"},
	lkCouponMissingSerialVLI:       {CodeInvalidValue, "coupon: missing serial number length indicator"},
	lkCouponTruncatedSerial:        {CodeInvalidValue, "coupon: truncated serial number"},
	lkCouponExcessData:             {CodeInvalidValue, "coupon: excess data"},
	lkCouponMissingGCPVLI:          {CodeInvalidValue, "coupon: missing GS1 Company Prefix length indicator"},
	lkCouponInvalidGCPLength:       {CodeInvalidValue, "coupon: invalid GS1 Company Prefix length indicator"},
	lkCouponTruncatedGCP:           {CodeInvalidValue, "coupon: truncated GS1 Company Prefix"},
	lkCouponMissingSaveValueVLI:    {CodeInvalidValue, "coupon: missing save value length indicator"},
	lkCouponInvalidSaveValueLength: {CodeInvalidValue, "coupon: invalid save value length indicator"},
	lkCouponTruncatedSaveValue:     {CodeInvalidValue, "coupon: truncated save value"},
	lkCouponMissingReqVLI:          {CodeInvalidValue, "coupon: missing purchase requirement length indicator"},
	lkCouponInvalidReqLength:       {CodeInvalidValue, "coupon: invalid purchase requirement length indicator"},
	lkCouponTruncatedReq:           {CodeInvalidValue, "coupon: truncated purchase requirement"},
	lkCouponMissingReqCode:         {CodeInvalidValue, "coupon: missing purchase requirement code"},
	lkCouponInvalidReqCode:         {CodeInvalidValue, "coupon: invalid purchase requirement code"},
	lkCouponTruncatedFamily:        {CodeInvalidValue, "coupon: truncated purchase family code"},
	lkCouponMissingRulesCode:       {CodeInvalidValue, "coupon: missing additional purchase rules code"},
	lkCouponInvalidRulesCode:       {CodeInvalidValue, "coupon: invalid additional purchase rules code"},
	lkCouponMissingPurchGCPVLI:     {CodeInvalidValue, "coupon: missing purchase GS1 Company Prefix length indicator"},
	lkCouponInvalidPurchGCPLen:     {CodeInvalidValue, "coupon: invalid purchase GS1 Company Prefix length indicator"},
	lkCouponTruncatedPurchGCP:      {CodeInvalidValue, "coupon: truncated purchase GS1 Company Prefix"},
	lkCouponShortExpiry:            {CodeInvalidValue, "coupon: too short for the expiration date"},
	lkCouponInvalidExpiry:          {CodeInvalidDate, "coupon: invalid expiration date"},
	lkCouponShortStart:             {CodeInvalidValue, "coupon: too short for the start date"},
	lkCouponInvalidStart:           {CodeInvalidDate, "coupon: invalid start date"},
	lkCouponExpiryBeforeStart:      {CodeInvalidDate, "coupon: expiration date before start date"},
	lkCouponMissingRetailerVLI:     {CodeInvalidValue, "coupon: missing retailer GCP/GLN length indicator"},
	lkCouponInvalidRetailerLength:  {CodeInvalidValue, "coupon: invalid retailer GCP/GLN length indicator"},
	lkCouponTruncatedRetailer:      {CodeInvalidValue, "coupon: truncated retailer GCP/GLN"},
	lkCouponMissingSaveValueCode:   {CodeInvalidValue, "coupon: missing save value code"},
	lkCouponInvalidSaveValueCode:   {CodeInvalidValue, "coupon: invalid save value code"},
	lkCouponMissingAppliesToItem:   {CodeInvalidValue, "coupon: missing save value applies-to-item"},
	lkCouponInvalidAppliesToItem:   {CodeInvalidValue, "coupon: invalid save value applies-to-item"},
	lkCouponMissingStoreFlag:       {CodeInvalidValue, "coupon: missing store coupon flag"},
	lkCouponMissingDontMultiply:    {CodeInvalidValue, "coupon: missing don't-multiply flag"},
	lkCouponInvalidDontMultiply:    {CodeInvalidValue, "coupon: invalid don't-multiply flag"},
}

// lintErr is a linter's finding: what and where (byte position and length
// inside the linted component). The zero value means no problem.
type lintErr struct {
	kind   lintKind
	pos, n int
}

func fail(k lintKind, pos, n int) lintErr { return lintErr{kind: k, pos: pos, n: n} }

// firstNonDigit returns the index of the first non-digit byte, or -1.
func firstNonDigit(v string) int {
	for i := 0; i < len(v); i++ {
		if !isDigit(v[i]) {
			return i
		}
	}
	return -1
}

// two returns the value of the two digits at v[i:i+2].
func two(v string, i int) int { return int(v[i]-'0')*10 + int(v[i+1]-'0') }

// lintCharset checks the component's character set: N digits, X CSET 82,
// Y CSET 39, Z CSET 64 with optional '=' padding (lint_csetnumeric.c,
// lint_cset82.c, lint_cset39.c, lint_cset64.c).
func lintCharset(cset byte, v string) lintErr {
	switch cset {
	case 'N':
		if i := firstNonDigit(v); i >= 0 {
			return fail(lkNonDigit, i, 1)
		}
	case 'X':
		for i := 0; i < len(v); i++ {
			if charClass[v[i]]&classCSET82 == 0 {
				return fail(lkCSET82, i, 1)
			}
		}
	case 'Y':
		for i := 0; i < len(v); i++ {
			if charClass[v[i]]&classCSET39 == 0 {
				return fail(lkCSET39, i, 1)
			}
		}
	case 'Z':
		n, pads := len(v), 0
		for n > 0 && v[n-1] == '=' {
			n--
			pads++
		}
		if pads > 2 || (pads > 0 && (n+pads)%3 != 0) {
			return fail(lkCSET64Padding, n, pads)
		}
		for i := 0; i < n; i++ {
			if charClass[v[i]]&classCSET64 == 0 {
				return fail(lkCSET64, i, 1)
			}
		}
	}
	return lintErr{}
}

// runLinter applies one named linter to a component value.
func runLinter(l linter, v string) lintErr {
	switch l {
	case lintCsum:
		return lintCsumFn(v)
	case lintCsumAlpha:
		return lintCsumAlphaFn(v)
	case lintGCPPos1:
		return lintGCPPos1Fn(v)
	case lintGCPPos2:
		if len(v) < 2 {
			return fail(lkTooShortForGCP, 0, len(v))
		}
		return shift(lintGCPPos1Fn(v[1:]), 1)
	case lintKey:
		return lintKeyFn(v)
	case lintKeyOff1:
		if len(v) < 2 {
			return fail(lkTooShortForKey, 0, len(v))
		}
		return shift(lintKeyFn(v[1:]), 1)
	case lintYYMMD0:
		return lintYYMMD0Fn(v)
	case lintYYMMDD:
		return lintYYMMDDFn(v)
	case lintYYYYMMD0:
		return lintYYYYMMD0Fn(v)
	case lintYYYYMMDD:
		if e := lintYYYYMMD0Fn(v); e.kind != lintOK {
			return e
		}
		if v[6] == '0' && v[7] == '0' {
			return fail(lkDay, 6, 2)
		}
		return lintErr{}
	case lintYYMMDDHH:
		return lintYYMMDDHHFn(v)
	case lintHH:
		return lintTwoDigits(v, 23, lkHourLength, lkHourLength, lkHour)
	case lintMI:
		return lintTwoDigits(v, 59, lkMinuteTooShort, lkMinuteTooLong, lkMinute)
	case lintMM:
		return lintTwoDigits(v, 59, lkMinuteTooShort, lkMinuteTooLong, lkMinute)
	case lintSS:
		return lintTwoDigits(v, 59, lkSecondLength, lkSecondLength, lkSecond)
	case lintHHMI, lintHHMM:
		return lintHHMIFn(v)
	case lintMMOptSS:
		return lintMMOptSSFn(v)
	case lintISO3166:
		if len(v) != 3 || firstNonDigit(v) >= 0 || !iso3166NumSet[atoi3(v)] {
			return fail(lkNotISO3166, 0, len(v))
		}
	case lintISO3166999:
		if len(v) != 3 || firstNonDigit(v) >= 0 || (v != "999" && !iso3166NumSet[atoi3(v)]) {
			return fail(lkNotISO3166Or999, 0, len(v))
		}
	case lintISO3166Alpha2:
		if !isAlpha2Country(v) {
			return fail(lkNotISO3166Alpha2, 0, len(v))
		}
	case lintISO4217:
		if len(v) != 3 || firstNonDigit(v) >= 0 || !iso4217NumSet[atoi3(v)] {
			return fail(lkNotISO4217, 0, len(v))
		}
	case lintISO5218:
		if len(v) != 1 {
			return fail(lkBiologicalSex, 0, len(v))
		}
		if c := v[0]; c != '0' && c != '1' && c != '2' && c != '9' {
			return fail(lkBiologicalSex, 0, 1)
		}
	case lintIBAN:
		return lintIBANFn(v)
	case lintLatitude:
		return lintCoordinate(v, lkLatitudeLength, lkLatitude, 1800000000)
	case lintLongitude:
		return lintCoordinate(v, lkLongitudeLength, lkLongitude, 3600000000)
	case lintLatLong:
		if len(v) != 20 {
			return fail(lkLatLongLength, 0, len(v))
		}
		if i := firstNonDigit(v); i >= 0 {
			return fail(lkNonDigit, i, 1)
		}
		if e := lintCoordinate(v[:10], lkLatitudeLength, lkLatitude, 1800000000); e.kind != lintOK {
			return e
		}
		return shift(lintCoordinate(v[10:], lkLongitudeLength, lkLongitude, 3600000000), 10)
	case lintPieceOfTotal:
		return lintPieceOfTotalFn(v)
	case lintPosInSeqSlash:
		return lintPosInSeqSlashFn(v)
	case lintImporterIdx:
		if len(v) != 1 {
			return fail(lkImporterIdxLength, 0, len(v))
		}
		// Importer index characters: - 0-9 A-Z _ a-z (lint_importeridx.c).
		if c := v[0]; charClass[c]&classUnreserved == 0 || c == '.' || c == '~' {
			return fail(lkImporterIdxChar, 0, 1)
		}
	case lintNonZero:
		nonzero := false
		for i := 0; i < len(v); i++ {
			if !isDigit(v[i]) {
				return fail(lkNonDigit, i, 1)
			}
			nonzero = nonzero || v[i] != '0'
		}
		if !nonzero {
			return fail(lkZeroValue, 0, len(v))
		}
	case lintZero:
		if v != "0" {
			return fail(lkNotZero, 0, len(v))
		}
	case lintNoZeroPrefix:
		if len(v) > 0 && v[0] == '0' {
			return fail(lkZeroPrefix, 0, 1)
		}
		if i := firstNonDigit(v); i >= 0 {
			return fail(lkNonDigit, i, 1)
		}
	case lintYesNo:
		if v != "0" && v != "1" {
			return fail(lkNotZeroOrOne, 0, len(v))
		}
	case lintWinding:
		if len(v) != 1 {
			return fail(lkWinding, 0, len(v))
		}
		if c := v[0]; c != '0' && c != '1' && c != '9' {
			return fail(lkWinding, 0, 1)
		}
	case lintHyphen:
		if v == "" {
			return fail(lkNotHyphen, 0, 0)
		}
		for i := 0; i < len(v); i++ {
			if v[i] != '-' {
				return fail(lkNotHyphen, 0, len(v))
			}
		}
	case lintHasNonDigit:
		if firstNonDigit(v) < 0 {
			return fail(lkRequiresNonDigit, 0, len(v))
		}
	case lintPcEnc:
		for i := 0; i < len(v); i++ {
			if v[i] != '%' {
				continue
			}
			if i+2 >= len(v) {
				return fail(lkPercentSequence, i, len(v)-i)
			}
			if charClass[v[i+1]]&classHex == 0 || charClass[v[i+2]]&classHex == 0 {
				return fail(lkPercentSequence, i, 3)
			}
			i += 2
		}
	case lintPackageType:
		if !packageTypeSet[v] {
			return fail(lkPackageType, 0, len(v))
		}
	case lintMediaType:
		// AIDC media types: 01-10 (ICCBBA) and 80-99 (local use); GS1
		// General Specifications table "AIDC media type values", as
		// listed in lint_mediatype.c.
		if len(v) != 2 || firstNonDigit(v) >= 0 {
			return fail(lkMediaType, 0, len(v))
		}
		if n := two(v, 0); n < 1 || n > 10 && n < 80 {
			return fail(lkMediaType, 0, len(v))
		}
	case lintCouponCode:
		return lintCouponCodeFn(v)
	case lintCouponPosOffer:
		return lintCouponPosOfferFn(v)
	}
	return lintErr{}
}

// shift moves a finding's position by off (for linters applied to a
// suffix of the component).
func shift(e lintErr, off int) lintErr {
	if e.kind != lintOK {
		e.pos += off
	}
	return e
}

// lintCsumFn: GS1 mod-10 check digit over the whole component, weights
// 3,1,3,... from the right excluding the check digit (lint_csum.c).
func lintCsumFn(v string) lintErr {
	if v == "" {
		return fail(lkTooShortForCheckDigit, 0, 0)
	}
	weight := 1
	if len(v)%2 == 0 {
		weight = 3
	}
	sum := 0
	for i := 0; i < len(v)-1; i++ {
		if !isDigit(v[i]) {
			return fail(lkNonDigit, i, 1)
		}
		sum += weight * int(v[i]-'0')
		weight = 4 - weight
	}
	last := v[len(v)-1]
	if !isDigit(last) {
		return fail(lkNonDigit, len(v)-1, 1)
	}
	if byte((10-sum%10)%10)+'0' != last {
		return fail(lkCheckDigit, len(v)-1, 1)
	}
	return lintErr{}
}

// CheckDigit computes the GS1 mod-10 check digit for the digits in body
// (the key without its check digit), as used by GTIN, GLN, SSCC and other
// keys. It reports false if body holds a non-digit.
func CheckDigit(body string) (byte, bool) {
	weight := 1
	if len(body)%2 == 1 {
		weight = 3
	}
	sum := 0
	for i := 0; i < len(body); i++ {
		if !isDigit(body[i]) {
			return 0, false
		}
		sum += weight * int(body[i]-'0')
		weight = 4 - weight
	}
	return byte((10-sum%10)%10) + '0', true
}

// csumAlphaPrimes are the weights of the alphanumeric check character pair
// (the first 97 primes), and cset82Order / cset32Order the character
// values, from the GS1 General Specifications section "Check character
// calculation (for alphanumeric keys)" as implemented by lint_csumalpha.c.
var csumAlphaPrimes = [...]int{
	2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37,
	41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
	97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151,
	157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223,
	227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277, 281,
	283, 293, 307, 311, 313, 317, 331, 337, 347, 349, 353, 359,
	367, 373, 379, 383, 389, 397, 401, 409, 419, 421, 431, 433,
	439, 443, 449, 457, 461, 463, 467, 479, 487, 491, 499, 503,
	509,
}

const (
	cset82Order = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
	cset32Order = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
)

var (
	cset82Value [256]int16 // position in cset82Order, -1 if absent
	cset32Value [256]int8  // position in cset32Order, -1 if absent
)

func init() {
	for i := range cset82Value {
		cset82Value[i] = -1
		cset32Value[i] = -1
	}
	for i := 0; i < len(cset82Order); i++ {
		cset82Value[cset82Order[i]] = int16(i)
	}
	for i := 0; i < len(cset32Order); i++ {
		cset32Value[cset32Order[i]] = int8(i)
	}
}

func lintCsumAlphaFn(v string) lintErr {
	n := len(v)
	if n < 2 {
		return fail(lkTooShortForCheckPair, 0, n)
	}
	if n-2 > len(csumAlphaPrimes) {
		return fail(lkTooLongForCheckPair, 0, n)
	}
	sum := 0
	for i := 0; i < n-2; i++ {
		w := cset82Value[v[i]]
		if w < 0 {
			return fail(lkCSET82, i, 1)
		}
		sum += int(w) * csumAlphaPrimes[n-3-i]
	}
	for i := n - 2; i < n; i++ {
		if cset32Value[v[i]] < 0 {
			return fail(lkCSET32, i, 1)
		}
	}
	sum %= 1021
	if v[n-2] != cset32Order[sum>>5] || v[n-1] != cset32Order[sum&31] {
		return fail(lkCheckPair, n-2, 2)
	}
	return lintErr{}
}

// gcpMinLength is the length of the shortest GS1 Company Prefix (lint_gcppos1.c).
const gcpMinLength = 4

// lintGCPPos1Fn: the component starts with (at least) a minimum-length GS1
// Company Prefix, i.e. four digits (lint_gcppos1.c; no GCP allocation
// lookup is configured).
func lintGCPPos1Fn(v string) lintErr {
	if len(v) < gcpMinLength {
		return fail(lkTooShortForGCP, 0, len(v))
	}
	for i := 0; i < gcpMinLength; i++ {
		if !isDigit(v[i]) {
			return fail(lkInvalidGCPPrefix, i, 1)
		}
	}
	return lintErr{}
}

// lintKeyFn is the older form of gcppos1 (lint_key.c).
func lintKeyFn(v string) lintErr {
	if len(v) < gcpMinLength {
		return fail(lkTooShortForKey, 0, len(v))
	}
	for i := 0; i < gcpMinLength; i++ {
		if !isDigit(v[i]) {
			return fail(lkInvalidGCPPrefix, i, 1)
		}
	}
	return lintErr{}
}

var daysInMonth = [12]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// checkYMD validates month and day (day 00 allowed) of a date whose month
// starts at m; leap is whether the year is a leap year.
func checkYMD(v string, m int, leap bool) lintErr {
	mm := two(v, m)
	if mm < 1 || mm > 12 {
		return fail(lkMonth, m, 2)
	}
	maxDD := daysInMonth[mm-1]
	if mm == 2 && !leap {
		maxDD = 28
	}
	if two(v, m+2) > maxDD {
		return fail(lkDay, m+2, 2)
	}
	return lintErr{}
}

// lintYYMMD0Fn: YYMMDD with DD=00 allowed (lint_yymmd0.c). The century
// follows gse's fixed horizon (CURRENT_YEAR 21: YY >= 72 is 19YY, else
// 20YY); every year divisible by 4 in 1972-2071 is a leap year, so the
// leap-year test is YY % 4 == 0.
func lintYYMMD0Fn(v string) lintErr {
	if len(v) != 6 {
		if len(v) < 6 {
			return fail(lkDateTooShort, 0, len(v))
		}
		return fail(lkDateTooLong, 0, len(v))
	}
	if i := firstNonDigit(v); i >= 0 {
		return fail(lkNonDigit, i, 1)
	}
	return checkYMD(v, 2, two(v, 0)%4 == 0)
}

// lintYYMMDDFn: as yymmd0 but DD=00 is an error (lint_yymmdd.c).
func lintYYMMDDFn(v string) lintErr {
	if e := lintYYMMD0Fn(v); e.kind != lintOK {
		return e
	}
	if v[4] == '0' && v[5] == '0' {
		return fail(lkDay, 4, 2)
	}
	return lintErr{}
}

// lintYYYYMMD0Fn: YYYYMMDD with DD=00 allowed and Gregorian leap years
// (lint_yyyymmd0.c).
func lintYYYYMMD0Fn(v string) lintErr {
	if len(v) != 8 {
		if len(v) < 8 {
			return fail(lkDateTooShort, 0, len(v))
		}
		return fail(lkDateTooLong, 0, len(v))
	}
	if i := firstNonDigit(v); i >= 0 {
		return fail(lkNonDigit, i, 1)
	}
	y := two(v, 0)*100 + two(v, 2)
	return checkYMD(v, 4, y%4 == 0 && y%100 != 0 || y%400 == 0)
}

// lintYYMMDDHHFn: YYMMDD then an hour 00-23 (lint_yymmddhh.c).
func lintYYMMDDHHFn(v string) lintErr {
	if len(v) != 8 {
		if len(v) < 8 {
			return fail(lkDateHourTooShort, 0, len(v))
		}
		return fail(lkDateHourTooLong, 0, len(v))
	}
	if i := firstNonDigit(v); i >= 0 {
		return fail(lkNonDigit, i, 1)
	}
	if e := lintYYMMDDFn(v[:6]); e.kind != lintOK {
		return e
	}
	if two(v, 6) > 23 {
		return fail(lkHour, 6, 2)
	}
	return lintErr{}
}

// lintTwoDigits: exactly two digits not above max (lint_hh.c, lint_mi.c,
// lint_mm.c, lint_ss.c).
func lintTwoDigits(v string, maxVal int, short, long, bad lintKind) lintErr {
	if len(v) != 2 {
		if len(v) < 2 {
			return fail(short, 0, len(v))
		}
		return fail(long, 0, len(v))
	}
	if i := firstNonDigit(v); i >= 0 {
		return fail(lkNonDigit, i, 1)
	}
	if two(v, 0) > maxVal {
		return fail(bad, 0, 2)
	}
	return lintErr{}
}

// lintHHMIFn: HHMM, hour 00-23, minute 00-59 (lint_hhmi.c, lint_hhmm.c).
func lintHHMIFn(v string) lintErr {
	if len(v) != 4 {
		if len(v) < 4 {
			return fail(lkHourMinuteTooShort, 0, len(v))
		}
		return fail(lkHourMinuteTooLong, 0, len(v))
	}
	if e := lintTwoDigits(v[:2], 23, lkHourLength, lkHourLength, lkHour); e.kind != lintOK {
		return e
	}
	return shift(lintTwoDigits(v[2:], 59, lkMinuteTooShort, lkMinuteTooLong, lkMinute), 2)
}

// lintMMOptSSFn: MM or MMSS (lint_mmoptss.c).
func lintMMOptSSFn(v string) lintErr {
	if len(v) != 2 && len(v) != 4 {
		return fail(lkMMSSLength, 0, len(v))
	}
	if i := firstNonDigit(v); i >= 0 {
		return fail(lkNonDigit, i, 1)
	}
	if two(v, 0) > 59 {
		return fail(lkMinute, 0, 2)
	}
	if len(v) == 4 && two(v, 2) > 59 {
		return fail(lkSecond, 2, 2)
	}
	return lintErr{}
}

func isAlpha2Country(v string) bool {
	if len(v) != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' {
		return false
	}
	return iso3166Alpha2Set[int(v[0]-'A')*26+int(v[1]-'A')]
}

// lintIBANFn: ISO 13616 IBAN: alpha-2 country, at most 34 characters,
// more than 10, characters 0-9 A-Z, mod-97 check == 1 (lint_iban.c).
func lintIBANFn(v string) lintErr {
	n := len(v)
	if n < 4 {
		return fail(lkIBANTooShort, 0, n)
	}
	if !isAlpha2Country(v[:2]) {
		return fail(lkIBANCountry, 0, 2)
	}
	if n > 34 {
		return fail(lkIBANTooLong, 0, n)
	}
	if n <= 10 {
		return fail(lkIBANTooShort, 0, n)
	}
	sum := 0
	for k := 4; k < n+4; k++ {
		i := k
		if k >= n {
			i = k - n
		}
		c := v[i]
		var w int
		switch {
		case isDigit(c):
			w = int(c - '0')
			sum = sum*10 + w
		case c >= 'A' && c <= 'Z':
			w = int(c-'A') + 10
			sum = sum*100 + w
		default:
			return fail(lkIBANChar, i, 1)
		}
		sum %= 97
	}
	if sum != 1 {
		return fail(lkIBANChecksum, 2, 2)
	}
	return lintErr{}
}

// lintCoordinate: ten digits not above maxVal (lint_latitude.c, lint_longitude.c).
func lintCoordinate(v string, length, bad lintKind, maxVal int) lintErr {
	if len(v) != 10 {
		return fail(length, 0, len(v))
	}
	if i := firstNonDigit(v); i >= 0 {
		return fail(lkNonDigit, i, 1)
	}
	n := 0
	for i := 0; i < 10; i++ {
		n = n*10 + int(v[i]-'0')
	}
	if n > maxVal {
		return fail(bad, 0, 10)
	}
	return lintErr{}
}

// lintPieceOfTotalFn: PP..TT..: equal-width piece and total, neither zero,
// piece <= total (lint_pieceoftotal.c).
func lintPieceOfTotalFn(v string) lintErr {
	if i := firstNonDigit(v); i >= 0 {
		return fail(lkNonDigit, i, 1)
	}
	n := len(v)
	if n == 0 || n%2 != 0 {
		return fail(lkPieceLength, 0, n)
	}
	half := n / 2
	p, t := v[:half], v[half:]
	if strings0(p) {
		return fail(lkPieceZero, 0, half)
	}
	if strings0(t) {
		return fail(lkTotalZero, half, half)
	}
	if p > t { // equal width, so byte order is numeric order
		return fail(lkPieceExceedsTotal, 0, n)
	}
	return lintErr{}
}

// strings0 reports whether v is all '0'.
func strings0(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] != '0' {
			return false
		}
	}
	return true
}

// lintPosInSeqSlashFn: "<pos>/<end>", digits without leading zeros, pos <=
// end (lint_posinseqslash.c).
func lintPosInSeqSlashFn(v string) lintErr {
	n := len(v)
	slash := 0
	for slash < n && isDigit(v[slash]) {
		slash++
	}
	if slash == 0 || slash >= n || v[slash] != '/' {
		return fail(lkPositionMalformed, 0, n)
	}
	for i := slash + 1; i < n; i++ {
		if !isDigit(v[i]) {
			return fail(lkPositionMalformed, 0, n)
		}
	}
	if slash >= n-1 {
		return fail(lkPositionMalformed, 0, n)
	}
	pos, end := v[:slash], v[slash+1:]
	if pos[0] == '0' {
		return fail(lkZeroPrefix, 0, slash)
	}
	if end[0] == '0' {
		return fail(lkZeroPrefix, slash+1, len(end))
	}
	if len(pos) > len(end) || len(pos) == len(end) && pos > end {
		return fail(lkPositionExceedsEnd, 0, n)
	}
	return lintErr{}
}

// couponReader walks the fields of a coupon code; positions follow gse's
// error highlighting (the missing field of an exhausted value marks the
// whole value).
type couponReader struct {
	v string
	p int
}

func (r *couponReader) atEnd() bool { return r.p >= len(r.v) }

// missing reports a field that is absent at the end of the value.
func (r *couponReader) missing(k lintKind) lintErr { return fail(k, 0, len(r.v)) }

// take consumes n characters or reports a truncated field.
func (r *couponReader) take(n int, k lintKind) lintErr {
	if len(r.v)-r.p < n {
		if r.atEnd() {
			return fail(k, 0, len(r.v))
		}
		return fail(k, r.p, len(r.v)-r.p)
	}
	r.p += n
	return lintErr{}
}

// lintCouponCodeFn: the North American Coupon Code of AI (8110)
// (lint_couponcode.c: "North American Coupon Application Guideline Using
// GS1 DataBar Expanded Symbols"). gse also runs gcppos1 over each GS1
// Company Prefix field; those fields are all digits and at least six long
// here, so that check cannot fail and is left out.
func lintCouponCodeFn(v string) lintErr {
	if i := firstNonDigit(v); i >= 0 {
		return fail(lkNonDigit, i, 1)
	}
	r := &couponReader{v: v}
	// Primary GS1 Company Prefix: VLI 0-6, then 6+VLI digits.
	if r.atEnd() {
		return r.missing(lkCouponMissingGCPVLI)
	}
	if v[r.p] > '6' {
		return fail(lkCouponInvalidGCPLength, r.p, 1)
	}
	vli := int(v[r.p]-'0') + 6
	r.p++
	if e := r.take(vli, lkCouponTruncatedGCP); e.kind != lintOK {
		return e
	}
	if e := r.take(6, lkCouponTruncatedOfferCode); e.kind != lintOK {
		return e
	}
	// Save value: VLI 1-5.
	if e := r.vliField(lkCouponMissingSaveValueVLI, lkCouponInvalidSaveValueLength, lkCouponTruncatedSaveValue); e.kind != lintOK {
		return e
	}
	// First purchase requirement, code, family code.
	if e := r.purchase(); e.kind != lintOK {
		return e
	}
	// Optional field 1: additional rules and second purchase.
	if !r.atEnd() && v[r.p] == '1' {
		r.p++
		if r.atEnd() {
			return r.missing(lkCouponMissingRulesCode)
		}
		if v[r.p] > '3' {
			return fail(lkCouponInvalidRulesCode, r.p, 1)
		}
		r.p++
		if e := r.purchase(); e.kind != lintOK {
			return e
		}
		if e := r.purchaseGCP(); e.kind != lintOK {
			return e
		}
	}
	// Optional field 2: third purchase.
	if !r.atEnd() && v[r.p] == '2' {
		r.p++
		if e := r.purchase(); e.kind != lintOK {
			return e
		}
		if e := r.purchaseGCP(); e.kind != lintOK {
			return e
		}
	}
	// Optional field 3: expiration date; 4: start date.
	expiry := ""
	if !r.atEnd() && v[r.p] == '3' {
		r.p++
		if e := r.take(6, lkCouponShortExpiry); e.kind != lintOK {
			return e
		}
		expiry = v[r.p-6 : r.p]
		if lintYYMMDDFn(expiry).kind != lintOK {
			return fail(lkCouponInvalidExpiry, r.p-6, 6)
		}
	}
	if !r.atEnd() && v[r.p] == '4' {
		r.p++
		if e := r.take(6, lkCouponShortStart); e.kind != lintOK {
			return e
		}
		start := v[r.p-6 : r.p]
		if lintYYMMDDFn(start).kind != lintOK {
			return fail(lkCouponInvalidStart, r.p-6, 6)
		}
		if expiry != "" && start > expiry {
			return fail(lkCouponExpiryBeforeStart, r.p-14, 14)
		}
	}
	// Optional field 5: serial number, VLI then 6+VLI digits.
	if !r.atEnd() && v[r.p] == '5' {
		r.p++
		if r.atEnd() {
			return r.missing(lkCouponMissingSerialVLI)
		}
		vli := int(v[r.p]-'0') + 6
		r.p++
		if e := r.take(vli, lkCouponTruncatedSerial); e.kind != lintOK {
			return e
		}
	}
	// Optional field 6: retailer GCP/GLN, VLI 1-7 then 6+VLI digits.
	if !r.atEnd() && v[r.p] == '6' {
		r.p++
		if r.atEnd() {
			return r.missing(lkCouponMissingRetailerVLI)
		}
		if c := v[r.p]; c < '1' || c > '7' {
			return fail(lkCouponInvalidRetailerLength, r.p, 1)
		}
		vli := int(v[r.p]-'0') + 6
		r.p++
		if e := r.take(vli, lkCouponTruncatedRetailer); e.kind != lintOK {
			return e
		}
	}
	// Optional field 9: miscellaneous.
	if !r.atEnd() && v[r.p] == '9' {
		r.p++
		if r.atEnd() {
			return r.missing(lkCouponMissingSaveValueCode)
		}
		if c := v[r.p]; c != '0' && c != '1' && c != '2' && c != '5' && c != '6' {
			return fail(lkCouponInvalidSaveValueCode, r.p, 1)
		}
		r.p++
		if r.atEnd() {
			return r.missing(lkCouponMissingAppliesToItem)
		}
		if v[r.p] > '2' {
			return fail(lkCouponInvalidAppliesToItem, r.p, 1)
		}
		r.p++
		if r.atEnd() {
			return r.missing(lkCouponMissingStoreFlag)
		}
		r.p++
		if r.atEnd() {
			return r.missing(lkCouponMissingDontMultiply)
		}
		if c := v[r.p]; c != '0' && c != '1' {
			return fail(lkCouponInvalidDontMultiply, r.p, 1)
		}
		r.p++
	}
	if !r.atEnd() {
		return fail(lkCouponExcessData, r.p, len(v)-r.p)
	}
	return lintErr{}
}

// vliField reads a VLI in 1-5 followed by that many digits.
func (r *couponReader) vliField(missing, invalid, truncated lintKind) lintErr {
	if r.atEnd() {
		return r.missing(missing)
	}
	if c := r.v[r.p]; c < '1' || c > '5' {
		return fail(invalid, r.p, 1)
	}
	n := int(r.v[r.p] - '0')
	r.p++
	return r.take(n, truncated)
}

// purchase reads a purchase requirement (VLI 1-5 and digits), its code
// (0-4 or 9) and a three-digit family code.
func (r *couponReader) purchase() lintErr {
	if e := r.vliField(lkCouponMissingReqVLI, lkCouponInvalidReqLength, lkCouponTruncatedReq); e.kind != lintOK {
		return e
	}
	if r.atEnd() {
		return r.missing(lkCouponMissingReqCode)
	}
	if c := r.v[r.p]; c > '4' && c != '9' {
		return fail(lkCouponInvalidReqCode, r.p, 1)
	}
	r.p++
	return r.take(3, lkCouponTruncatedFamily)
}

// purchaseGCP reads a purchase GS1 Company Prefix: VLI 0-6 (6+VLI digits)
// or 9 (none).
func (r *couponReader) purchaseGCP() lintErr {
	if r.atEnd() {
		return r.missing(lkCouponMissingPurchGCPVLI)
	}
	c := r.v[r.p]
	if c > '6' && c != '9' {
		return fail(lkCouponInvalidPurchGCPLen, r.p, 1)
	}
	r.p++
	if c == '9' {
		return lintErr{}
	}
	return r.take(int(c-'0')+6, lkCouponTruncatedPurchGCP)
}

// lintCouponPosOfferFn: the positive offer file coupon code of AI (8112)
// (lint_couponposoffer.c: "GS1 AI (8112) Coupon Data Specification").
func lintCouponPosOfferFn(v string) lintErr {
	if i := firstNonDigit(v); i >= 0 {
		return fail(lkNonDigit, i, 1)
	}
	r := &couponReader{v: v}
	if r.atEnd() {
		return r.missing(lkCouponMissingFormatCode)
	}
	if c := v[0]; c != '0' && c != '1' {
		return fail(lkCouponInvalidFormatCode, 0, 1)
	}
	r.p++
	if r.atEnd() {
		return r.missing(lkCouponMissingFunderVLI)
	}
	if v[r.p] > '6' {
		return fail(lkCouponInvalidFunderLength, r.p, 1)
	}
	vli := int(v[r.p]-'0') + 6
	r.p++
	if e := r.take(vli, lkCouponTruncatedFunder); e.kind != lintOK {
		return e
	}
	if e := r.take(6, lkCouponTruncatedOfferCode); e.kind != lintOK {
		return e
	}
	if r.atEnd() {
		return r.missing(lkCouponMissingSerialVLI)
	}
	vli = int(v[r.p]-'0') + 6
	r.p++
	if e := r.take(vli, lkCouponTruncatedSerial); e.kind != lintOK {
		return e
	}
	if !r.atEnd() {
		return fail(lkCouponExcessData, r.p, len(v)-r.p)
	}
	return lintErr{}
}
