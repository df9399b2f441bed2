package nutriscore_test

import (
	"math"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
)

// FuzzCompute feeds arbitrary facts and class names from outside sources.
// Properties: nothing panics; an unknown class name is refused by ParseClass
// and reported as unknown by Compute; every computed result keeps the
// invariants of checkInvariants.
func FuzzCompute(f *testing.F) {
	f.Add("general", 315.0, 0.9, 0.1, 3.6, 1.2, 5.0, 5.3, 50.0, false, uint8(0))
	f.Add("fats_oils_nuts_seeds", 3367.0, 91.0, 17.0, 0.0, 0.0, 0.0, 0.0, 100.0, false, uint8(0))
	f.Add("beverage", 82.0, 0.0, 0.0, 4.5, 0.03, 0.0, 0.0, 0.1, true, uint8(0))
	f.Add("red_meat", 82.0, 20.0, 10.0, 0.0, 0.0, 50.0, 0.0, 0.0, false, uint8(0x60))
	f.Add("water", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, false, uint8(0xff))
	f.Add("cheese", -1.0, math.NaN(), math.Inf(1), math.Copysign(0, -1), 1e308, -1e308, 0.0, 0.0, false, uint8(0x0f))
	f.Add("Pizza", 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, true, uint8(0))
	f.Fuzz(func(t *testing.T, class string, energy, fat, sat, sugars, salt, protein, fibre, fvl float64, sweet bool, unknown uint8) {
		// Each bit of unknown drops one fact, to reach the missing-fact paths.
		pick := func(bit uint, v float64) *float64 {
			if unknown&(1<<bit) != 0 {
				return nil
			}
			return &v
		}
		facts := nutriscore.Facts{
			EnergyKJ: pick(0, energy), EnergyKcal: pick(7, energy), Fat: pick(1, fat), SaturatedFat: pick(2, sat),
			Sugars: pick(3, sugars), Salt: pick(4, salt), Sodium: pick(4, salt), Protein: pick(5, protein),
			Fibre: pick(6, fibre), FruitVegLegumesPercent: pick(6, fvl), NonNutritiveSweeteners: &sweet,
		}
		c, ok := nutriscore.ParseClass(class)
		r := nutriscore.Compute(nutriscore.Class(class), facts)
		if !ok {
			if r.Status != nutriscore.StatusUnknown {
				t.Fatalf("class %q: status %q", class, r.Status)
			}
			return
		}
		if c == nutriscore.NotApplicable && r.Status != nutriscore.StatusNotApplicable {
			t.Fatalf("not applicable: status %q", r.Status)
		}
		if r.Status == nutriscore.StatusUnknown && len(r.Missing) == 0 {
			t.Fatal("unknown without missing facts")
		}
		checkInvariants(t, c, r)
	})
}

// FuzzClassifyCategories feeds arbitrary comma-separated category tags.
// Properties: nothing panics and the result is always a valid Class.
func FuzzClassifyCategories(f *testing.F) {
	f.Add("en:beverages,en:waters,en:spring-waters")
	f.Add("en:beverages,en:alcoholic-beverages,en:beers")
	f.Add("en:dairies,en:cheeses,fr:fromages-blancs")
	f.Add("en:plant-based-foods,en:nuts,en:chestnuts")
	f.Add(" EN:BEEF ,,")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		c := nutriscore.ClassifyCategories(strings.Split(in, ","))
		if _, ok := nutriscore.ParseClass(string(c)); !ok {
			t.Fatalf("ClassifyCategories(%q) = %q, not a class", in, c)
		}
	})
}
