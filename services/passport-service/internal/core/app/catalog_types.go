package app

import (
	"time"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
)

// ImportRecord is one product read from an import source, mapped onto the
// catalog but not yet validated.
type ImportRecord struct {
	// Source says where the record came from, for error reports
	// ("products.jsonl:17").
	Source  string
	Product catalog.Product
	// BrandName is the brand as the source names it; the import finds or
	// creates the brand (see ImportProducts).
	BrandName string
}

// ImportBatch is a batch of records and, for resumable imports, how far
// into its source the batch reaches.
type ImportBatch struct {
	Records []ImportRecord
	// Checkpoint, when set, is stored in the transaction that stores the
	// batch, so an interrupted import resumes after the last stored batch.
	Checkpoint *Checkpoint
}

// Checkpoint is how far an import has read a source.
type Checkpoint struct {
	// Source identifies the input (a digest of the file's identity), not
	// its name, so a changed file starts over.
	Source string
	// Offset is the byte offset after the last stored record, Records the
	// number of records read up to it.
	Offset  int64
	Records int64
	// UpdatedAt is set by the store.
	UpdatedAt time.Time
}

// ImportResult counts what an import batch did.
type ImportResult struct {
	Created, Updated, Unchanged int
	// Rejected lists the records that were not stored and why.
	Rejected []RecordError
}

// Add adds o's counts and rejections to r.
func (r *ImportResult) Add(o ImportResult) {
	r.Created += o.Created
	r.Updated += o.Updated
	r.Unchanged += o.Unchanged
	r.Rejected = append(r.Rejected, o.Rejected...)
}

// RecordError says why one record was rejected.
type RecordError struct {
	Source string
	GTIN   string
	// Reason is a sentence; Fields the field errors behind it, if any.
	Reason string
	Fields []string
}

// ProductView is a product with its brand, as the passport page shows it.
type ProductView struct {
	Product catalog.Product
	Brand   catalog.Brand
}
