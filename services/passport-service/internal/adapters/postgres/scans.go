package postgres

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/kafka"
	pg "github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/scan"
)

// Event type, major version and producer of scan records.
const (
	ScanRecordedType    = "passport.scan.recorded"
	ScanRecordedVersion = 1
	scanProducer        = "passport-service"
)

// Bounds of the event contract (passport.scan.recorded.v1.json) that a
// request's own values could exceed; ScanRecordedV1 leaves such values out
// rather than produce an event the outbox would refuse.
const (
	maxAccountID = 255
	maxLinkType  = 200
)

// ScanSink writes batches of scans as passport.scan.recorded events into
// the service's outbox, one transaction per batch; the outbox relay
// publishes them. It is the scan recorder's sink.
type ScanSink struct {
	pool   *pgxpool.Pool
	outbox *kafka.Outbox
	log    *slog.Logger
}

// NewScanSink returns the sink writing to outbox on pool; logger (nil
// discards) hears of scans the contract refuses.
func NewScanSink(pool *pgxpool.Pool, outbox *kafka.Outbox, logger *slog.Logger) *ScanSink {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &ScanSink{pool: pool, outbox: outbox, log: logger.With("component", "scan-sink")}
}

// WriteScans adds one event per scan to the outbox in one transaction: all
// of them or, on error, none. A scan whose event the contract refuses (a
// bug: ScanRecordedV1 keeps to the contract) is logged and left out, so
// that it cannot block every later batch; a database failure is returned
// for the caller to retry.
func (s *ScanSink) WriteScans(ctx context.Context, scans []scan.Scan) error {
	if len(scans) == 0 {
		return nil
	}
	envs := make([]events.Envelope, 0, len(scans))
	for i := range scans {
		env, err := ScanEnvelope(&scans[i])
		if err != nil {
			s.log.Error("scan cannot become an event; left out", "error", err, "key", scans[i].Key)
			continue
		}
		envs = append(envs, env)
	}
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		err := s.outbox.Add(ctx, tx, envs...)
		if !fault.Is(err, fault.Invalid) {
			return err
		}
		// Add refused the batch and wrote nothing: add the valid events
		// one by one. An invalid one is refused before any statement runs,
		// so the transaction stays usable.
		for _, env := range envs {
			err := s.outbox.Add(ctx, tx, env)
			switch {
			case fault.Is(err, fault.Invalid):
				s.log.Error("scan event refused by its schema; left out", "error", err, "event_id", env.ID)
			case err != nil:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: write %d scans: %w", len(scans), err)
	}
	return nil
}

// ScanEnvelope builds the passport.scan.recorded v1 event of s: occurred at
// s.At, keyed by the GTIN (or the primary key's value).
func ScanEnvelope(s *scan.Scan) (events.Envelope, error) {
	if !s.Outcome.Valid() {
		return events.Envelope{}, fault.Newf(fault.Invalid, "scan of %s has no outcome", s.Key)
	}
	return events.New(ScanRecordedType, ScanRecordedVersion, scanProducer, s.EventKey(), ScanRecordedV1(s), s.At)
}

// ScanRecordedDataV1 is the data of a passport.scan.recorded v1 event.
type ScanRecordedDataV1 struct {
	Key            string            `json:"key"`
	PrimaryKey     ElementV1         `json:"primary_key"`
	GTIN           string            `json:"gtin,omitempty"`
	Qualifiers     []ElementV1       `json:"qualifiers"`
	Attributes     map[string]string `json:"attributes"`
	ExpiryDate     string            `json:"expiry_date,omitempty"`
	BestBeforeDate string            `json:"best_before_date,omitempty"`
	Lot            string            `json:"lot,omitempty"`
	Serial         string            `json:"serial,omitempty"`
	VisitorID      string            `json:"visitor_id,omitempty"`
	AccountID      string            `json:"account_id,omitempty"`
	Region         string            `json:"region"`
	UserAgentClass string            `json:"user_agent_class"`
	Outcome        string            `json:"outcome"`
	LinkType       string            `json:"link_type,omitempty"`
}

// ElementV1 is an Application Identifier and its value in the event.
type ElementV1 struct {
	AI    string `json:"ai"`
	Value string `json:"value"`
}

// ScanRecordedV1 converts a scan into the event's data, leaving out values
// the contract would refuse (an over-long account id, a malformed visitor
// id; an invalid region becomes unknown).
func ScanRecordedV1(s *scan.Scan) ScanRecordedDataV1 {
	pk := s.PrimaryKey()
	d := ScanRecordedDataV1{
		Key:            s.Key,
		PrimaryKey:     ElementV1{AI: pk.AI, Value: pk.Value},
		GTIN:           s.GTIN(),
		Qualifiers:     make([]ElementV1, 0, len(s.Qualifiers())),
		Attributes:     make(map[string]string, len(s.Attributes())),
		Lot:            s.Lot(),
		Serial:         s.Serial(),
		VisitorID:      s.VisitorID,
		Region:         s.Region,
		UserAgentClass: s.UserAgent.String(),
		Outcome:        s.Outcome.String(),
	}
	for _, q := range s.Qualifiers() {
		d.Qualifiers = append(d.Qualifiers, ElementV1{AI: q.AI, Value: q.Value})
	}
	for _, a := range s.Attributes() {
		d.Attributes[a.AI] = a.Value
	}
	d.ExpiryDate, _ = s.ExpiryDate()
	d.BestBeforeDate, _ = s.BestBeforeDate()
	if len(s.AccountID) <= maxAccountID {
		d.AccountID = s.AccountID
	}
	if len(s.LinkType) <= maxLinkType {
		d.LinkType = s.LinkType
	}
	if !scan.ValidRegion(d.Region) {
		d.Region = scan.Unknown
	}
	if !scan.ValidVisitorID(d.VisitorID) {
		d.VisitorID = ""
	}
	return d
}
