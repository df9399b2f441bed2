package dl

import (
	"strings"
	"testing"
)

// lintVector is a UNIT_TEST_PASS / UNIT_TEST_FAIL case of a gse linter:
// the linter, the input, the expected result and, for failures, gse's
// markup of the input with the offending bytes between '*'.
type lintVector struct {
	l      linter
	in     string
	want   lintKind
	markup string
}

// lintVectors are carried from the unit tests in gs1/gs1-syntax-engine
// src/c-lib/syntax/lint_<name>.c (the file is named by the linter), with
// gse's GS1_LINTER_* results mapped to this package's lint kinds.
var lintVectors = []lintVector{
	// lint_csum.c
	{lintCsum, "", lkTooShortForCheckDigit, "**"},
	{lintCsum, "02345673", lintOK, ""},
	{lintCsum, "12345673", lkCheckDigit, "1234567*3*"},
	{lintCsum, "416000336108", lintOK, ""},
	{lintCsum, "416000336109", lkCheckDigit, "41600033610*9*"},
	{lintCsum, "1234567890128", lintOK, ""},
	{lintCsum, "1234567890129", lkCheckDigit, "123456789012*9*"},
	{lintCsum, "12345678901231", lintOK, ""},
	{lintCsum, "12345678901232", lkCheckDigit, "1234567890123*2*"},
	{lintCsum, "123456789012345675", lintOK, ""},
	{lintCsum, "123456789012345670", lkCheckDigit, "12345678901234567*0*"},
	{lintCsum, " 23456789012345675", lkNonDigit, "* *23456789012345675"},
	{lintCsum, "12345678 012345675", lkNonDigit, "12345678* *012345675"},
	{lintCsum, "12345678901234567 ", lkNonDigit, "12345678901234567* *"},
	// lint_csumalpha.c
	{lintCsumAlpha, "", lkTooShortForCheckPair, "**"},
	{lintCsumAlpha, "2", lkTooShortForCheckPair, "*2*"},
	{lintCsumAlpha, "22", lintOK, ""},
	{lintCsumAlpha, "33", lkCheckPair, "*33*"},
	{lintCsumAlpha, "!22", lintOK, ""},
	{lintCsumAlpha, "!!22", lintOK, ""},
	{lintCsumAlpha, "1987654Ad4X4bL5ttr2310c2K", lintOK, ""},
	{lintCsumAlpha, "1987654Ad4X4bL5ttr2310cXK", lkCheckPair, "1987654Ad4X4bL5ttr2310c*XK*"},
	{lintCsumAlpha, "1987654Ad4X4bL5ttr2310c2X", lkCheckPair, "1987654Ad4X4bL5ttr2310c*2X*"},
	{lintCsumAlpha, "12345678901234567890123NT", lintOK, ""},
	{lintCsumAlpha, "12345_ABCDEFGHIJKLMCP", lintOK, ""},
	{lintCsumAlpha, "12345_NOPQRSTUVWXYZDN", lintOK, ""},
	{lintCsumAlpha, "12345_abcdefghijklmN3", lintOK, ""},
	{lintCsumAlpha, "12345_nopqrstuvwxyzP2", lintOK, ""},
	{lintCsumAlpha, "12345_!\"%&'()*+,-./LC", lintOK, ""},
	{lintCsumAlpha, "12345_0123456789:;<=>?62", lintOK, ""},
	{lintCsumAlpha, "7907665Bm8v2AB", lintOK, ""},
	{lintCsumAlpha, "97850l6KZm0yCD", lintOK, ""},
	{lintCsumAlpha, "225803106GSpEF", lintOK, ""},
	{lintCsumAlpha, "149512464PM+GH", lintOK, ""},
	{lintCsumAlpha, "62577B8fRG7HJK", lintOK, ""},
	{lintCsumAlpha, "515942070CYxLM", lintOK, ""},
	{lintCsumAlpha, "390800494sP6NP", lintOK, ""},
	{lintCsumAlpha, "386830132uO+QR", lintOK, ""},
	{lintCsumAlpha, "53395376X1:nST", lintOK, ""},
	{lintCsumAlpha, "957813138Sb6UV", lintOK, ""},
	{lintCsumAlpha, "530790no0qOgWX", lintOK, ""},
	{lintCsumAlpha, "62185314IvwmYZ", lintOK, ""},
	{lintCsumAlpha, "23956qk1&dB!23", lintOK, ""},
	{lintCsumAlpha, "794394895ic045", lintOK, ""},
	{lintCsumAlpha, "57453Uq3qA<H67", lintOK, ""},
	{lintCsumAlpha, "0881063PhHvY89", lintOK, ""},
	{lintCsumAlpha, "00000!HV", lintOK, ""},
	{lintCsumAlpha, "99999zzzzzzzzzzzzzzzzzzT2", lintOK, ""},
	{lintCsumAlpha, "12345678901234567890123456789012345678901234567890" + "12345678901234567890123456789012345678901234567HA", lintOK, ""},
	{lintCsumAlpha, "12345678901234567890123456789012345678901234567890" + "123456789012345678901234567890123456789012345678ZZ", lkTooLongForCheckPair, ""},
	{lintCsumAlpha, " 2345678901234567890123NT", lkCSET82, "* *2345678901234567890123NT"},
	{lintCsumAlpha, "123456789 1234567890123NT", lkCSET82, "123456789* *1234567890123NT"},
	{lintCsumAlpha, "1234567890123456789012 NT", lkCSET82, "1234567890123456789012* *NT"},
	{lintCsumAlpha, "12345678901234567890123 T", lkCSET32, "12345678901234567890123* *T"},
	{lintCsumAlpha, "12345678901234567890123N ", lkCSET32, "12345678901234567890123N* *"},
	// lint_gcppos1.c, lint_gcppos2.c, lint_key.c, lint_keyoff1.c
	{lintGCPPos1, "01234", lintOK, ""},
	{lintGCPPos1, "0123", lintOK, ""},
	{lintGCPPos1, "012", lkTooShortForGCP, "*012*"},
	{lintGCPPos1, "", lkTooShortForGCP, "**"},
	{lintGCPPos1, "0123A", lintOK, ""},
	{lintGCPPos1, "012AAA", lkInvalidGCPPrefix, "012*A*AA"},
	{lintGCPPos1, "AAAAAA", lkInvalidGCPPrefix, "*A*AAAAA"},
	{lintGCPPos2, "I01234", lintOK, ""},
	{lintGCPPos2, "I0123", lintOK, ""},
	{lintGCPPos2, "I012", lkTooShortForGCP, "I*012*"},
	{lintGCPPos2, "I", lkTooShortForGCP, "*I*"},
	{lintGCPPos2, "I0123A", lintOK, ""},
	{lintGCPPos2, "I01AAA", lkInvalidGCPPrefix, "I01*A*AA"},
	{lintKey, "0123", lintOK, ""},
	{lintKey, "012", lkTooShortForKey, "*012*"},
	{lintKey, "01A3", lkInvalidGCPPrefix, "01*A*3"},
	{lintKeyOff1, "I0123", lintOK, ""},
	{lintKeyOff1, "I012", lkTooShortForKey, "I*012*"},
	{lintKeyOff1, "", lkTooShortForKey, "**"},
	{lintKeyOff1, "IA123", lkInvalidGCPPrefix, "I*A*123"},
	// lint_yymmd0.c
	{lintYYMMD0, "000606", lintOK, ""},
	{lintYYMMD0, "990606", lintOK, ""},
	{lintYYMMD0, "x00131", lkNonDigit, "*x*00131"},
	{lintYYMMD0, "20013x", lkNonDigit, "20013*x*"},
	{lintYYMMD0, "11111", lkDateTooShort, "*11111*"},
	{lintYYMMD0, "1111111", lkDateTooLong, "*1111111*"},
	{lintYYMMD0, "200010", lkMonth, "20*00*10"},
	{lintYYMMD0, "201310", lkMonth, "20*13*10"},
	{lintYYMMD0, "200132", lkDay, "2001*32*"},
	{lintYYMMD0, "200229", lintOK, ""},
	{lintYYMMD0, "200230", lkDay, "2002*30*"},
	{lintYYMMD0, "200431", lkDay, "2004*31*"},
	{lintYYMMD0, "200930", lintOK, ""},
	{lintYYMMD0, "200931", lkDay, "2009*31*"},
	{lintYYMMD0, "210228", lintOK, ""},
	{lintYYMMD0, "210229", lkDay, "2102*29*"},
	{lintYYMMD0, "230229", lkDay, "2302*29*"},
	{lintYYMMD0, "240229", lintOK, ""},
	{lintYYMMD0, "240230", lkDay, "2402*30*"},
	{lintYYMMD0, "000229", lintOK, ""},
	{lintYYMMD0, "040229", lintOK, ""},
	{lintYYMMD0, "960229", lintOK, ""},
	{lintYYMMD0, "960230", lkDay, "9602*30*"},
	{lintYYMMD0, "200600", lintOK, ""},
	// lint_yymmdd.c
	{lintYYMMDD, "200131", lintOK, ""},
	{lintYYMMDD, "200229", lintOK, ""},
	{lintYYMMDD, "210229", lkDay, "2102*29*"},
	{lintYYMMDD, "200600", lkDay, "2006*00*"},
	{lintYYMMDD, "209910", lkMonth, "20*99*10"},
	// lint_yyyymmd0.c and lint_yyyymmdd.c
	{lintYYYYMMD0, "20200229", lintOK, ""},
	{lintYYYYMMD0, "21000229", lkDay, "210002*29*"},
	{lintYYYYMMD0, "24000229", lintOK, ""},
	{lintYYYYMMD0, "20200600", lintOK, ""},
	{lintYYYYMMD0, "111111111", lkDateTooLong, "*111111111*"},
	{lintYYYYMMD0, "2020x131", lkNonDigit, "2020*x*131"},
	{lintYYYYMMDD, "19960229", lintOK, ""},
	{lintYYYYMMDD, "20200600", lkDay, "202006*00*"},
	{lintYYYYMMDD, "20201310", lkMonth, "2020*13*10"},
	// lint_yymmddhh.c
	{lintYYMMDDHH, "00060600", lintOK, ""},
	{lintYYMMDDHH, "00060623", lintOK, ""},
	{lintYYMMDDHH, "20001000", lkMonth, "20*00*1000"},
	{lintYYMMDDHH, "20093100", lkDay, "2009*31*00"},
	{lintYYMMDDHH, "00060624", lkHour, "000606*24*"},
	{lintYYMMDDHH, "200131x0", lkNonDigit, "200131*x*0"},
	{lintYYMMDDHH, "1111111", lkDateHourTooShort, "*1111111*"},
	{lintYYMMDDHH, "111111111", lkDateHourTooLong, "*111111111*"},
	// lint_hhmi.c, lint_hhmm.c, lint_hh.c, lint_mi.c, lint_mm.c, lint_ss.c, lint_mmoptss.c
	{lintHHMI, "0000", lintOK, ""},
	{lintHHMI, "2359", lintOK, ""},
	{lintHHMI, "2400", lkHour, "*24*00"},
	{lintHHMI, "0060", lkMinute, "00*60*"},
	{lintHHMI, "0x00", lkNonDigit, "0*x*00"},
	{lintHHMI, "000x", lkNonDigit, "000*x*"},
	{lintHHMI, "111", lkHourMinuteTooShort, "*111*"},
	{lintHHMI, "11111", lkHourMinuteTooLong, "*11111*"},
	{lintHHMM, "2300", lintOK, ""},
	{lintHHMM, "2400", lkHour, "*24*00"},
	{lintHHMM, "0060", lkMinute, "00*60*"},
	{lintHH, "23", lintOK, ""},
	{lintHH, "24", lkHour, "*24*"},
	{lintMI, "59", lintOK, ""},
	{lintMI, "60", lkMinute, "*60*"},
	{lintMM, "00", lintOK, ""},
	{lintMM, "60", lkMinute, "*60*"},
	{lintMM, "x0", lkNonDigit, "*x*0"},
	{lintMM, "1", lkMinuteTooShort, "*1*"},
	{lintMM, "111", lkMinuteTooLong, "*111*"},
	{lintSS, "59", lintOK, ""},
	{lintSS, "60", lkSecond, "*60*"},
	{lintMMOptSS, "00", lintOK, ""},
	{lintMMOptSS, "59", lintOK, ""},
	{lintMMOptSS, "60", lkMinute, "*60*"},
	{lintMMOptSS, "5900", lintOK, ""},
	{lintMMOptSS, "6000", lkMinute, "*60*00"},
	{lintMMOptSS, "0060", lkSecond, "00*60*"},
	{lintMMOptSS, "00x0", lkNonDigit, "00*x*0"},
	{lintMMOptSS, "111", lkMMSSLength, "*111*"},
	// lint_iso3166.c, lint_iso3166999.c, lint_iso3166alpha2.c, lint_iso4217.c
	{lintISO3166, "", lkNotISO3166, "**"},
	{lintISO3166, "000", lkNotISO3166, "*000*"},
	{lintISO3166, "004", lintOK, ""},
	{lintISO3166, "008", lintOK, ""},
	{lintISO3166, "894", lintOK, ""},
	{lintISO3166, "_894", lkNotISO3166, "*_894*"},
	{lintISO3166, "999", lkNotISO3166, "*999*"},
	{lintISO3166, "AAA", lkNotISO3166, "*AAA*"},
	{lintISO3166999, "999", lintOK, ""},
	{lintISO3166999, "004", lintOK, ""},
	{lintISO3166999, "998", lkNotISO3166Or999, "*998*"},
	{lintISO3166Alpha2, "AD", lintOK, ""},
	{lintISO3166Alpha2, "ZW", lintOK, ""},
	{lintISO3166Alpha2, "AA", lkNotISO3166Alpha2, "*AA*"},
	{lintISO3166Alpha2, "AD_", lkNotISO3166Alpha2, "*AD_*"},
	{lintISO3166Alpha2, "", lkNotISO3166Alpha2, "**"},
	{lintISO4217, "008", lintOK, ""},
	{lintISO4217, "978", lintOK, ""},
	{lintISO4217, "999", lintOK, ""},
	{lintISO4217, "000", lkNotISO4217, "*000*"},
	{lintISO4217, "_999", lkNotISO4217, "*_999*"},
	// lint_iso5218.c
	{lintISO5218, "0", lintOK, ""},
	{lintISO5218, "2", lintOK, ""},
	{lintISO5218, "9", lintOK, ""},
	{lintISO5218, "3", lkBiologicalSex, "*3*"},
	{lintISO5218, "01", lkBiologicalSex, "*01*"},
	// lint_iban.c
	{lintIBAN, "FR7630006000011234567890189", lintOK, ""},
	{lintIBAN, "DE91100000000123456789", lintOK, ""},
	{lintIBAN, "GR9608100010000001234567890", lintOK, ""},
	{lintIBAN, "MU43BOMM0101123456789101000MUR", lintOK, ""},
	{lintIBAN, "PK70BANK0000123456789000", lintOK, ""},
	{lintIBAN, "PL10105000997603123456789123", lintOK, ""},
	{lintIBAN, "RO09BCYP0000001234567890", lintOK, ""},
	{lintIBAN, "SA4420000001234567891234", lintOK, ""},
	{lintIBAN, "ES7921000813610123456789", lintOK, ""},
	{lintIBAN, "CH5604835012345678009", lintOK, ""},
	{lintIBAN, "GB98MIDL07009312345678", lintOK, ""},
	{lintIBAN, "BE71096123456769", lintOK, ""},
	{lintIBAN, "BE71096123456760", lkIBANChecksum, "BE*71*096123456760"},
	{lintIBAN, "LC14BOSL123456789012345678901234", lintOK, ""},
	{lintIBAN, "LC14BOSL123456789012345678901230", lkIBANChecksum, "LC*14*BOSL123456789012345678901230"},
	{lintIBAN, "MT90MALT011000012345MTLCAST001SABC", lintOK, ""},
	{lintIBAN, "MT90MALT011000012345MTLCAST001SAB0", lkIBANChecksum, "MT*90*MALT011000012345MTLCAST001SAB0"},
	{lintIBAN, "", lkIBANTooShort, "**"},
	{lintIBAN, "BE7", lkIBANTooShort, "*BE7*"},
	{lintIBAN, "BE71", lkIBANTooShort, "*BE71*"},
	{lintIBAN, "MTXXMALT011000012345MTLCAST001SABCD", lkIBANTooLong, "*MTXXMALT011000012345MTLCAST001SABCD*"},
	{lintIBAN, "LC14BOSLxx3456789012345678901230", lkIBANChar, "LC14BOSL*x*x3456789012345678901230"},
	{lintIBAN, "XX361234567890", lkIBANCountry, "*XX*361234567890"},
	// lint_latitude.c, lint_longitude.c, lint_latlong.c
	{lintLatitude, "0279085848", lintOK, ""},
	{lintLatitude, "1800000000", lintOK, ""},
	{lintLatitude, "027908584", lkLatitudeLength, "*027908584*"},
	{lintLatitude, "1800000001", lkLatitude, "*1800000001*"},
	{lintLongitude, "3015297971", lintOK, ""},
	{lintLongitude, "3600000000", lintOK, ""},
	{lintLongitude, "30152979711", lkLongitudeLength, "*30152979711*"},
	{lintLongitude, "3600000001", lkLongitude, "*3600000001*"},
	{lintLatLong, "02790858483015297971", lintOK, ""},
	{lintLatLong, "18000000003600000000", lintOK, ""},
	{lintLatLong, "0279085848301529797", lkLatLongLength, "*0279085848301529797*"},
	{lintLatLong, "18000000010000000000", lkLatitude, "*1800000001*0000000000"},
	{lintLatLong, "00000000003600000001", lkLongitude, "0000000000*3600000001*"},
	// lint_pieceoftotal.c
	{lintPieceOfTotal, "11", lintOK, ""},
	{lintPieceOfTotal, "89", lintOK, ""},
	{lintPieceOfTotal, "0103", lintOK, ""},
	{lintPieceOfTotal, "998999", lintOK, ""},
	{lintPieceOfTotal, "", lkPieceLength, "**"},
	{lintPieceOfTotal, "111", lkPieceLength, "*111*"},
	{lintPieceOfTotal, "55x55555", lkNonDigit, "55*x*55555"},
	{lintPieceOfTotal, "01", lkPieceZero, "*0*1"},
	{lintPieceOfTotal, "10", lkTotalZero, "1*0*"},
	{lintPieceOfTotal, "000001", lkPieceZero, "*000*001"},
	{lintPieceOfTotal, "001000", lkTotalZero, "001*000*"},
	{lintPieceOfTotal, "21", lkPieceExceedsTotal, "*21*"},
	{lintPieceOfTotal, "1009", lkPieceExceedsTotal, "*1009*"},
	{lintPieceOfTotal, "101100", lkPieceExceedsTotal, "*101100*"},
	// lint_posinseqslash.c
	{lintPosInSeqSlash, "1/1", lintOK, ""},
	{lintPosInSeqSlash, "9/10", lintOK, ""},
	{lintPosInSeqSlash, "100/100", lintOK, ""},
	{lintPosInSeqSlash, "", lkPositionMalformed, "**"},
	{lintPosInSeqSlash, "1/", lkPositionMalformed, "*1/*"},
	{lintPosInSeqSlash, "/1", lkPositionMalformed, "*/1*"},
	{lintPosInSeqSlash, "1//2", lkPositionMalformed, "*1//2*"},
	{lintPosInSeqSlash, "0/1", lkZeroPrefix, "*0*/1"},
	{lintPosInSeqSlash, "1/0", lkZeroPrefix, "1/*0*"},
	{lintPosInSeqSlash, "1/02", lkZeroPrefix, "1/*02*"},
	{lintPosInSeqSlash, "01/2", lkZeroPrefix, "*01*/2"},
	{lintPosInSeqSlash, "2/1", lkPositionExceedsEnd, "*2/1*"},
	{lintPosInSeqSlash, "10/9", lkPositionExceedsEnd, "*10/9*"},
	{lintPosInSeqSlash, "999/998", lkPositionExceedsEnd, "*999/998*"},
	// lint_importeridx.c
	{lintImporterIdx, "-", lintOK, ""},
	{lintImporterIdx, "_", lintOK, ""},
	{lintImporterIdx, "z", lintOK, ""},
	{lintImporterIdx, ".", lkImporterIdxChar, "*.*"},
	{lintImporterIdx, "~", lkImporterIdxChar, "*~*"},
	{lintImporterIdx, "/", lkImporterIdxChar, "*/*"},
	{lintImporterIdx, "", lkImporterIdxLength, "**"},
	{lintImporterIdx, "AA", lkImporterIdxLength, "*AA*"},
	// lint_nonzero.c, lint_zero.c, lint_nozeroprefix.c, lint_yesno.c, lint_winding.c, lint_hyphen.c, lint_hasnondigit.c
	{lintNonZero, "0", lkZeroValue, "*0*"},
	{lintNonZero, "0009", lintOK, ""},
	{lintNonZero, "9A99", lkNonDigit, "9*A*99"},
	{lintNonZero, "", lkZeroValue, "**"},
	{lintZero, "0", lintOK, ""},
	{lintZero, "1", lkNotZero, "*1*"},
	{lintNoZeroPrefix, "", lintOK, ""},
	{lintNoZeroPrefix, "10", lintOK, ""},
	{lintNoZeroPrefix, "012", lkZeroPrefix, "*0*12"},
	{lintNoZeroPrefix, "99A9", lkNonDigit, "99*A*9"},
	{lintYesNo, "0", lintOK, ""},
	{lintYesNo, "1", lintOK, ""},
	{lintYesNo, "2", lkNotZeroOrOne, "*2*"},
	{lintWinding, "0", lintOK, ""},
	{lintWinding, "9", lintOK, ""},
	{lintWinding, "2", lkWinding, "*2*"},
	{lintWinding, "01", lkWinding, "*01*"},
	{lintHyphen, "-", lintOK, ""},
	{lintHyphen, "--", lintOK, ""},
	{lintHyphen, "", lkNotHyphen, "**"},
	{lintHyphen, "XX", lkNotHyphen, "*XX*"},
	{lintHasNonDigit, "/123456789", lintOK, ""},
	{lintHasNonDigit, "A1", lintOK, ""},
	{lintHasNonDigit, "0123456789", lkRequiresNonDigit, "*0123456789*"},
	{lintHasNonDigit, "", lkRequiresNonDigit, "**"},
	// lint_pcenc.c
	{lintPcEnc, "", lintOK, ""},
	{lintPcEnc, "%00", lintOK, ""},
	{lintPcEnc, "%Ff", lintOK, ""},
	{lintPcEnc, "%fg", lkPercentSequence, "*%fg*"},
	{lintPcEnc, "%g", lkPercentSequence, "*%g*"},
	{lintPcEnc, "ABC%gXYZ", lkPercentSequence, "ABC*%gX*YZ"},
	{lintPcEnc, "ABCDEFGHIJKLMNOPQRSTUVWXYZ%00+12345", lintOK, ""},
	// lint_packagetype.c
	{lintPackageType, "1A", lintOK, ""},
	{lintPackageType, "8", lintOK, ""},
	{lintPackageType, "APE", lintOK, ""},
	{lintPackageType, "ZZ", lintOK, ""},
	{lintPackageType, "", lkPackageType, "**"},
	{lintPackageType, "_1A", lkPackageType, "*_1A*"},
	{lintPackageType, "200_", lkPackageType, "*200_*"},
	// lint_mediatype.c
	{lintMediaType, "01", lintOK, ""},
	{lintMediaType, "10", lintOK, ""},
	{lintMediaType, "80", lintOK, ""},
	{lintMediaType, "99", lintOK, ""},
	{lintMediaType, "00", lkMediaType, "*00*"},
	{lintMediaType, "11", lkMediaType, "*11*"},
	{lintMediaType, "79", lkMediaType, "*79*"},
	{lintMediaType, "_01", lkMediaType, "*_01*"},
	// lint_couponposoffer.c
	{lintCouponPosOffer, "a01234561234560123456", lkNonDigit, "*a*01234561234560123456"},
	{lintCouponPosOffer, "", lkCouponMissingFormatCode, "**"},
	{lintCouponPosOffer, "001234561234560123456", lintOK, ""},
	{lintCouponPosOffer, "101234561234560123456", lintOK, ""},
	{lintCouponPosOffer, "201234561234560123456", lkCouponInvalidFormatCode, "*2*01234561234560123456"},
	{lintCouponPosOffer, "0", lkCouponMissingFunderVLI, "*0*"},
	{lintCouponPosOffer, "00", lkCouponTruncatedFunder, "*00*"},
	{lintCouponPosOffer, "001", lkCouponTruncatedFunder, "00*1*"},
	{lintCouponPosOffer, "00123456", lkCouponTruncatedOfferCode, "*00123456*"},
	{lintCouponPosOffer, "07", lkCouponInvalidFunderLength, "0*7*"},
	{lintCouponPosOffer, "001234561", lkCouponTruncatedOfferCode, "00123456*1*"},
	{lintCouponPosOffer, "00123456123456", lkCouponMissingSerialVLI, "*00123456123456*"},
	{lintCouponPosOffer, "001234561234560", lkCouponTruncatedSerial, "*001234561234560*"},
	{lintCouponPosOffer, "0012345612345601", lkCouponTruncatedSerial, "001234561234560*1*"},
	{lintCouponPosOffer, "001234561234569123456789012345", lintOK, ""},
	{lintCouponPosOffer, "0012345612345601234567", lkCouponExcessData, "001234561234560123456*7*"},
	{lintCouponPosOffer, "061234567890121234569123456789012345", lintOK, ""},
	{lintCouponPosOffer, "0612345678901212345691234567890123456", lkCouponExcessData, "061234567890121234569123456789012345*6*"},
	// lint_couponcode.c
	{lintCouponCode, "012345612345611110123", lintOK, ""},
	{lintCouponCode, "a12345612345611110123", lkNonDigit, "*a*12345612345611110123"},
	{lintCouponCode, "", lkCouponMissingGCPVLI, "**"},
	{lintCouponCode, "01", lkCouponTruncatedGCP, "0*1*"},
	{lintCouponCode, "012345", lkCouponTruncatedGCP, "0*12345*"},
	{lintCouponCode, "0123456", lkCouponTruncatedOfferCode, "*0123456*"},
	{lintCouponCode, "1123456", lkCouponTruncatedGCP, "1*123456*"},
	{lintCouponCode, "6123456789012", lkCouponTruncatedOfferCode, "*6123456789012*"},
	{lintCouponCode, "71234567890123", lkCouponInvalidGCPLength, "*7*1234567890123"},
	{lintCouponCode, "01234561", lkCouponTruncatedOfferCode, "0123456*1*"},
	{lintCouponCode, "0123456123456", lkCouponMissingSaveValueVLI, "*0123456123456*"},
	{lintCouponCode, "01234561234560", lkCouponInvalidSaveValueLength, "0123456123456*0*"},
	{lintCouponCode, "01234561234561", lkCouponTruncatedSaveValue, "*01234561234561*"},
	{lintCouponCode, "012345612345611", lkCouponMissingReqVLI, "*012345612345611*"},
	{lintCouponCode, "012345612345621", lkCouponTruncatedSaveValue, "01234561234562*1*"},
}

// parseMarkup turns gse's "ab*cd*e" markup into the position and length
// of the marked bytes.
func parseMarkup(m string) (pos, n int) {
	i := strings.IndexByte(m, '*')
	j := strings.IndexByte(m[i+1:], '*')
	return i, j
}

func TestLinters_GSEUnitVectors(t *testing.T) {
	t.Parallel()
	for _, tc := range lintVectors {
		got := runLinter(tc.l, tc.in)
		if got.kind != tc.want {
			t.Errorf("%s(%q) = %s, want %s", linterNames[tc.l], tc.in, lintInfo[got.kind].msg, lintInfo[tc.want].msg)
			continue
		}
		if tc.markup == "" {
			continue
		}
		pos, n := parseMarkup(tc.markup)
		if got.pos != pos || got.n != n {
			t.Errorf("%s(%q) marks [%d,+%d), want [%d,+%d) (%s)", linterNames[tc.l], tc.in, got.pos, got.n, pos, n, tc.markup)
		}
	}
}

// TestCharsets_GSEUnitVectors carries lint_cset82.c, lint_cset39.c,
// lint_cset64.c: the full 82, 39 and 64 character sets and their
// neighbours.
func TestCharsets_GSEUnitVectors(t *testing.T) {
	t.Parallel()
	cset82 := "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
	cset39 := "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	cset64 := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for c := 0; c < 256; c++ {
		s := string([]byte{byte(c)})
		if ok := lintCharset('X', s).kind == lintOK; ok != strings.Contains(cset82, s) {
			t.Errorf("CSET 82 of %q = %v", s, ok)
		}
		if ok := lintCharset('Y', s).kind == lintOK; ok != strings.Contains(cset39, s) {
			t.Errorf("CSET 39 of %q = %v", s, ok)
		}
		if ok := lintCharset('Z', s).kind == lintOK; ok != strings.Contains(cset64, s) && c != '=' {
			t.Errorf("CSET 64 of %q = %v", s, ok)
		}
		if ok := lintCharset('N', s).kind == lintOK; ok != (c >= '0' && c <= '9') {
			t.Errorf("numeric of %q = %v", s, ok)
		}
	}
	for _, tc := range []struct {
		in     string
		want   lintKind
		markup string
	}{
		{"", lintOK, ""}, {"123", lintOK, ""}, {"12", lintOK, ""}, {"12=", lintOK, ""}, {"1==", lintOK, ""},
		{"===", lkCSET64Padding, "*===*"}, {"123=", lkCSET64Padding, "123*=*"}, {"12==", lkCSET64Padding, "12*==*"},
		{"1===", lkCSET64Padding, "1*===*"}, {"1234=", lkCSET64Padding, "1234*=*"},
		{"AB C", lkCSET64, "AB* *C"}, {" ABC", lkCSET64, "* *ABC"},
	} {
		got := lintCharset('Z', tc.in)
		if got.kind != tc.want {
			t.Errorf("cset64(%q) = %v, want %v", tc.in, got.kind, tc.want)
			continue
		}
		if tc.markup != "" {
			if pos, n := parseMarkup(tc.markup); got.pos != pos || got.n != n {
				t.Errorf("cset64(%q) marks [%d,+%d), want %s", tc.in, got.pos, got.n, tc.markup)
			}
		}
	}
}

// TestLintInfo_Complete makes sure every lint kind has a code and message
// and every linter constant a dictionary name.
func TestLintInfo_Complete(t *testing.T) {
	t.Parallel()
	for k := lintKind(1); k < numLintKinds; k++ {
		if lintInfo[k].code == "" || lintInfo[k].msg == "" {
			t.Errorf("lint kind %d has no code or message", k)
		}
	}
	for l := linter(1); l < numLinters; l++ {
		if linterNames[l] == "" {
			t.Errorf("linter %d has no name", l)
		}
	}
}
