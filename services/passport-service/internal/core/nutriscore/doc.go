// Package nutriscore computes the 2023 Nutri-Score (score and letter grade)
// of a food or drink from its nutrition facts per 100 g or 100 ml, so the
// passport can show a grade even when a product's source gives none, and can
// explain every point it gives.
//
// Scope: the 2023 algorithm only (foods updated in 2022, beverages in 2023),
// as Open Food Facts (OFF) implements it. Classification of a product into a
// computation family (Class) is a separate step: ClassifyCategories maps OFF
// category tags to a Class, and Compute takes the Class and the Facts.
// Nothing is estimated from ingredients: the caller gives the
// fruit/vegetable/legume share if it knows it.
//
// Sources (figures only; no code or prose was taken from them):
//   - Points tables and protein rules: OFF lib/ProductOpener/Nutriscore.pm,
//     %points_thresholds_2023 and compute_nutriscore_score_2023 (commit
//     01fe6f8e; the older copy ad362d64 has a duplicated salt threshold and a
//     wrong A bound, which are not used here).
//   - Grade bounds: OFF PR openfoodfacts-server#9190 (general foods A is
//     score <= 0, fats/oils/nuts/seeds A is <= -6), matching the table in
//     nghiamphan/nutri-score-2023 README and Nutriscore.pm
//     compute_nutriscore_grade_2023 at 01fe6f8e.
//   - Data preparation (what is required, what defaults to zero, the
//     saturated-fat ratio and its rounding, energy from saturates = saturated
//     fat x 37 kJ): OFF lib/ProductOpener/Food.pm compute_nutriscore_data,
//     saturated_fat_ratio, saturated_fat_0_because_of_fat_0 and
//     check_availability_of_nutrients_needed_for_nutriscore.
//   - The official report quoted by OFF issue #7450
//     (2022_main_algorithm_report_update_FINAL.pdf).
//
// Rules, in short:
//   - Points for a component = number of thresholds its value strictly
//     exceeds; the saturated-fat ratio alone counts thresholds it reaches
//     (value >= threshold). Values are not rounded ("there is now no rounding
//     of nutrient values", Nutri-Score FAQ of 27/09/2022 as quoted in
//     Nutriscore.pm), except the saturated-fat/fat ratio, which OFF rounds to
//     one decimal (Food.pm: round_to_max_decimal_places(..., 1)).
//   - Score = negative points - positive points. Protein points count when
//     negative points are below 11 (general foods, red meat) or below 7
//     (fats, oils, nuts and seeds), and always for cheese and beverages. Red
//     meat products get at most 2 protein points.
//   - Waters always get A. Beverages never get A.
//
// Missing facts follow OFF: energy, sugars, saturated fat, salt (or sodium)
// and protein are required, and fat too for fats/oils/nuts/seeds; without
// one of them the result is StatusUnknown with the missing names listed.
// Saturated fat missing while fat is 0 is taken as 0 (OFF
// saturated_fat_0_because_of_fat_0). Fibre and the fruit/vegetable/legume
// share, when missing, count as 0 points, as OFF does for fibre (it only adds
// the nutriscore-missing-fiber warning) and for a share it cannot estimate;
// such defaults are listed in Result.Assumed so a caller can say the grade may
// be pessimistic. A beverage without sweetener information is taken to have
// no non-nutritive sweetener (OFF reads an absent count as absence).
package nutriscore
