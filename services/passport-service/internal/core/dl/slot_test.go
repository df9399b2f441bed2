package dl_test

import (
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

func TestSlot_GivesEveryAIItsOwnSlot(t *testing.T) {
	t.Parallel()
	for ai, want := range map[string]int{"00": 0, "99": 99, "000": 100, "999": 1099, "0000": 1100, "9999": 11099, "01": 1, "001": 101, "8013": 9113} {
		got, ok := dl.Slot(ai)
		if !ok || got != want {
			t.Errorf("Slot(%q) = %d, %v; want %d", ai, got, ok, want)
		}
		if n, _ := dl.SlotOf(len(ai), want-map[int]int{2: 0, 3: 100, 4: 1100}[len(ai)]); n != want {
			t.Errorf("SlotOf for %q = %d, want %d", ai, n, want)
		}
	}
	for _, ai := range []string{"", "1", "12345", "0a", "+1", "١٢"} {
		if _, ok := dl.Slot(ai); ok {
			t.Errorf("Slot(%q) accepted", ai)
		}
	}
	for _, c := range [][2]int{{1, 0}, {5, 0}, {2, 100}, {3, 1000}, {4, 10000}, {2, -1}} {
		if _, ok := dl.SlotOf(c[0], c[1]); ok {
			t.Errorf("SlotOf(%d, %d) accepted", c[0], c[1])
		}
	}
	if s, _ := dl.Slot("9999"); s >= dl.Slots {
		t.Fatalf("slot %d outside Slots %d", s, dl.Slots)
	}
}
