package importcli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fakeClock advances by step on every reading.
type fakeClock struct {
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time { c.t = c.t.Add(c.step); return c.t }

func TestProgress_Display(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		mode  progressMode
		step  time.Duration
		want  []string
		avoid []string
	}{
		{"lines every 2 s", progressLines, 2 * time.Second,
			[]string{"f.jsonl: 2000 records, 1000/s, 2.0 s left\n"}, []string{"\r"}},
		{"no line before 2 s", progressLines, 100 * time.Millisecond, nil, []string{"records"}},
		{"bar", progressBar, 2 * time.Second,
			[]string{"\rf.jsonl [============            ]  50% 2000 records 1000/s 2.0 s left\x1b[K", "\r\x1b[K"}, nil},
		{"none", progressNone, time.Second, nil, []string{"records"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			clock := &fakeClock{t: time.Unix(0, 0), step: tt.step}
			p := &progress{w: &out, mode: tt.mode, now: clock.now}
			p.begin("f.jsonl", 0, 1000, 500) // 500 records from an earlier file
			p.update(500, 2500)              // read at the second clock reading
			p.done()
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output %q lacks %q", out.String(), w)
				}
			}
			for _, a := range tt.avoid {
				if strings.Contains(out.String(), a) {
					t.Errorf("output %q has %q", out.String(), a)
				}
			}
		})
	}
}

func TestFormatDuration_Rounding(t *testing.T) {
	t.Parallel()
	tests := map[time.Duration]string{
		400 * time.Millisecond:                     "0.4 s",
		12*time.Second + 300000000:                 "12 s",
		200 * time.Second:                          "3 min 20 s",
		time.Hour + 5*time.Minute + 20*time.Second: "1 h 5 min",
	}
	for d, want := range tests {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
