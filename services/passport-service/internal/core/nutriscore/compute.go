package nutriscore

import "math"

// Facts are nutrition facts per 100 g or 100 ml; a nil pointer is an unknown
// value. Masses are in grams, energy in kJ or kcal, the fruit/vegetable/legume
// share in percent.
type Facts struct {
	EnergyKJ, EnergyKcal, Fat, SaturatedFat, Sugars, Salt, Sodium, Fibre, Protein, FruitVegLegumesPercent *float64
	// NonNutritiveSweeteners tells whether a beverage contains a non-nutritive
	// sweetener (erythritol does not count); it is ignored for foods.
	NonNutritiveSweeteners *bool
}

// Status says whether a Result holds a grade.
type Status string

// The statuses of a Result.
const (
	// StatusComputed means Grade and Score hold the Nutri-Score.
	StatusComputed Status = "computed"
	// StatusNotApplicable means the algorithm excludes the product's class.
	StatusNotApplicable Status = "not_applicable"
	// StatusUnknown means required facts are missing (listed in Result.Missing).
	StatusUnknown Status = "unknown"
)

// Component kinds.
const (
	// KindNegative marks a component whose points are added to the score.
	KindNegative = "negative"
	// KindPositive marks a component whose points are subtracted from the score.
	KindPositive = "positive"
)

// Component ids, also used as fact names in Result.Missing and Result.Assumed.
const (
	// IDEnergy is energy in kJ (foods other than fats, and beverages).
	IDEnergy = "energy"
	// IDEnergyFromSaturatedFat is saturated fat x 37 kJ (fats, oils, nuts and seeds).
	IDEnergyFromSaturatedFat = "energy_from_saturated_fat"
	// IDSugars is sugars in g.
	IDSugars = "sugars"
	// IDSaturatedFat is saturated fat in g.
	IDSaturatedFat = "saturated_fat"
	// IDSaturatedFatRatio is saturated fat / fat in % (fats, oils, nuts and seeds).
	IDSaturatedFatRatio = "saturated_fat_ratio"
	// IDSalt is salt in g, from sodium x 2.5 when salt is not given.
	IDSalt = "salt"
	// IDNonNutritiveSweeteners is the presence (1) or absence (0) of a non-nutritive sweetener in a beverage.
	IDNonNutritiveSweeteners = "non_nutritive_sweeteners"
	// IDFibre is fibre in g.
	IDFibre = "fibre"
	// IDProtein is protein in g.
	IDProtein = "protein"
	// IDFruitVegLegumes is the fruit, vegetable and legume share in %.
	IDFruitVegLegumes = "fruit_veg_legumes"
	// IDFat names the total-fat fact, required for FatsOilsNutsSeeds; it is no component.
	IDFat = "fat"
	// IDClass is listed in Result.Missing when Compute gets a Class it does not know.
	IDClass = "class"
)

// Component is the contribution of one nutrient to the score.
type Component struct {
	ID        string  // one of the ID constants
	Kind      string  // KindNegative or KindPositive
	Value     float64 // the value scored, after derivations (kJ, g, % or 1/0 for sweeteners)
	Unit      string  // "kJ", "g", "%" or "" for sweeteners
	Points    int     // points given, after the red-meat protein cap
	MaxPoints int     // points the component's table can give
}

// Result is a computed Nutri-Score with the detail of its points.
type Result struct {
	Status Status
	Class  Class
	// Grade is "A".."E" when Status is StatusComputed, "" otherwise.
	Grade string
	// Score is Negative - Positive.
	Score              int
	Negative, Positive int
	// Components lists the negative components, then the positive ones that
	// count; protein is left out when ProteinCounted is false.
	Components []Component
	// ProteinCounted is false when the protein rule left protein points out.
	ProteinCounted bool
	// Missing lists required facts that were unknown, when Status is StatusUnknown.
	Missing []string
	// Assumed lists facts that were unknown and scored as 0 or absent
	// (fibre, fruit_veg_legumes, non_nutritive_sweeteners; any fact for water).
	Assumed []string
}

// Conversion factors.
const (
	kJPerKcal          = 4.184 // 1 kcal (thermochemical calorie) = 4.184 kJ
	saltPerSodium      = 2.5   // salt = sodium x 2.5, EU Regulation 1169/2011 Annex I
	kJPerGSaturatedFat = 37    // fat energy factor of EU Regulation 1169/2011 Annex XIV; OFF Food.pm compute_nutriscore_data
	redMeatProteinCap  = 2     // Nutriscore.pm, OFF PR #9081
)

// Compute returns the Nutri-Score 2023 of a product of class c with facts f.
// It never panics; negative or NaN inputs are the caller's to refuse and
// simply score as the comparisons make them.
func Compute(c Class, f Facts) Result {
	switch c {
	case NotApplicable:
		return Result{Status: StatusNotApplicable, Class: c}
	case General, RedMeat, Cheese, FatsOilsNutsSeeds, Beverage, Water:
	default:
		return Result{Status: StatusUnknown, Class: c, Missing: []string{IDClass}}
	}

	var in inputs
	in.read(c, f)
	if len(in.missing) > 0 && c != Water {
		return Result{Status: StatusUnknown, Class: c, Missing: in.missing}
	}
	t := &foodTables
	if c == Beverage || c == Water {
		t = &beverageTables
	}

	r := Result{Status: StatusComputed, Class: c, Assumed: in.assumed}
	r.Components = make([]Component, 0, 8)
	add := func(id, kind, unit string, v float64, points, maxPoints int) {
		r.Components = append(r.Components, Component{ID: id, Kind: kind, Value: v, Unit: unit, Points: points, MaxPoints: maxPoints})
		if kind == KindNegative {
			r.Negative += points
		} else {
			r.Positive += points
		}
	}

	if c == FatsOilsNutsSeeds {
		efs := in.satFat * kJPerGSaturatedFat
		add(IDEnergyFromSaturatedFat, KindNegative, "kJ", efs, above(efs, energyFromSaturatesThresholds), len(energyFromSaturatesThresholds))
	} else {
		add(IDEnergy, KindNegative, "kJ", in.energy, above(in.energy, t.energy), len(t.energy))
	}
	add(IDSugars, KindNegative, "g", in.sugars, above(in.sugars, t.sugars), len(t.sugars))
	if c == FatsOilsNutsSeeds {
		ratio := saturatedFatRatio(in.satFat, in.fat)
		add(IDSaturatedFatRatio, KindNegative, "%", ratio, reached(ratio, saturatedFatRatioThresholds), len(saturatedFatRatioThresholds))
	} else {
		add(IDSaturatedFat, KindNegative, "g", in.satFat, above(in.satFat, saturatedFatThresholds), len(saturatedFatThresholds))
	}
	add(IDSalt, KindNegative, "g", in.salt, above(in.salt, saltThresholds), len(saltThresholds))
	if c == Beverage || c == Water {
		v, p := 0.0, 0
		if in.sweeteners {
			v, p = 1, nonNutritiveSweetenerPoints
		}
		add(IDNonNutritiveSweeteners, KindNegative, "", v, p, nonNutritiveSweetenerPoints)
	}

	switch c {
	case Beverage, Water, Cheese:
		r.ProteinCounted = true
	case FatsOilsNutsSeeds:
		r.ProteinCounted = r.Negative < 7
	default:
		r.ProteinCounted = r.Negative < 11
	}
	if r.ProteinCounted {
		p := above(in.protein, t.protein)
		if c == RedMeat {
			p = min(p, redMeatProteinCap)
		}
		add(IDProtein, KindPositive, "g", in.protein, p, len(t.protein))
	}
	add(IDFibre, KindPositive, "g", in.fibre, above(in.fibre, fibreThresholds), len(fibreThresholds))
	add(IDFruitVegLegumes, KindPositive, "%", in.fvl, above(in.fvl, t.fruitVegLegumes), len(t.fruitVegLegumes))

	r.Score = r.Negative - r.Positive
	r.Grade = grade(c, r.Score)
	return r
}

// inputs are the facts after derivations and defaults.
type inputs struct {
	energy, sugars, satFat, fat, salt, protein, fibre, fvl float64
	sweeteners                                             bool
	missing, assumed                                       []string
}

// read derives the scored values from f, recording required facts that are
// missing and optional ones that were defaulted.
func (in *inputs) read(c Class, f Facts) {
	req := func(id string, p *float64) float64 {
		if p == nil {
			in.missing = append(in.missing, id)
			return 0
		}
		return *p
	}
	opt := func(id string, p *float64) float64 {
		if p == nil {
			in.assumed = append(in.assumed, id)
			return 0
		}
		return *p
	}
	switch {
	case f.EnergyKJ != nil:
		in.energy = *f.EnergyKJ
	case f.EnergyKcal != nil:
		in.energy = *f.EnergyKcal * kJPerKcal
	default:
		// OFF requires energy for every product, even for the fats family,
		// which scores energy from saturates instead.
		in.missing = append(in.missing, IDEnergy)
	}
	in.sugars = req(IDSugars, f.Sugars)
	switch {
	case f.SaturatedFat != nil:
		in.satFat = *f.SaturatedFat
	case f.Fat != nil && *f.Fat == 0:
		// OFF saturated_fat_0_because_of_fat_0.
		in.satFat = 0
	default:
		in.missing = append(in.missing, IDSaturatedFat)
	}
	if c == FatsOilsNutsSeeds {
		in.fat = req(IDFat, f.Fat)
	}
	switch {
	case f.Salt != nil:
		in.salt = *f.Salt
	case f.Sodium != nil:
		in.salt = *f.Sodium * saltPerSodium
	default:
		in.missing = append(in.missing, IDSalt)
	}
	in.protein = req(IDProtein, f.Protein)
	in.fibre = opt(IDFibre, f.Fibre)
	in.fvl = opt(IDFruitVegLegumes, f.FruitVegLegumesPercent)
	if c == Beverage || c == Water {
		if f.NonNutritiveSweeteners == nil {
			in.assumed = append(in.assumed, IDNonNutritiveSweeteners)
		} else {
			in.sweeteners = *f.NonNutritiveSweeteners
		}
	}
	if c == Water {
		// Water is graded A whatever it declares; unknown facts score 0.
		in.assumed = append(in.missing, in.assumed...)
		in.missing = nil
	}
}

// saturatedFatRatio is saturated fat / fat x 100 rounded to one decimal, as
// OFF Food.pm saturated_fat_ratio and compute_nutriscore_data do: 0 without
// saturated fat, and fat taken as the saturated fat when it is not positive.
func saturatedFatRatio(satFat, fat float64) float64 {
	if !(satFat > 0) {
		return 0
	}
	if !(fat > 0) {
		fat = satFat
	}
	return math.Round(satFat/fat*100*10) / 10
}

// above counts the thresholds v strictly exceeds; thresholds are ascending.
func above(v float64, thresholds []float64) int {
	n := 0
	for _, t := range thresholds {
		if v > t {
			n++
		}
	}
	return n
}

// reached counts the thresholds v reaches or exceeds; thresholds are ascending.
func reached(v float64, thresholds []float64) int {
	n := 0
	for _, t := range thresholds {
		if v >= t {
			n++
		}
	}
	return n
}

// grade maps a score to its letter for the class (OFF PR #9190 bounds).
func grade(c Class, score int) string {
	switch c {
	case Water:
		return "A"
	case Beverage:
		switch {
		case score <= 2:
			return "B"
		case score <= 6:
			return "C"
		case score <= 9:
			return "D"
		}
		return "E"
	}
	aBound := 0
	if c == FatsOilsNutsSeeds {
		aBound = -6
	}
	switch {
	case score <= aBound:
		return "A"
	case score <= 2:
		return "B"
	case score <= 10:
		return "C"
	case score <= 18:
		return "D"
	}
	return "E"
}
