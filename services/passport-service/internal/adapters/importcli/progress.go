package importcli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

type progressMode int

const (
	progressNone progressMode = iota
	progressLines
	progressBar
)

// Redraw intervals: a bar is cheap to redraw in place; a log gets a line
// every few seconds at most.
const (
	barInterval  = 200 * time.Millisecond
	lineInterval = 2 * time.Second
)

// progress shows how far the current file is: a bar redrawn in place on a
// terminal, plain lines elsewhere. Time left comes from the bytes read so
// far against the file's size.
type progress struct {
	w    io.Writer
	mode progressMode
	now  func() time.Time

	name          string
	startOffset   int64
	size          int64
	baseRecords   int64
	started, last time.Time
	drawn         bool // a bar is on screen
}

// begin starts a file of size bytes, read from offset, when the run has
// read records records.
func (p *progress) begin(name string, offset, size, records int64) {
	p.name, p.startOffset, p.size, p.baseRecords = name, offset, size, records
	p.started = p.now()
	p.last = p.started
}

// update reports that the file is read up to offset and the run has read
// records records.
func (p *progress) update(offset, records int64) {
	if p.mode == progressNone {
		return
	}
	records -= p.baseRecords
	now := p.now()
	interval := lineInterval
	if p.mode == progressBar {
		interval = barInterval
	}
	if now.Sub(p.last) < interval {
		return
	}
	p.last = now
	elapsed := now.Sub(p.started).Seconds()
	rate := 0.0
	left := "?"
	if elapsed > 0 {
		rate = float64(records) / elapsed
		if done := offset - p.startOffset; done > 0 {
			secs := float64(p.size-offset) / (float64(done) / elapsed)
			left = formatDuration(time.Duration(secs * float64(time.Second)))
		}
	}
	if p.mode == progressLines {
		_, _ = fmt.Fprintf(p.w, "%s: %d records, %s/s, %s left\n", p.name, records, formatRate(rate), left)
		return
	}
	const width = 24
	frac := 1.0
	if p.size > 0 {
		frac = min(1, max(0, float64(offset)/float64(p.size)))
	}
	full := int(frac * width)
	bar := strings.Repeat("=", full) + strings.Repeat(" ", width-full)
	_, _ = fmt.Fprintf(p.w, "\r%s [%s] %3d%% %d records %s/s %s left\x1b[K",
		p.name, bar, int(frac*100), records, formatRate(rate), left)
	p.drawn = true
}

// done ends the current file.
func (p *progress) done() { p.clear() }

// clear removes the bar, so that other lines can be written.
func (p *progress) clear() {
	if p.drawn {
		_, _ = io.WriteString(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// formatDuration rounds d for people: "0.4 s", "12 s", "3 min 20 s",
// "1 h 5 min".
func formatDuration(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
	case d < time.Minute:
		return strconv.Itoa(int(d.Round(time.Second).Seconds())) + " s"
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
}

// formatRate rounds a rate to a whole number.
func formatRate(r float64) string {
	if r != r || r < 0 || r > 1e12 { // NaN, or a rate over no time
		return "0"
	}
	return strconv.FormatInt(int64(r+0.5), 10)
}
