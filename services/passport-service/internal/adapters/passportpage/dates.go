package passportpage

import (
	"fmt"
	"time"
)

// civilDate is a calendar day without a time zone.
type civilDate struct {
	Year  int
	Month time.Month
	Day   int
}

// parseGS1Date reads a GS1 date value YYMMDD (AIs 11, 13, 15, 16, 17).
//
// The century follows the GS1 General Specifications, section 7.12
// ("Determination of century in dates"): with YY the year in the code and
// CY the last two digits of the current year, a difference YY-CY of 51 to
// 99 means the previous century, -99 to -50 the next one, otherwise the
// current century. DD = 00 means the last day of the month (the General
// Specifications' definitions of AIs (11) to (17): "If only year and month
// are available, DD must be filled with two zeroes"; the dictionary's
// yymmd0 linter allows it). The dl engine has already refused impossible
// dates; this parser checks again because its century can differ from the
// engine's fixed one (a 29 February in 2100 is no date).
func parseGS1Date(v string, today civilDate) (civilDate, bool) {
	if len(v) != 6 {
		return civilDate{}, false
	}
	var n [3]int
	for i := 0; i < 3; i++ {
		a, b := v[2*i], v[2*i+1]
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return civilDate{}, false
		}
		n[i] = int(a-'0')*10 + int(b-'0')
	}
	yy, mm, dd := n[0], n[1], n[2]
	if mm < 1 || mm > 12 {
		return civilDate{}, false
	}
	century := today.Year - today.Year%100
	switch diff := yy - today.Year%100; {
	case diff >= 51:
		century -= 100
	case diff <= -50:
		century += 100
	}
	year := century + yy
	last := daysIn(year, time.Month(mm))
	if dd == 0 {
		dd = last
	}
	if dd > last {
		return civilDate{}, false
	}
	return civilDate{Year: year, Month: time.Month(mm), Day: dd}, true
}

// daysIn returns the number of days of month m in year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dateOf returns the calendar day of t in loc.
func dateOf(t time.Time, loc *time.Location) civilDate {
	y, m, d := t.In(loc).Date()
	return civilDate{Year: y, Month: m, Day: d}
}

// daysUntil returns the number of calendar days from a to b (negative when b
// is before a). Both are taken at UTC midnight, so daylight saving time
// changes cannot make a day 23 or 25 hours long.
func daysUntil(a, b civilDate) int {
	ta := time.Date(a.Year, a.Month, a.Day, 0, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 0, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Hours() / 24)
}

// iso returns d as YYYY-MM-DD, for the datetime attribute of <time>.
func (d civilDate) iso() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// format writes d the way the UI language writes dates in running text.
func (d civilDate) format(m *messages) string {
	return fmt.Sprintf(m.DateFormat, d.Day, m.Months[d.Month-1], d.Year)
}
