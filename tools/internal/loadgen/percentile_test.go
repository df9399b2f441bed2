package loadgen

import (
	"testing"
	"time"
)

func TestPercentile_NearestRank(t *testing.T) {
	t.Parallel()
	ten := make([]time.Duration, 10)
	for i := range ten {
		ten[i] = time.Duration(i+1) * time.Millisecond
	}
	hundredOne := make([]time.Duration, 101)
	for i := range hundredOne {
		hundredOne[i] = time.Duration(i)
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      int
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one sample", []time.Duration{7}, 99, 7},
		{"p50 of ten", ten, 50, 5 * time.Millisecond},
		{"p90 of ten", ten, 90, 9 * time.Millisecond},
		{"p99 of ten", ten, 99, 10 * time.Millisecond},
		{"p100 of ten", ten, 100, 10 * time.Millisecond},
		{"p50 of 101", hundredOne, 50, 50},
		{"p99 of 101", hundredOne, 99, 99},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Fatalf("percentile(p%d) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}
