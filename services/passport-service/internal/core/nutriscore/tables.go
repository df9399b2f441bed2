package nutriscore

// Points thresholds of the 2023 algorithm, ascending, per 100 g or 100 ml.
// Source: OFF lib/ProductOpener/Nutriscore.pm %points_thresholds_2023 at
// commit 01fe6f8e (20 salt steps of 0.2 g; the older ad362d64 copy repeats
// 3.2), cross-checked with the nghiamphan/nutri-score-2023 tables.
var (
	// Negative points, general foods (incl. red meat and cheese) and fats.
	energyThresholds       = []float64{335, 670, 1005, 1340, 1675, 2010, 2345, 2680, 3015, 3350}                                   // kJ
	sugarsThresholds       = []float64{3.4, 6.8, 10, 14, 17, 20, 24, 27, 31, 34, 37, 41, 44, 48, 51}                               // g
	saturatedFatThresholds = []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}                                                              // g, beverages too
	saltThresholds         = []float64{0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4, 2.6, 2.8, 3, 3.2, 3.4, 3.6, 3.8, 4} // g, all classes

	// Fats, oils, nuts and seeds replace energy and saturated fat with these.
	energyFromSaturatesThresholds = []float64{120, 240, 360, 480, 600, 720, 840, 960, 1080, 1200} // kJ
	saturatedFatRatioThresholds   = []float64{10, 16, 22, 28, 34, 40, 46, 52, 58, 64}             // %, counted with >=

	// Negative points, beverages.
	beverageEnergyThresholds = []float64{30, 90, 150, 210, 240, 270, 300, 330, 360, 390} // kJ
	beverageSugarsThresholds = []float64{0.5, 2, 3.5, 5, 6, 7, 8, 9, 10, 11}             // g

	// Positive points. Repeated thresholds make a step worth several points:
	// foods get 1, 2 then 5 points above 40, 60 and 80 %; beverages 2, 4, 6.
	fibreThresholds                   = []float64{3.0, 4.1, 5.2, 6.3, 7.4}           // g, all classes
	proteinThresholds                 = []float64{2.4, 4.8, 7.2, 9.6, 12, 14, 17}    // g
	beverageProteinThresholds         = []float64{1.2, 1.5, 1.8, 2.1, 2.4, 2.7, 3.0} // g
	fruitVegLegumesThresholds         = []float64{40, 60, 80, 80, 80}                // %
	beverageFruitVegLegumesThresholds = []float64{40, 40, 60, 60, 80, 80}            // %
)

// nonNutritiveSweetenerPoints are added for a beverage with a non-nutritive sweetener.
const nonNutritiveSweetenerPoints = 4

// tables are the thresholds that differ between foods and beverages.
type tables struct {
	energy, sugars, protein, fruitVegLegumes []float64
}

var (
	foodTables     = tables{energyThresholds, sugarsThresholds, proteinThresholds, fruitVegLegumesThresholds}
	beverageTables = tables{beverageEnergyThresholds, beverageSugarsThresholds, beverageProteinThresholds, beverageFruitVegLegumesThresholds}
)
