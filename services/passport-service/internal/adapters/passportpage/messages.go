package passportpage

import (
	"strconv"
	"strings"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
)

// messages are the page's own texts in one UI language. Fields holding a
// format take their arguments in the order the English text shows them; the
// view builder fills them, so templates only print strings.
type messages struct {
	Lang string // BCP 47 tag of the texts

	SkipToContent, Footer, PassportOf string
	// DataSource introduces the credit for the source of the product data.
	DataSource                      string
	Brand, NetContent, Origin, GTIN string
	PhotoOf                         string // %s: product name

	NutriScore, NutriScoreGrade, NutriNotApplicable, NutriUnknown string // NutriScoreGrade %s: letter; NutriUnknown %s: list
	BreakdownCaption, Component, Value, Points, Effect            string
	CountsAgainst, CountsFor                                      string
	ScoreLine                                                     string // %d score, %d negative, %d positive points
	ProteinNotCounted, ProteinCounted                             string // %d negative points, %d limit
	Yes, No, NoSuchPage                                           string
	ProteinRedMeat, ProteinCheese, ProteinDrinks                  string
	Assumed                                                       string // %s: list
	Components                                                    map[string]string

	Ingredients, AllergensInBold, NoIngredients          string
	Allergens, Contains, MayContain, NoAllergens         string // Contains and MayContain: %s list
	AllergenNames                                        map[catalog.Allergen]string
	Nutrition, NutritionCaption, Nutrient, NoNutrition   string // NutritionCaption %s: "100 g"
	Energy, Fat, Saturates, Carbohydrates, Sugars        string
	Fibre, Protein, Salt                                 string
	Packaging, PackagingCaption, Part, Material, Recycle string
	NoPackaging                                          string
	Links, LinkLanguage                                  string // LinkLanguage %s: tags
	LinkTypes                                            map[string]string

	ThisPack, Lot, Serial, UseBy, BestBefore          string
	ExpiresIn, ExpiresToday, Expired                  string // %s: days phrase
	BestBeforeIn, BestBeforeToday, PastBestBefore     string // %s: days phrase
	Months                                            [12]string
	DateFormat                                        string // %d day, %s month, %d year
	Piece, Pieces                                     string
	Decimal                                           byte
	days                                              func(n int) string
	NotFoundTitle, NotFoundScanned, NotFoundBody      string // NotFoundScanned %s: GTIN
	NotFoundAdvice, NotGTINTitle, NotGTINBody         string // NotGTINBody %s: key name
	BadRequestTitle, BadRequestBody, BadRequestAdvice string
	MethodTitle, MethodBody, UnavailableTitle         string
	UnavailableBody, ScanAgain                        string
	ListSep, ListLast                                 string
}

// Days says "n days" (n >= 1) in the UI language.
func (m *messages) Days(n int) string { return m.days(n) }

// List joins items the way the language writes a list: "a, b and c".
func (m *messages) List(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], m.ListSep) + m.ListLast + items[len(items)-1]
}

// plural returns a days function for languages with one singular form.
func plural(one, many string) func(int) string {
	return func(n int) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	}
}

// uiLanguages are the languages the page's own texts exist in; the first is
// the fallback for a browser that accepts none of them.
var uiLanguages = []*messages{&english, &french, &german, &spanish, &italian, &dutch}

var english = messages{
	ProteinCounted: "Protein counts: the negative points (%d) are below %d.", Yes: "yes", No: "no",
	NoSuchPage:    "There is no product passport at this address.",
	Lang:          "en",
	SkipToContent: "Skip to content", Footer: "PackyTrace product passport", DataSource: "Product data", PassportOf: "Product passport",
	Brand: "Brand", NetContent: "Net content", Origin: "Origin", GTIN: "GTIN", PhotoOf: "Photo of %s",
	NutriScore: "Nutri-Score", NutriScoreGrade: "Nutri-Score %s",
	NutriNotApplicable: "The Nutri-Score does not apply to this kind of product.",
	NutriUnknown:       "The Nutri-Score is unknown: the pack does not give %s.",
	BreakdownCaption:   "How the Nutri-Score is made", Component: "Component", Value: "Value", Points: "Points",
	Effect: "Effect", CountsAgainst: "against", CountsFor: "in favour",
	ScoreLine:         "Score %d (negative points: %d, positive points: %d).",
	ProteinNotCounted: "Protein does not count here, because the negative points (%d) are %d or more.",
	ProteinRedMeat:    "Protein gives at most 2 points for red meat products.",
	ProteinCheese:     "Protein always counts for cheese.", ProteinDrinks: "Protein always counts for drinks.",
	Assumed: "Not given on the pack and counted as zero: %s.",
	Components: map[string]string{
		nutriscore.IDEnergy: "energy", nutriscore.IDEnergyFromSaturatedFat: "energy from saturated fat",
		nutriscore.IDSugars: "sugars", nutriscore.IDSaturatedFat: "saturated fat",
		nutriscore.IDSaturatedFatRatio: "saturated fat share of fat", nutriscore.IDSalt: "salt",
		nutriscore.IDNonNutritiveSweeteners: "non-nutritive sweeteners", nutriscore.IDFibre: "fibre",
		nutriscore.IDProtein: "protein", nutriscore.IDFruitVegLegumes: "fruit, vegetables and legumes",
		nutriscore.IDFat: "fat", nutriscore.IDClass: "product category",
	},
	Ingredients: "Ingredients", AllergensInBold: "Allergens are shown in bold.", NoIngredients: "The brand has not published the ingredients.",
	Allergens: "Allergens", Contains: "Contains: %s.", MayContain: "May contain: %s.", NoAllergens: "No allergens declared.",
	AllergenNames: map[catalog.Allergen]string{
		catalog.Gluten: "gluten", catalog.Crustaceans: "crustaceans", catalog.Eggs: "eggs", catalog.Fish: "fish",
		catalog.Peanuts: "peanuts", catalog.Soybeans: "soybeans", catalog.Milk: "milk", catalog.Nuts: "nuts",
		catalog.Celery: "celery", catalog.Mustard: "mustard", catalog.Sesame: "sesame", catalog.Sulphites: "sulphites",
		catalog.Lupin: "lupin", catalog.Molluscs: "molluscs", catalog.Wheat: "wheat", catalog.TreeNuts: "tree nuts",
	},
	Nutrition: "Nutrition facts", NutritionCaption: "Average values per %s", Nutrient: "Nutrient",
	NoNutrition: "The brand has not published nutrition facts.",
	Energy:      "Energy", Fat: "Fat", Saturates: "of which saturates", Carbohydrates: "Carbohydrate",
	Sugars: "of which sugars", Fibre: "Fibre", Protein: "Protein", Salt: "Salt",
	Packaging: "Packaging and recycling", PackagingCaption: "Parts of the pack", Part: "Part", Material: "Material",
	Recycle: "Recycling", NoPackaging: "The brand has not published packaging details.",
	Links: "The brand's other links", LinkLanguage: "language: %s",
	LinkTypes: map[string]string{
		"pip": "Product information", "recipeInfo": "Recipes", "allergenInfo": "Allergen information",
		"nutritionalInfo": "Nutrition information", "ingredientsInfo": "Ingredients", "instructions": "Instructions",
		"sustainabilityInfo": "Sustainability", "productSustainabilityInfo": "Sustainability",
		"hasRetailers": "Where to buy", "promotion": "Promotion", "faqs": "Questions and answers",
		"support": "Support", "recallStatus": "Recall status", "review": "Reviews", "leaveReview": "Leave a review",
		"relatedVideo": "Video", "socialMedia": "Social media", "defaultLink": "Brand page", "homepage": "Home page",
		"dpp": "Digital product passport", "consumerHandlingStorageInfo": "Storage", "safetyInfo": "Safety",
		"certificationInfo": "Certification", "traceability": "Traceability",
	},
	ThisPack: "This pack", Lot: "Lot", Serial: "Serial number", UseBy: "Use by", BestBefore: "Best before",
	ExpiresIn: "expires in %s", ExpiresToday: "expires today", Expired: "expired %s ago",
	BestBeforeIn: "best before date in %s", BestBeforeToday: "best before today",
	PastBestBefore: "past its best-before date (%s ago)",
	Months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"},
	DateFormat: "%d %s %d", Piece: "piece", Pieces: "pieces", Decimal: '.',
	days:          plural("day", "days"),
	NotFoundTitle: "Product not found", NotFoundScanned: "You scanned the product code %s.",
	NotFoundBody:    "The brand has not published a passport for this product yet.",
	NotFoundAdvice:  "Check the pack for the brand's website or customer service, or scan again in a few days.",
	NotGTINTitle:    "No passport for this code",
	NotGTINBody:     "This code (%s) does not identify a product. Only product codes (GTIN) have a passport.",
	BadRequestTitle: "This code cannot be read",
	BadRequestBody:  "The address is not a valid GS1 Digital Link:",
	BadRequestAdvice: "Scan the code again; if this keeps happening, the code on the pack may be " +
		"damaged or printed wrongly.",
	MethodTitle: "Method not allowed", MethodBody: "This page can only be read (GET or HEAD).",
	UnavailableTitle: "Passport unavailable", UnavailableBody: "The product passport cannot be shown right now.",
	ScanAgain: "Please try again in a minute.", ListSep: ", ", ListLast: " and ",
}

var french = messages{
	ProteinCounted: "Les protéines comptent : les points négatifs (%d) sont inférieurs à %d.", Yes: "oui", No: "non",
	NoSuchPage:    "Il n'y a pas de passeport produit à cette adresse.",
	Lang:          "fr",
	SkipToContent: "Aller au contenu", Footer: "Passeport produit PackyTrace", DataSource: "Données produit", PassportOf: "Passeport produit",
	Brand: "Marque", NetContent: "Contenu net", Origin: "Origine", GTIN: "GTIN", PhotoOf: "Photo de %s",
	NutriScore: "Nutri-Score", NutriScoreGrade: "Nutri-Score %s",
	NutriNotApplicable: "Le Nutri-Score ne s'applique pas à ce type de produit.",
	NutriUnknown:       "Le Nutri-Score est inconnu : l'emballage n'indique pas %s.",
	BreakdownCaption:   "Calcul du Nutri-Score", Component: "Élément", Value: "Valeur", Points: "Points",
	Effect: "Effet", CountsAgainst: "contre", CountsFor: "pour",
	ScoreLine:         "Score %d (points négatifs : %d, points positifs : %d).",
	ProteinNotCounted: "Les protéines ne comptent pas ici : les points négatifs (%d) atteignent %d.",
	ProteinRedMeat:    "Les protéines donnent au plus 2 points pour la viande rouge.",
	ProteinCheese:     "Les protéines comptent toujours pour les fromages.",
	ProteinDrinks:     "Les protéines comptent toujours pour les boissons.",
	Assumed:           "Non indiqué sur l'emballage et compté comme zéro : %s.",
	Components: map[string]string{
		nutriscore.IDEnergy: "énergie", nutriscore.IDEnergyFromSaturatedFat: "énergie des acides gras saturés",
		nutriscore.IDSugars: "sucres", nutriscore.IDSaturatedFat: "acides gras saturés",
		nutriscore.IDSaturatedFatRatio: "part des acides gras saturés dans les lipides", nutriscore.IDSalt: "sel",
		nutriscore.IDNonNutritiveSweeteners: "édulcorants", nutriscore.IDFibre: "fibres",
		nutriscore.IDProtein: "protéines", nutriscore.IDFruitVegLegumes: "fruits, légumes et légumineuses",
		nutriscore.IDFat: "matières grasses", nutriscore.IDClass: "catégorie du produit",
	},
	Ingredients: "Ingrédients", AllergensInBold: "Les allergènes sont en gras.", NoIngredients: "La marque n'a pas publié les ingrédients.",
	Allergens: "Allergènes", Contains: "Contient : %s.", MayContain: "Peut contenir : %s.", NoAllergens: "Aucun allergène déclaré.",
	AllergenNames: map[catalog.Allergen]string{
		catalog.Gluten: "gluten", catalog.Crustaceans: "crustacés", catalog.Eggs: "œufs", catalog.Fish: "poisson",
		catalog.Peanuts: "arachides", catalog.Soybeans: "soja", catalog.Milk: "lait", catalog.Nuts: "fruits à coque",
		catalog.Celery: "céleri", catalog.Mustard: "moutarde", catalog.Sesame: "sésame", catalog.Sulphites: "sulfites",
		catalog.Lupin: "lupin", catalog.Molluscs: "mollusques", catalog.Wheat: "blé", catalog.TreeNuts: "fruits à coque",
	},
	Nutrition: "Valeurs nutritionnelles", NutritionCaption: "Valeurs moyennes pour %s", Nutrient: "Nutriment",
	NoNutrition: "La marque n'a pas publié les valeurs nutritionnelles.",
	Energy:      "Énergie", Fat: "Matières grasses", Saturates: "dont acides gras saturés", Carbohydrates: "Glucides",
	Sugars: "dont sucres", Fibre: "Fibres alimentaires", Protein: "Protéines", Salt: "Sel",
	Packaging: "Emballage et recyclage", PackagingCaption: "Éléments de l'emballage", Part: "Élément", Material: "Matériau",
	Recycle: "Recyclage", NoPackaging: "La marque n'a pas publié le détail de l'emballage.",
	Links: "Autres liens de la marque", LinkLanguage: "langue : %s",
	LinkTypes: map[string]string{
		"pip": "Informations produit", "recipeInfo": "Recettes", "allergenInfo": "Informations sur les allergènes",
		"nutritionalInfo": "Informations nutritionnelles", "ingredientsInfo": "Ingrédients", "instructions": "Mode d'emploi",
		"sustainabilityInfo": "Développement durable", "productSustainabilityInfo": "Développement durable",
		"hasRetailers": "Où acheter", "promotion": "Promotion", "faqs": "Questions fréquentes",
		"support": "Assistance", "recallStatus": "Rappel de produit", "review": "Avis", "leaveReview": "Donner un avis",
		"relatedVideo": "Vidéo", "socialMedia": "Réseaux sociaux", "defaultLink": "Page de la marque", "homepage": "Accueil",
		"dpp": "Passeport numérique du produit", "consumerHandlingStorageInfo": "Conservation", "safetyInfo": "Sécurité",
		"certificationInfo": "Certification", "traceability": "Traçabilité",
	},
	ThisPack: "Ce paquet", Lot: "Lot", Serial: "Numéro de série", UseBy: "À consommer jusqu'au",
	BestBefore: "À consommer de préférence avant le",
	ExpiresIn:  "expire dans %s", ExpiresToday: "expire aujourd'hui", Expired: "expiré depuis %s",
	BestBeforeIn: "date de durabilité minimale dans %s", BestBeforeToday: "date de durabilité minimale aujourd'hui",
	PastBestBefore: "date de durabilité minimale dépassée (depuis %s)",
	Months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
		"octobre", "novembre", "décembre"},
	DateFormat: "%d %s %d", Piece: "pièce", Pieces: "pièces", Decimal: ',',
	days:          plural("jour", "jours"),
	NotFoundTitle: "Produit introuvable", NotFoundScanned: "Vous avez scanné le code produit %s.",
	NotFoundBody:    "La marque n'a pas encore publié de passeport pour ce produit.",
	NotFoundAdvice:  "Consultez l'emballage pour trouver le site ou le service client de la marque, ou scannez de nouveau dans quelques jours.",
	NotGTINTitle:    "Pas de passeport pour ce code",
	NotGTINBody:     "Ce code (%s) n'identifie pas un produit. Seuls les codes produit (GTIN) ont un passeport.",
	BadRequestTitle: "Ce code est illisible",
	BadRequestBody:  "L'adresse n'est pas un GS1 Digital Link valide :",
	BadRequestAdvice: "Scannez le code de nouveau ; si le problème persiste, le code imprimé sur " +
		"l'emballage est peut-être abîmé ou erroné.",
	MethodTitle: "Méthode non autorisée", MethodBody: "Cette page peut seulement être lue (GET ou HEAD).",
	UnavailableTitle: "Passeport indisponible", UnavailableBody: "Le passeport produit ne peut pas être affiché pour le moment.",
	ScanAgain: "Veuillez réessayer dans une minute.", ListSep: ", ", ListLast: " et ",
}

var german = messages{
	ProteinCounted: "Eiweiß zählt: Die negativen Punkte (%d) liegen unter %d.", Yes: "ja", No: "nein",
	NoSuchPage:    "Unter dieser Adresse gibt es keinen Produktpass.",
	Lang:          "de",
	SkipToContent: "Zum Inhalt springen", Footer: "PackyTrace-Produktpass", DataSource: "Produktdaten", PassportOf: "Produktpass",
	Brand: "Marke", NetContent: "Nettoinhalt", Origin: "Herkunft", GTIN: "GTIN", PhotoOf: "Foto von %s",
	NutriScore: "Nutri-Score", NutriScoreGrade: "Nutri-Score %s",
	NutriNotApplicable: "Der Nutri-Score gilt nicht für diese Art von Produkt.",
	NutriUnknown:       "Der Nutri-Score ist unbekannt: Die Packung nennt %s nicht.",
	BreakdownCaption:   "So entsteht der Nutri-Score", Component: "Bestandteil", Value: "Wert", Points: "Punkte",
	Effect: "Wirkung", CountsAgainst: "dagegen", CountsFor: "dafür",
	ScoreLine:         "Punktzahl %d (negative Punkte: %d, positive Punkte: %d).",
	ProteinNotCounted: "Eiweiß zählt hier nicht: Die negativen Punkte (%d) erreichen %d.",
	ProteinRedMeat:    "Eiweiß gibt bei rotem Fleisch höchstens 2 Punkte.",
	ProteinCheese:     "Eiweiß zählt bei Käse immer.", ProteinDrinks: "Eiweiß zählt bei Getränken immer.",
	Assumed: "Nicht auf der Packung angegeben und mit null gezählt: %s.",
	Components: map[string]string{
		nutriscore.IDEnergy: "Energie", nutriscore.IDEnergyFromSaturatedFat: "Energie aus gesättigten Fettsäuren",
		nutriscore.IDSugars: "Zucker", nutriscore.IDSaturatedFat: "gesättigte Fettsäuren",
		nutriscore.IDSaturatedFatRatio: "Anteil gesättigter Fettsäuren am Fett", nutriscore.IDSalt: "Salz",
		nutriscore.IDNonNutritiveSweeteners: "Süßstoffe", nutriscore.IDFibre: "Ballaststoffe",
		nutriscore.IDProtein: "Eiweiß", nutriscore.IDFruitVegLegumes: "Obst, Gemüse und Hülsenfrüchte",
		nutriscore.IDFat: "Fett", nutriscore.IDClass: "Produktkategorie",
	},
	Ingredients: "Zutaten", AllergensInBold: "Allergene sind fett gedruckt.", NoIngredients: "Die Marke hat die Zutaten nicht veröffentlicht.",
	Allergens: "Allergene", Contains: "Enthält: %s.", MayContain: "Kann Spuren enthalten von: %s.", NoAllergens: "Keine Allergene angegeben.",
	AllergenNames: map[catalog.Allergen]string{
		catalog.Gluten: "Gluten", catalog.Crustaceans: "Krebstiere", catalog.Eggs: "Eier", catalog.Fish: "Fisch",
		catalog.Peanuts: "Erdnüsse", catalog.Soybeans: "Soja", catalog.Milk: "Milch", catalog.Nuts: "Schalenfrüchte",
		catalog.Celery: "Sellerie", catalog.Mustard: "Senf", catalog.Sesame: "Sesam", catalog.Sulphites: "Sulfite",
		catalog.Lupin: "Lupinen", catalog.Molluscs: "Weichtiere", catalog.Wheat: "Weizen", catalog.TreeNuts: "Schalenfrüchte",
	},
	Nutrition: "Nährwerte", NutritionCaption: "Durchschnittliche Nährwerte pro %s", Nutrient: "Nährstoff",
	NoNutrition: "Die Marke hat keine Nährwerte veröffentlicht.",
	Energy:      "Energie", Fat: "Fett", Saturates: "davon gesättigte Fettsäuren", Carbohydrates: "Kohlenhydrate",
	Sugars: "davon Zucker", Fibre: "Ballaststoffe", Protein: "Eiweiß", Salt: "Salz",
	Packaging: "Verpackung und Recycling", PackagingCaption: "Teile der Verpackung", Part: "Teil", Material: "Material",
	Recycle: "Entsorgung", NoPackaging: "Die Marke hat keine Angaben zur Verpackung veröffentlicht.",
	Links: "Weitere Links der Marke", LinkLanguage: "Sprache: %s",
	LinkTypes: map[string]string{
		"pip": "Produktinformationen", "recipeInfo": "Rezepte", "allergenInfo": "Allergeninformationen",
		"nutritionalInfo": "Nährwertinformationen", "ingredientsInfo": "Zutaten", "instructions": "Anleitung",
		"sustainabilityInfo": "Nachhaltigkeit", "productSustainabilityInfo": "Nachhaltigkeit",
		"hasRetailers": "Wo kaufen", "promotion": "Aktion", "faqs": "Häufige Fragen",
		"support": "Kundendienst", "recallStatus": "Rückrufstatus", "review": "Bewertungen", "leaveReview": "Bewertung abgeben",
		"relatedVideo": "Video", "socialMedia": "Soziale Medien", "defaultLink": "Seite der Marke", "homepage": "Startseite",
		"dpp": "Digitaler Produktpass", "consumerHandlingStorageInfo": "Aufbewahrung", "safetyInfo": "Sicherheit",
		"certificationInfo": "Zertifizierung", "traceability": "Rückverfolgbarkeit",
	},
	ThisPack: "Diese Packung", Lot: "Los", Serial: "Seriennummer", UseBy: "Zu verbrauchen bis",
	BestBefore: "Mindestens haltbar bis",
	ExpiresIn:  "läuft in %s ab", ExpiresToday: "läuft heute ab", Expired: "seit %s abgelaufen",
	BestBeforeIn: "Mindesthaltbarkeitsdatum in %s", BestBeforeToday: "Mindesthaltbarkeitsdatum heute",
	PastBestBefore: "Mindesthaltbarkeitsdatum überschritten (seit %s)",
	Months: [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
		"Oktober", "November", "Dezember"},
	DateFormat: "%d. %s %d", Piece: "Stück", Pieces: "Stück", Decimal: ',',
	// Dative after "in" and "seit": "in 5 Tagen", "seit 1 Tag".
	days:          plural("Tag", "Tagen"),
	NotFoundTitle: "Produkt nicht gefunden", NotFoundScanned: "Sie haben den Produktcode %s gescannt.",
	NotFoundBody:    "Die Marke hat für dieses Produkt noch keinen Produktpass veröffentlicht.",
	NotFoundAdvice:  "Auf der Packung finden Sie die Website oder den Kundendienst der Marke; oder scannen Sie in ein paar Tagen erneut.",
	NotGTINTitle:    "Kein Produktpass für diesen Code",
	NotGTINBody:     "Dieser Code (%s) bezeichnet kein Produkt. Nur Produktcodes (GTIN) haben einen Produktpass.",
	BadRequestTitle: "Dieser Code ist nicht lesbar",
	BadRequestBody:  "Die Adresse ist kein gültiger GS1 Digital Link:",
	BadRequestAdvice: "Scannen Sie den Code erneut; passiert das wieder, ist der Code auf der Packung " +
		"vielleicht beschädigt oder falsch gedruckt.",
	MethodTitle: "Methode nicht erlaubt", MethodBody: "Diese Seite kann nur gelesen werden (GET oder HEAD).",
	UnavailableTitle: "Produktpass nicht verfügbar", UnavailableBody: "Der Produktpass kann gerade nicht angezeigt werden.",
	ScanAgain: "Bitte versuchen Sie es in einer Minute erneut.", ListSep: ", ", ListLast: " und ",
}

//nolint:misspell // Words of the UI language, not misspelt English.
var spanish = messages{
	ProteinCounted: "Las proteínas cuentan: los puntos negativos (%d) son menos de %d.", Yes: "sí", No: "no",
	NoSuchPage:    "No hay ningún pasaporte de producto en esta dirección.",
	Lang:          "es",
	SkipToContent: "Ir al contenido", Footer: "Pasaporte de producto PackyTrace", DataSource: "Datos del producto", PassportOf: "Pasaporte de producto",
	Brand: "Marca", NetContent: "Contenido neto", Origin: "Origen", GTIN: "GTIN", PhotoOf: "Foto de %s",
	NutriScore: "Nutri-Score", NutriScoreGrade: "Nutri-Score %s",
	NutriNotApplicable: "El Nutri-Score no se aplica a este tipo de producto.",
	NutriUnknown:       "El Nutri-Score es desconocido: el envase no indica %s.",
	BreakdownCaption:   "Cómo se calcula el Nutri-Score", Component: "Componente", Value: "Valor", Points: "Puntos",
	Effect: "Efecto", CountsAgainst: "en contra", CountsFor: "a favor",
	ScoreLine:         "Puntuación %d (puntos negativos: %d, puntos positivos: %d).",
	ProteinNotCounted: "Las proteínas no cuentan aquí: los puntos negativos (%d) llegan a %d.",
	ProteinRedMeat:    "Las proteínas dan como máximo 2 puntos en la carne roja.",
	ProteinCheese:     "Las proteínas siempre cuentan en los quesos.",
	ProteinDrinks:     "Las proteínas siempre cuentan en las bebidas.",
	Assumed:           "No indicado en el envase y contado como cero: %s.",
	Components: map[string]string{
		nutriscore.IDEnergy: "energía", nutriscore.IDEnergyFromSaturatedFat: "energía de grasas saturadas",
		nutriscore.IDSugars: "azúcares", nutriscore.IDSaturatedFat: "grasas saturadas",
		nutriscore.IDSaturatedFatRatio: "proporción de grasas saturadas en las grasas", nutriscore.IDSalt: "sal",
		nutriscore.IDNonNutritiveSweeteners: "edulcorantes", nutriscore.IDFibre: "fibra",
		nutriscore.IDProtein: "proteínas", nutriscore.IDFruitVegLegumes: "frutas, verduras y legumbres",
		nutriscore.IDFat: "grasas", nutriscore.IDClass: "categoría del producto",
	},
	Ingredients: "Ingredientes", AllergensInBold: "Los alérgenos aparecen en negrita.", NoIngredients: "La marca no ha publicado los ingredientes.",
	Allergens: "Alérgenos", Contains: "Contiene: %s.", MayContain: "Puede contener: %s.", NoAllergens: "No se declaran alérgenos.",
	AllergenNames: map[catalog.Allergen]string{
		catalog.Gluten: "gluten", catalog.Crustaceans: "crustáceos", catalog.Eggs: "huevos", catalog.Fish: "pescado",
		catalog.Peanuts: "cacahuetes", catalog.Soybeans: "soja", catalog.Milk: "leche", catalog.Nuts: "frutos de cáscara",
		catalog.Celery: "apio", catalog.Mustard: "mostaza", catalog.Sesame: "sésamo", catalog.Sulphites: "sulfitos",
		catalog.Lupin: "altramuces", catalog.Molluscs: "moluscos", catalog.Wheat: "trigo", catalog.TreeNuts: "frutos de cáscara",
	},
	Nutrition: "Información nutricional", NutritionCaption: "Valores medios por %s", Nutrient: "Nutriente",
	NoNutrition: "La marca no ha publicado la información nutricional.",
	Energy:      "Valor energético", Fat: "Grasas", Saturates: "de las cuales saturadas", Carbohydrates: "Hidratos de carbono",
	Sugars: "de los cuales azúcares", Fibre: "Fibra alimentaria", Protein: "Proteínas", Salt: "Sal",
	Packaging: "Envase y reciclaje", PackagingCaption: "Partes del envase", Part: "Parte", Material: "Material",
	Recycle: "Reciclaje", NoPackaging: "La marca no ha publicado detalles del envase.",
	Links: "Otros enlaces de la marca", LinkLanguage: "idioma: %s",
	LinkTypes: map[string]string{
		"pip": "Información del producto", "recipeInfo": "Recetas", "allergenInfo": "Información sobre alérgenos",
		"nutritionalInfo": "Información nutricional", "ingredientsInfo": "Ingredientes", "instructions": "Instrucciones",
		"sustainabilityInfo": "Sostenibilidad", "productSustainabilityInfo": "Sostenibilidad",
		"hasRetailers": "Dónde comprar", "promotion": "Promoción", "faqs": "Preguntas frecuentes",
		"support": "Atención al cliente", "recallStatus": "Retirada del producto", "review": "Opiniones", "leaveReview": "Dejar una opinión",
		"relatedVideo": "Vídeo", "socialMedia": "Redes sociales", "defaultLink": "Página de la marca", "homepage": "Inicio",
		"dpp": "Pasaporte digital del producto", "consumerHandlingStorageInfo": "Conservación", "safetyInfo": "Seguridad",
		"certificationInfo": "Certificación", "traceability": "Trazabilidad",
	},
	ThisPack: "Este envase", Lot: "Lote", Serial: "Número de serie", UseBy: "Fecha de caducidad",
	BestBefore: "Consumir preferentemente antes del",
	ExpiresIn:  "caduca en %s", ExpiresToday: "caduca hoy", Expired: "caducó hace %s",
	BestBeforeIn: "fecha de consumo preferente en %s", BestBeforeToday: "fecha de consumo preferente hoy",
	PastBestBefore: "pasada la fecha de consumo preferente (hace %s)",
	Months: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
		"octubre", "noviembre", "diciembre"},
	DateFormat: "%d de %s de %d", Piece: "unidad", Pieces: "unidades", Decimal: ',',
	days:          plural("día", "días"),
	NotFoundTitle: "Producto no encontrado", NotFoundScanned: "Ha escaneado el código de producto %s.",
	NotFoundBody:    "La marca aún no ha publicado un pasaporte para este producto.",
	NotFoundAdvice:  "Busque en el envase la web o el servicio de atención al cliente de la marca, o vuelva a escanear dentro de unos días.",
	NotGTINTitle:    "No hay pasaporte para este código",
	NotGTINBody:     "Este código (%s) no identifica un producto. Solo los códigos de producto (GTIN) tienen pasaporte.",
	BadRequestTitle: "No se puede leer este código",
	BadRequestBody:  "La dirección no es un GS1 Digital Link válido:",
	BadRequestAdvice: "Vuelva a escanear el código; si vuelve a ocurrir, puede que el código del envase " +
		"esté dañado o mal impreso.",
	MethodTitle: "Método no permitido", MethodBody: "Esta página solo se puede leer (GET o HEAD).",
	UnavailableTitle: "Pasaporte no disponible", UnavailableBody: "El pasaporte del producto no se puede mostrar ahora.",
	ScanAgain: "Vuelva a intentarlo dentro de un minuto.", ListSep: ", ", ListLast: " y ",
}

//nolint:misspell // Words of the UI language, not misspelt English.
var italian = messages{
	ProteinCounted: "Le proteine contano: i punti negativi (%d) sono meno di %d.", Yes: "sì", No: "no",
	NoSuchPage:    "Non c'è alcun passaporto prodotto a questo indirizzo.",
	Lang:          "it",
	SkipToContent: "Vai al contenuto", Footer: "Passaporto prodotto PackyTrace", DataSource: "Dati del prodotto", PassportOf: "Passaporto prodotto",
	Brand: "Marca", NetContent: "Contenuto netto", Origin: "Origine", GTIN: "GTIN", PhotoOf: "Foto di %s",
	NutriScore: "Nutri-Score", NutriScoreGrade: "Nutri-Score %s",
	NutriNotApplicable: "Il Nutri-Score non si applica a questo tipo di prodotto.",
	NutriUnknown:       "Il Nutri-Score è sconosciuto: la confezione non indica %s.",
	BreakdownCaption:   "Come si calcola il Nutri-Score", Component: "Componente", Value: "Valore", Points: "Punti",
	Effect: "Effetto", CountsAgainst: "contro", CountsFor: "a favore",
	ScoreLine:         "Punteggio %d (punti negativi: %d, punti positivi: %d).",
	ProteinNotCounted: "Le proteine non contano qui: i punti negativi (%d) arrivano a %d.",
	ProteinRedMeat:    "Le proteine danno al massimo 2 punti per la carne rossa.",
	ProteinCheese:     "Le proteine contano sempre per i formaggi.",
	ProteinDrinks:     "Le proteine contano sempre per le bevande.",
	Assumed:           "Non indicato sulla confezione e contato come zero: %s.",
	Components: map[string]string{
		nutriscore.IDEnergy: "energia", nutriscore.IDEnergyFromSaturatedFat: "energia dai grassi saturi",
		nutriscore.IDSugars: "zuccheri", nutriscore.IDSaturatedFat: "grassi saturi",
		nutriscore.IDSaturatedFatRatio: "quota di grassi saturi nei grassi", nutriscore.IDSalt: "sale",
		nutriscore.IDNonNutritiveSweeteners: "edulcoranti", nutriscore.IDFibre: "fibre",
		nutriscore.IDProtein: "proteine", nutriscore.IDFruitVegLegumes: "frutta, verdura e legumi",
		nutriscore.IDFat: "grassi", nutriscore.IDClass: "categoria del prodotto",
	},
	Ingredients: "Ingredienti", AllergensInBold: "Gli allergeni sono in grassetto.", NoIngredients: "La marca non ha pubblicato gli ingredienti.",
	Allergens: "Allergeni", Contains: "Contiene: %s.", MayContain: "Può contenere: %s.", NoAllergens: "Nessun allergene dichiarato.",
	AllergenNames: map[catalog.Allergen]string{
		catalog.Gluten: "glutine", catalog.Crustaceans: "crostacei", catalog.Eggs: "uova", catalog.Fish: "pesce",
		catalog.Peanuts: "arachidi", catalog.Soybeans: "soia", catalog.Milk: "latte", catalog.Nuts: "frutta a guscio",
		catalog.Celery: "sedano", catalog.Mustard: "senape", catalog.Sesame: "sesamo", catalog.Sulphites: "solfiti",
		catalog.Lupin: "lupini", catalog.Molluscs: "molluschi", catalog.Wheat: "grano", catalog.TreeNuts: "frutta a guscio",
	},
	Nutrition: "Valori nutrizionali", NutritionCaption: "Valori medi per %s", Nutrient: "Nutriente",
	NoNutrition: "La marca non ha pubblicato i valori nutrizionali.",
	Energy:      "Energia", Fat: "Grassi", Saturates: "di cui acidi grassi saturi", Carbohydrates: "Carboidrati",
	Sugars: "di cui zuccheri", Fibre: "Fibre", Protein: "Proteine", Salt: "Sale",
	Packaging: "Confezione e riciclo", PackagingCaption: "Parti della confezione", Part: "Parte", Material: "Materiale",
	Recycle: "Riciclo", NoPackaging: "La marca non ha pubblicato i dettagli della confezione.",
	Links: "Altri link della marca", LinkLanguage: "lingua: %s",
	LinkTypes: map[string]string{
		"pip": "Informazioni sul prodotto", "recipeInfo": "Ricette", "allergenInfo": "Informazioni sugli allergeni",
		"nutritionalInfo": "Informazioni nutrizionali", "ingredientsInfo": "Ingredienti", "instructions": "Istruzioni",
		"sustainabilityInfo": "Sostenibilità", "productSustainabilityInfo": "Sostenibilità",
		"hasRetailers": "Dove acquistare", "promotion": "Promozione", "faqs": "Domande frequenti",
		"support": "Assistenza", "recallStatus": "Richiamo del prodotto", "review": "Recensioni", "leaveReview": "Lascia una recensione",
		"relatedVideo": "Video", "socialMedia": "Social media", "defaultLink": "Pagina della marca", "homepage": "Home page",
		"dpp": "Passaporto digitale del prodotto", "consumerHandlingStorageInfo": "Conservazione", "safetyInfo": "Sicurezza",
		"certificationInfo": "Certificazione", "traceability": "Tracciabilità",
	},
	ThisPack: "Questa confezione", Lot: "Lotto", Serial: "Numero di serie", UseBy: "Da consumare entro",
	BestBefore: "Da consumarsi preferibilmente entro",
	ExpiresIn:  "scade tra %s", ExpiresToday: "scade oggi", Expired: "scaduto da %s",
	BestBeforeIn: "termine minimo di conservazione tra %s", BestBeforeToday: "termine minimo di conservazione oggi",
	PastBestBefore: "termine minimo di conservazione superato (da %s)",
	Months: [12]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
		"ottobre", "novembre", "dicembre"},
	DateFormat: "%d %s %d", Piece: "pezzo", Pieces: "pezzi", Decimal: ',',
	days:          plural("giorno", "giorni"),
	NotFoundTitle: "Prodotto non trovato", NotFoundScanned: "Hai scansionato il codice prodotto %s.",
	NotFoundBody:    "La marca non ha ancora pubblicato un passaporto per questo prodotto.",
	NotFoundAdvice:  "Cerca sulla confezione il sito o il servizio clienti della marca, oppure scansiona di nuovo tra qualche giorno.",
	NotGTINTitle:    "Nessun passaporto per questo codice",
	NotGTINBody:     "Questo codice (%s) non identifica un prodotto. Solo i codici prodotto (GTIN) hanno un passaporto.",
	BadRequestTitle: "Impossibile leggere questo codice",
	BadRequestBody:  "L'indirizzo non è un GS1 Digital Link valido:",
	BadRequestAdvice: "Scansiona di nuovo il codice; se succede ancora, il codice sulla confezione potrebbe " +
		"essere danneggiato o stampato male.",
	MethodTitle: "Metodo non consentito", MethodBody: "Questa pagina può essere solo letta (GET o HEAD).",
	UnavailableTitle: "Passaporto non disponibile", UnavailableBody: "Il passaporto del prodotto non può essere mostrato ora.",
	ScanAgain: "Riprova tra un minuto.", ListSep: ", ", ListLast: " e ",
}

//nolint:misspell // Words of the UI language, not misspelt English.
var dutch = messages{
	ProteinCounted: "Eiwit telt mee: de negatieve punten (%d) liggen onder %d.", Yes: "ja", No: "nee",
	NoSuchPage:    "Op dit adres staat geen productpaspoort.",
	Lang:          "nl",
	SkipToContent: "Naar de inhoud", Footer: "PackyTrace-productpaspoort", DataSource: "Productgegevens", PassportOf: "Productpaspoort",
	Brand: "Merk", NetContent: "Netto-inhoud", Origin: "Herkomst", GTIN: "GTIN", PhotoOf: "Foto van %s",
	NutriScore: "Nutri-Score", NutriScoreGrade: "Nutri-Score %s",
	NutriNotApplicable: "De Nutri-Score geldt niet voor dit soort product.",
	NutriUnknown:       "De Nutri-Score is onbekend: de verpakking vermeldt %s niet.",
	BreakdownCaption:   "Zo komt de Nutri-Score tot stand", Component: "Onderdeel", Value: "Waarde", Points: "Punten",
	Effect: "Effect", CountsAgainst: "tegen", CountsFor: "voor",
	ScoreLine:         "Score %d (negatieve punten: %d, positieve punten: %d).",
	ProteinNotCounted: "Eiwit telt hier niet mee: de negatieve punten (%d) bereiken %d.",
	ProteinRedMeat:    "Eiwit geeft bij rood vlees hoogstens 2 punten.",
	ProteinCheese:     "Eiwit telt bij kaas altijd mee.", ProteinDrinks: "Eiwit telt bij dranken altijd mee.",
	Assumed: "Niet op de verpakking vermeld en als nul geteld: %s.",
	Components: map[string]string{
		nutriscore.IDEnergy: "energie", nutriscore.IDEnergyFromSaturatedFat: "energie uit verzadigd vet",
		nutriscore.IDSugars: "suikers", nutriscore.IDSaturatedFat: "verzadigd vet",
		nutriscore.IDSaturatedFatRatio: "aandeel verzadigd vet in vet", nutriscore.IDSalt: "zout",
		nutriscore.IDNonNutritiveSweeteners: "zoetstoffen", nutriscore.IDFibre: "vezels",
		nutriscore.IDProtein: "eiwitten", nutriscore.IDFruitVegLegumes: "fruit, groenten en peulvruchten",
		nutriscore.IDFat: "vet", nutriscore.IDClass: "productcategorie",
	},
	Ingredients: "Ingrediënten", AllergensInBold: "Allergenen staan vetgedrukt.", NoIngredients: "Het merk heeft de ingrediënten niet gepubliceerd.",
	Allergens: "Allergenen", Contains: "Bevat: %s.", MayContain: "Kan sporen bevatten van: %s.", NoAllergens: "Geen allergenen vermeld.",
	AllergenNames: map[catalog.Allergen]string{
		catalog.Gluten: "gluten", catalog.Crustaceans: "schaaldieren", catalog.Eggs: "eieren", catalog.Fish: "vis",
		catalog.Peanuts: "pinda's", catalog.Soybeans: "soja", catalog.Milk: "melk", catalog.Nuts: "noten",
		catalog.Celery: "selderij", catalog.Mustard: "mosterd", catalog.Sesame: "sesam", catalog.Sulphites: "sulfiet",
		catalog.Lupin: "lupine", catalog.Molluscs: "weekdieren", catalog.Wheat: "tarwe", catalog.TreeNuts: "noten",
	},
	Nutrition: "Voedingswaarde", NutritionCaption: "Gemiddelde waarden per %s", Nutrient: "Voedingsstof",
	NoNutrition: "Het merk heeft geen voedingswaarden gepubliceerd.",
	Energy:      "Energie", Fat: "Vetten", Saturates: "waarvan verzadigde vetzuren", Carbohydrates: "Koolhydraten",
	Sugars: "waarvan suikers", Fibre: "Vezels", Protein: "Eiwitten", Salt: "Zout",
	Packaging: "Verpakking en recycling", PackagingCaption: "Onderdelen van de verpakking", Part: "Onderdeel", Material: "Materiaal",
	Recycle: "Afvalscheiding", NoPackaging: "Het merk heeft geen gegevens over de verpakking gepubliceerd.",
	Links: "Andere links van het merk", LinkLanguage: "taal: %s",
	LinkTypes: map[string]string{
		"pip": "Productinformatie", "recipeInfo": "Recepten", "allergenInfo": "Allergeneninformatie",
		"nutritionalInfo": "Voedingsinformatie", "ingredientsInfo": "Ingrediënten", "instructions": "Gebruiksaanwijzing",
		"sustainabilityInfo": "Duurzaamheid", "productSustainabilityInfo": "Duurzaamheid",
		"hasRetailers": "Waar te koop", "promotion": "Actie", "faqs": "Veelgestelde vragen",
		"support": "Klantenservice", "recallStatus": "Terugroepactie", "review": "Beoordelingen", "leaveReview": "Beoordeling schrijven",
		"relatedVideo": "Video", "socialMedia": "Sociale media", "defaultLink": "Pagina van het merk", "homepage": "Startpagina",
		"dpp": "Digitaal productpaspoort", "consumerHandlingStorageInfo": "Bewaren", "safetyInfo": "Veiligheid",
		"certificationInfo": "Certificering", "traceability": "Traceerbaarheid",
	},
	ThisPack: "Deze verpakking", Lot: "Partij", Serial: "Serienummer", UseBy: "Te gebruiken tot",
	BestBefore: "Ten minste houdbaar tot",
	ExpiresIn:  "verloopt over %s", ExpiresToday: "verloopt vandaag", Expired: "%s geleden verlopen",
	BestBeforeIn: "houdbaarheidsdatum over %s", BestBeforeToday: "houdbaarheidsdatum vandaag",
	PastBestBefore: "houdbaarheidsdatum verstreken (%s geleden)",
	Months: [12]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
		"oktober", "november", "december"},
	DateFormat: "%d %s %d", Piece: "stuk", Pieces: "stuks", Decimal: ',',
	days:          plural("dag", "dagen"),
	NotFoundTitle: "Product niet gevonden", NotFoundScanned: "U hebt productcode %s gescand.",
	NotFoundBody:    "Het merk heeft nog geen paspoort voor dit product gepubliceerd.",
	NotFoundAdvice:  "Zoek op de verpakking de website of klantenservice van het merk, of scan over een paar dagen opnieuw.",
	NotGTINTitle:    "Geen paspoort voor deze code",
	NotGTINBody:     "Deze code (%s) is geen productcode. Alleen productcodes (GTIN) hebben een paspoort.",
	BadRequestTitle: "Deze code is niet leesbaar",
	BadRequestBody:  "Het adres is geen geldige GS1 Digital Link:",
	BadRequestAdvice: "Scan de code opnieuw; gebeurt dit weer, dan is de code op de verpakking misschien " +
		"beschadigd of verkeerd gedrukt.",
	MethodTitle: "Methode niet toegestaan", MethodBody: "Deze pagina kan alleen worden gelezen (GET of HEAD).",
	UnavailableTitle: "Paspoort niet beschikbaar", UnavailableBody: "Het productpaspoort kan nu niet worden getoond.",
	ScanAgain: "Probeer het over een minuut opnieuw.", ListSep: ", ", ListLast: " en ",
}
