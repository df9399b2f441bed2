// Package importcli is the command line of the catalog import,
// "passport-service catalog import [flags] FILE...": it reads Open Food
// Facts files with package offimport, stores them in batches through an
// Importer, each batch with a checkpoint so that an interrupted import
// resumes where it stopped, reports every bad record on stderr without
// stopping, and ends with a summary on stdout.
//
// Exit behaviour: Run returns nil when every file was read to its end, even
// if some records were rejected (they are reported, and a data problem in
// a few records of a large export must not fail a scheduled import); a
// *UsageError for a bad command line (exit status 2); ErrInterrupted when
// the context was cancelled (the import stopped after a stored batch); any
// other error (a missing file, the store failing) otherwise. ExitCode maps
// them to exit statuses.
package importcli

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/offimport"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
)

// Importer stores imported records: the catalog's import use case.
type Importer interface {
	// ImportProducts stores a batch and its checkpoint in one transaction.
	// A batch may hold no records (all of its records were bad) and still
	// carry a checkpoint.
	ImportProducts(ctx context.Context, batch app.ImportBatch) (app.ImportResult, error)
	// Checkpoint returns the checkpoint of an unfinished import of source.
	Checkpoint(ctx context.Context, source string) (app.Checkpoint, bool, error)
	// FinishImport forgets source's checkpoint after a complete import.
	FinishImport(ctx context.Context, source string) error
}

// DefaultBatch is the default number of records per batch (and per
// transaction and checkpoint).
const DefaultBatch = 1000

// UsageError is a mistake in the command line.
type UsageError struct{ Msg string }

// Error implements error.
func (e *UsageError) Error() string { return e.Msg }

// ErrInterrupted means the context was cancelled: the import stopped after
// the batch it was storing, and running the same command again resumes it.
var ErrInterrupted = errors.New("import interrupted")

// ExitCode maps Run's error to a process exit status: 0 for nil, 2 for a
// usage error, 130 for an interruption (as a shell reports SIGINT), 1 for
// anything else.
func ExitCode(err error) int {
	var usage *UsageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &usage):
		return 2
	case errors.Is(err, ErrInterrupted):
		return 130
	}
	return 1
}

const usageText = `usage: passport-service catalog import [flags] FILE...

Imports Open Food Facts product data into the catalog: API responses
(possibly pretty-printed), bare product objects, JSON arrays of either, or
JSON lines (OFF's JSONL export). Records are stored in batches, each with a
checkpoint: after an interruption, run the same command again to resume.
Bad records are reported on stderr and skipped; they do not fail the run.

Flags:
`

// Run runs the import command with args (the flags and files after
// "catalog import").
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, imp Importer) error {
	fs := flag.NewFlagSet("passport-service catalog import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	batch := fs.Int("batch", DefaultBatch, "records per batch: one transaction and one checkpoint each (1 to 100000)")
	mode := fs.String("progress", "auto", "progress display: auto (a bar on a terminal, else lines), bar, lines or none")
	fs.Usage = func() {
		_, _ = io.WriteString(stderr, usageText)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &UsageError{Msg: err.Error()}
	}
	files := fs.Args()
	switch {
	case len(files) == 0:
		fs.Usage()
		return &UsageError{Msg: "no files to import"}
	case *batch < 1 || *batch > 100000:
		return &UsageError{Msg: "-batch must be between 1 and 100000, not " + strconv.Itoa(*batch)}
	}
	var pmode progressMode
	switch *mode {
	case "auto":
		pmode = progressLines
		if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) { //nolint:gosec // a file descriptor fits in an int
			pmode = progressBar
		}
	case "bar":
		pmode = progressBar
	case "lines":
		pmode = progressLines
	case "none":
		pmode = progressNone
	default:
		return &UsageError{Msg: "-progress must be auto, bar, lines or none, not " + strconv.Quote(*mode)}
	}
	// Check every file before importing any, so a typo does not leave a
	// half-done run behind.
	for _, name := range files {
		st, err := os.Stat(name)
		if err != nil {
			return fmt.Errorf("cannot import %s: %w", name, err)
		}
		if st.IsDir() {
			return fmt.Errorf("cannot import %s: it is a directory", name)
		}
	}

	r := &run{imp: imp, batch: *batch, stderr: stderr, started: time.Now()}
	r.progress = &progress{w: stderr, mode: pmode, now: time.Now}
	var err error
	for _, name := range files {
		if err = r.file(ctx, name); err != nil {
			break
		}
	}
	r.progress.clear()
	if err != nil && !errors.Is(err, ErrInterrupted) {
		return err
	}
	r.summary(stdout)
	return err
}

// run holds the state of one command run.
type run struct {
	imp      Importer
	batch    int
	stderr   io.Writer
	progress *progress
	started  time.Time

	files    int // files begun
	records  int64
	totals   app.ImportResult // counts only; rejections are reported as they come
	bad      int              // records the decoder could not map
	rejected int              // records the importer rejected
}

// pending is a batch read from a file, not yet stored.
type pending struct {
	records []app.ImportRecord
	bad     []*offimport.RecordError
	read    int64 // records read, bad ones included
	offset  int64 // just after the batch's last record
	index   int64 // number of the batch's last record
}

// file imports one file.
func (r *run) file(ctx context.Context, name string) error {
	if ctx.Err() != nil {
		r.reportf("interrupted before %s; run the same command again to import it\n", name)
		return ErrInterrupted
	}
	f, err := os.Open(name) //nolint:gosec // importing files named by the operator is the point
	if err != nil {
		return fmt.Errorf("cannot import %s: %w", name, err)
	}
	defer func() { _ = f.Close() }()
	r.files++
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("cannot import %s: %w", name, err)
	}
	source, err := sourceID(f, st.Size())
	if err != nil {
		return fmt.Errorf("cannot import %s: %w", name, err)
	}
	cp, resume, err := r.imp.Checkpoint(ctx, source)
	if err != nil {
		return fmt.Errorf("cannot import %s: reading its checkpoint: %w", name, err)
	}
	opts := offimport.Options{Name: name}
	if resume {
		opts.Offset, opts.Records = cp.Offset, cp.Records
		r.reportf("resuming %s at record %d (byte %d of %d)\n", name, cp.Records+1, cp.Offset, st.Size())
	}
	dec := offimport.NewDecoder(f, opts)

	// Decode the next batch while the importer stores the current one.
	batches := make(chan pending, 1)
	decodeErr := make(chan error, 1)
	stop := make(chan struct{})
	go func() {
		defer close(batches)
		decodeErr <- r.decode(dec, batches, stop)
	}()
	defer func() {
		close(stop)
		for range batches { //nolint:revive // drain so the decoder goroutine ends before the file closes
		}
	}()

	r.progress.begin(name, opts.Offset, st.Size(), r.records)
	var last pending
	for b := range batches {
		for _, e := range b.bad {
			r.reportf("%s: %s: %s\n", e.Source, orNoCode(e.GTIN), e.Reason)
		}
		// A batch being stored is finished even when the context is
		// cancelled meanwhile: the interruption takes effect after it.
		res, err := r.imp.ImportProducts(context.WithoutCancel(ctx), app.ImportBatch{
			Records:    b.records,
			Checkpoint: &app.Checkpoint{Source: source, Offset: b.offset, Records: b.index},
		})
		if err != nil {
			return fmt.Errorf("%s: storing records %d to %d: %w", name, b.index-b.read+1, b.index, err)
		}
		for _, e := range res.Rejected {
			r.reportf("%s: %s: %s\n", e.Source, orNoCode(e.GTIN), e.Reason)
		}
		r.records += b.read
		r.bad += len(b.bad)
		r.totals.Add(app.ImportResult{Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged})
		r.rejected += len(res.Rejected)
		last = b
		r.progress.update(b.offset, r.records)
		if ctx.Err() != nil {
			r.reportf("interrupted: %s is stored up to record %d; run the same command again to resume\n", name, b.index)
			return ErrInterrupted
		}
	}
	if err := <-decodeErr; err != nil {
		if last.index > 0 {
			return fmt.Errorf("%w (records up to %d are stored)", err, last.index)
		}
		return err
	}
	if err := r.imp.FinishImport(ctx, source); err != nil {
		return fmt.Errorf("%s: imported, but its checkpoint could not be removed: %w", name, err)
	}
	r.progress.done()
	return nil
}

// decode reads dec into batches until the input ends, an error, or stop.
func (r *run) decode(dec *offimport.Decoder, out chan<- pending, stop <-chan struct{}) error {
	b := pending{}
	send := func() bool {
		select {
		case out <- b:
			b = pending{}
			return true
		case <-stop:
			return false
		}
	}
	for {
		rec, err := dec.Next()
		if err != nil {
			if b.read > 0 && !send() {
				return nil
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		b.read++
		b.offset, b.index = rec.Offset, rec.Index
		if rec.Err != nil {
			b.bad = append(b.bad, rec.Err)
		} else {
			if b.records == nil {
				b.records = make([]app.ImportRecord, 0, r.batch)
			}
			b.records = append(b.records, rec.Item)
		}
		if b.read >= int64(r.batch) && !send() {
			return nil
		}
	}
}

// reportf writes a line to stderr, clearing the progress bar first.
func (r *run) reportf(format string, args ...any) {
	r.progress.clear()
	_, _ = fmt.Fprintf(r.stderr, format, args...)
}

// summary writes the closing summary.
func (r *run) summary(w io.Writer) {
	elapsed := time.Since(r.started)
	rejected := r.bad + r.rejected
	files := "files"
	if r.files == 1 {
		files = "file"
	}
	_, _ = fmt.Fprintf(w, "%d %s, %d records: %d created, %d updated, %d unchanged, %d rejected; %s, %s records/s\n",
		r.files, files, r.records, r.totals.Created, r.totals.Updated, r.totals.Unchanged, rejected,
		formatDuration(elapsed), formatRate(float64(r.records)/elapsed.Seconds()))
	if r.totals.Created+r.totals.Updated == 0 && rejected == 0 {
		_, _ = fmt.Fprintln(w, "nothing changed: the catalog already held every product as imported")
	}
}

// sourceID identifies a file by its content rather than its name: the hex
// SHA-256 of its size (8 bytes, big-endian) and its first 64 KiB. A file
// that grew or was rewritten gets a new identity and is imported from the
// start.
func sourceID(f *os.File, size int64) (string, error) {
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(size)) //nolint:gosec // sizes are not negative
	h.Write(n[:])
	if _, err := io.Copy(h, io.LimitReader(f, 64<<10)); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func orNoCode(gtin string) string {
	if strings.TrimSpace(gtin) == "" {
		return "(no code)"
	}
	return gtin
}
