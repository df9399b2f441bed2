package postgres

import (
	"encoding/json"
	"fmt"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
)

// productDoc is the storage form of a product's facts (passport.products.doc):
// everything but the columns (GTIN, brand, version, times). Members with
// the zero value are left out, so jsonb equality compares only facts.
type productDoc struct {
	Names           map[string]string `json:"names,omitempty"`
	NetContent      *quantityDoc      `json:"net_content,omitempty"`
	Category        string            `json:"category,omitempty"`
	Categories      []string          `json:"categories,omitempty"`
	NutriScoreClass string            `json:"nutri_score_class,omitempty"`
	Ingredients     map[string]string `json:"ingredients,omitempty"`
	Allergens       []string          `json:"allergens,omitempty"`
	Traces          []string          `json:"traces,omitempty"`
	Nutrition       *nutritionDoc     `json:"nutrition,omitempty"`
	Packaging       []packagingDoc    `json:"packaging,omitempty"`
	Origin          string            `json:"origin,omitempty"`
	ImageURL        string            `json:"image_url,omitempty"`
	Attribution     string            `json:"attribution,omitempty"`
	NutriScore      nutriScoreDoc     `json:"nutri_score"`
}

type quantityDoc struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// nutritionDoc is also the "nutrition" member of passport.product.changed
// v1, whose schema has the same names.
type nutritionDoc struct {
	Per                    string   `json:"per"`
	EnergyKJ               *float64 `json:"energy_kj,omitempty"`
	EnergyKcal             *float64 `json:"energy_kcal,omitempty"`
	Fat                    *float64 `json:"fat,omitempty"`
	SaturatedFat           *float64 `json:"saturated_fat,omitempty"`
	Carbohydrates          *float64 `json:"carbohydrates,omitempty"`
	Sugars                 *float64 `json:"sugars,omitempty"`
	Fibre                  *float64 `json:"fibre,omitempty"`
	Protein                *float64 `json:"protein,omitempty"`
	Salt                   *float64 `json:"salt,omitempty"`
	Sodium                 *float64 `json:"sodium,omitempty"`
	FruitVegLegumes        *float64 `json:"fruit_veg_legumes,omitempty"`
	NonNutritiveSweeteners *bool    `json:"non_nutritive_sweeteners,omitempty"`
}

type packagingDoc struct {
	Shape     string `json:"shape,omitempty"`
	Material  string `json:"material,omitempty"`
	Recycling string `json:"recycling,omitempty"`
	Count     int    `json:"count"`
}

type nutriScoreDoc struct {
	Status         string         `json:"status"`
	Class          string         `json:"class"`
	Grade          string         `json:"grade,omitempty"`
	Score          int            `json:"score"`
	Negative       int            `json:"negative"`
	Positive       int            `json:"positive"`
	ProteinCounted bool           `json:"protein_counted"`
	Missing        []string       `json:"missing,omitempty"`
	Assumed        []string       `json:"assumed,omitempty"`
	Components     []componentDoc `json:"components,omitempty"`
}

type componentDoc struct {
	ID        string  `json:"id"`
	Kind      string  `json:"kind"`
	Value     float64 `json:"value"`
	Unit      string  `json:"unit,omitempty"`
	Points    int     `json:"points"`
	MaxPoints int     `json:"max_points"`
}

func toDoc(p *catalog.Product) productDoc {
	d := productDoc{
		Names: p.Names, Category: p.Category, Categories: p.Categories,
		NutriScoreClass: string(p.NutriScoreClass), Ingredients: p.Ingredients,
		Allergens: allergenStrings(p.Allergens), Traces: allergenStrings(p.Traces),
		Origin: p.Origin, ImageURL: p.ImageURL, Attribution: p.Attribution,
	}
	if q := p.NetContent; q != nil {
		d.NetContent = &quantityDoc{Value: q.Value, Unit: string(q.Unit)}
	}
	if n := p.Nutrition; n != nil {
		d.Nutrition = &nutritionDoc{Per: string(n.Per), EnergyKJ: n.EnergyKJ, EnergyKcal: n.EnergyKcal, Fat: n.Fat,
			SaturatedFat: n.SaturatedFat, Carbohydrates: n.Carbohydrates, Sugars: n.Sugars, Fibre: n.Fibre,
			Protein: n.Protein, Salt: n.Salt, Sodium: n.Sodium, FruitVegLegumes: n.FruitVegLegumes,
			NonNutritiveSweeteners: n.NonNutritiveSweeteners}
	}
	for _, c := range p.Packaging {
		d.Packaging = append(d.Packaging, packagingDoc{Shape: c.Shape, Material: c.Material, Recycling: c.Recycling, Count: c.Count})
	}
	r := p.NutriScore
	d.NutriScore = nutriScoreDoc{Status: string(r.Status), Class: string(r.Class), Grade: r.Grade, Score: r.Score,
		Negative: r.Negative, Positive: r.Positive, ProteinCounted: r.ProteinCounted, Missing: r.Missing, Assumed: r.Assumed}
	for _, c := range r.Components {
		d.NutriScore.Components = append(d.NutriScore.Components, componentDoc{ID: c.ID, Kind: c.Kind, Value: c.Value,
			Unit: c.Unit, Points: c.Points, MaxPoints: c.MaxPoints})
	}
	return d
}

func encodeDoc(p *catalog.Product) ([]byte, error) {
	b, err := json.Marshal(toDoc(p))
	if err != nil {
		return nil, fmt.Errorf("postgres: encode product %s: %w", p.GTIN, err)
	}
	return b, nil
}

// decodeDoc fills p's facts from a stored document.
func decodeDoc(raw []byte, p *catalog.Product) error {
	var d productDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return fmt.Errorf("postgres: decode product %s: %w", p.GTIN, err)
	}
	p.Names, p.Category, p.Categories = d.Names, d.Category, d.Categories
	p.NutriScoreClass = nutriscore.Class(d.NutriScoreClass)
	p.Ingredients, p.Origin, p.ImageURL, p.Attribution = d.Ingredients, d.Origin, d.ImageURL, d.Attribution
	p.Allergens, p.Traces = allergens(d.Allergens), allergens(d.Traces)
	if q := d.NetContent; q != nil {
		p.NetContent = &catalog.Quantity{Value: q.Value, Unit: catalog.Unit(q.Unit)}
	}
	if n := d.Nutrition; n != nil {
		p.Nutrition = &catalog.Nutrition{Per: catalog.Per(n.Per), EnergyKJ: n.EnergyKJ, EnergyKcal: n.EnergyKcal, Fat: n.Fat,
			SaturatedFat: n.SaturatedFat, Carbohydrates: n.Carbohydrates, Sugars: n.Sugars, Fibre: n.Fibre,
			Protein: n.Protein, Salt: n.Salt, Sodium: n.Sodium, FruitVegLegumes: n.FruitVegLegumes,
			NonNutritiveSweeteners: n.NonNutritiveSweeteners}
	}
	for _, c := range d.Packaging {
		p.Packaging = append(p.Packaging, catalog.PackagingComponent{Shape: c.Shape, Material: c.Material, Recycling: c.Recycling, Count: c.Count})
	}
	s := d.NutriScore
	p.NutriScore = nutriscore.Result{Status: nutriscore.Status(s.Status), Class: nutriscore.Class(s.Class), Grade: s.Grade,
		Score: s.Score, Negative: s.Negative, Positive: s.Positive, ProteinCounted: s.ProteinCounted, Missing: s.Missing, Assumed: s.Assumed}
	for _, c := range s.Components {
		p.NutriScore.Components = append(p.NutriScore.Components, nutriscore.Component{ID: c.ID, Kind: c.Kind, Value: c.Value,
			Unit: c.Unit, Points: c.Points, MaxPoints: c.MaxPoints})
	}
	return nil
}

func allergenStrings(list []catalog.Allergen) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = string(a)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func allergens(list []string) []catalog.Allergen {
	if len(list) == 0 {
		return nil
	}
	out := make([]catalog.Allergen, len(list))
	for i, a := range list {
		out[i] = catalog.Allergen(a)
	}
	return out
}

// productChangedV1 is the data of passport.product.changed v1.
type productChangedV1 struct {
	GTIN       string            `json:"gtin"`
	Change     string            `json:"change"`
	Version    int64             `json:"version"`
	Brand      brandRefV1        `json:"brand"`
	Names      map[string]string `json:"names,omitempty"`
	NetContent *quantityDoc      `json:"net_content,omitempty"`
	Category   string            `json:"category,omitempty"`
	Categories []string          `json:"categories,omitempty"`
	Allergens  []string          `json:"allergens,omitempty"`
	Traces     []string          `json:"traces,omitempty"`
	Nutrition  *nutritionDoc     `json:"nutrition,omitempty"`
	NutriScore *nutriScoreV1     `json:"nutri_score,omitempty"`
	UpdatedAt  string            `json:"updated_at,omitempty"`
}

type brandRefV1 struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type nutriScoreV1 struct {
	Status string `json:"status"`
	Class  string `json:"class"`
	Grade  string `json:"grade,omitempty"`
	Score  *int   `json:"score,omitempty"`
}
