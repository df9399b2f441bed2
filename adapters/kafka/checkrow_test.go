package kafka

import (
	"testing"

	"github.com/packytrace/packytrace/adapters/kafka/internal/outboxdb"
)

func TestCheckRow_RefusesOffsetsThatDoNotCutThePayload(t *testing.T) {
	t.Parallel()
	row := func(ends []int32, payload string, ids int) *outboxdb.FetchOutboxRow {
		r := &outboxdb.FetchOutboxRow{ID: 7, PayloadEnds: ends, Payload: []byte(payload)}
		for range ids {
			r.EventIds = append(r.EventIds, "id")
			r.EventKeys = append(r.EventKeys, "k")
		}
		return r
	}
	tests := []struct {
		name string
		row  *outboxdb.FetchOutboxRow
		ok   bool
	}{
		{"one event", row([]int32{3}, "abc", 1), true},
		{"three events", row([]int32{1, 3, 6}, "abcdef", 3), true},
		{"no events", row(nil, "", 0), false},
		{"falling offset", row([]int32{4, 2, 6}, "abcdef", 3), false},
		{"empty payload", row([]int32{2, 2, 6}, "abcdef", 3), false},
		{"bytes left over", row([]int32{1, 3}, "abcdef", 2), false},
		{"offset past the end", row([]int32{1, 9}, "abcdef", 2), false},
		{"fewer offsets than ids", row([]int32{6}, "abcdef", 2), false},
	}
	for _, tt := range tests {
		if err := checkRow(tt.row); (err == nil) != tt.ok {
			t.Errorf("%s: checkRow = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
