package main

import (
	"testing"
	"time"
)

func TestOccurredAt_ReadsTheEnvelopeTime(t *testing.T) {
	t.Parallel()
	v := []byte(`{"id":"0190","type":"passport.scan.recorded","version":1,"occurred_at":"2026-05-04T03:02:01.123456789Z","data":{}}`)
	got, ok := occurredAt(v)
	if !ok || !got.Equal(time.Date(2026, 5, 4, 3, 2, 1, 123456789, time.UTC)) {
		t.Fatalf("occurredAt = %v, %v", got, ok)
	}
	for _, bad := range []string{`{}`, `{"occurred_at":"yesterday"}`, `{"occurred_at":"2026-05-04T03:02:01Z`} {
		if _, ok := occurredAt([]byte(bad)); ok {
			t.Errorf("occurredAt(%s) accepted", bad)
		}
	}
}

func TestScanWatch_WindowCountsAndQuantiles(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := &scanWatch{}
	for i := range 100 {
		occ := t0.Add(time.Duration(i) * 10 * time.Millisecond)
		w.events = append(w.events, scanEvent{occurred: occ, produced: occ.Add(time.Duration(i+1) * time.Millisecond),
			consumed: occ.Add(time.Second)})
	}
	st := w.window(t0, t0.Add(500*time.Millisecond)) // the first 50
	if st.scans != 50 || st.perSecond != 100 {
		t.Fatalf("window: %+v", st)
	}
	if st.lagP50 != 25*time.Millisecond || st.lagP99 != 50*time.Millisecond || st.lagMax != 50*time.Millisecond || st.consumeP99 != time.Second {
		t.Fatalf("quantiles: %+v", st)
	}
	if empty := w.window(t0.Add(time.Hour), t0.Add(2*time.Hour)); empty.scans != 0 || empty.lagP99 != 0 {
		t.Fatalf("empty window: %+v", empty)
	}
}
