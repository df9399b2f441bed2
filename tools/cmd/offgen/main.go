// Command offgen writes Open Food Facts JSON lines for the import benchmark:
// N records (default 100,000) made by cycling the sample products, one bare
// product object per line as in OFF's JSONL export, each copy with its own
// valid GTIN-13. The samples are Open Food Facts data (ODbL 1.0 / DbCL 1.0,
// see the README next to them); so is the output.
//
//	go run ./tools/cmd/offgen -n 100000 -o /tmp/off-100k.jsonl
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// sampleDir is where the samples live, relative to the repository root.
const sampleDir = "services/passport-service/internal/adapters/offimport/testdata/off"

func main() {
	err := run(os.Args[1:], os.Stdout)
	var usage usageError
	switch {
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "offgen:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "offgen:", err)
		os.Exit(1)
	}
}

type usageError string

func (e usageError) Error() string { return string(e) }

func run(args []string, stdout io.Writer) (err error) {
	fs := flag.NewFlagSet("offgen", flag.ContinueOnError)
	n := fs.Int("n", 100000, "number of records to write")
	dir := fs.String("dir", "", "directory of OFF API responses (*.json); default "+sampleDir+" under the repository root")
	out := fs.String("o", "", "output file; default stdout")
	first := fs.Int64("first", 1, "sequence number of the first GTIN, so that files with distinct codes can be made")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *n < 0 || *first < 0 || *first+int64(*n) > 1e10 {
		return usageError("-n and -first must be positive and -first + -n at most 10000000000")
	}
	if *dir == "" {
		root, err := repoRoot()
		if err != nil {
			return err
		}
		*dir = filepath.Join(root, sampleDir)
	}
	templates, err := loadTemplates(*dir)
	if err != nil {
		return err
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	for i := range *n {
		t := templates[i%len(templates)]
		code := gtin13(*first + int64(i))
		for j, part := range t {
			if j > 0 {
				_, _ = bw.WriteString(`"` + code + `"`)
			}
			_, _ = bw.Write(part)
		}
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// loadTemplates reads the API responses in dir and returns each product
// compacted to one line, split around every occurrence of its quoted code
// ("code" and "_id" carry it), so that a copy is the parts joined by a new
// code.
func loadTemplates(dir string) ([][][]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.json samples in %s", dir)
	}
	sort.Strings(files)
	var out [][][]byte
	for _, name := range files {
		data, err := os.ReadFile(name) //nolint:gosec // reading the samples the operator points at
		if err != nil {
			return nil, err
		}
		var resp struct {
			Code    string          `json:"code"`
			Product json.RawMessage `json:"product"`
		}
		if err := json.Unmarshal(data, &resp); err != nil || len(resp.Product) == 0 || resp.Code == "" {
			return nil, fmt.Errorf("%s: not an OFF API response with a product and a code", name)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, resp.Product); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		quoted := []byte(strconv.Quote(resp.Code))
		parts := bytes.Split(compact.Bytes(), quoted)
		if len(parts) < 2 {
			return nil, fmt.Errorf("%s: the product does not carry its code", name)
		}
		out = append(out, parts)
	}
	return out, nil
}

// gtin13 returns GTIN-13 number n: "20", n in 10 digits and the check
// digit (GS1 General Specifications 7.9: weights 3 and 1 from the right,
// check digit brings the sum to a multiple of 10). GS1 prefixes 20-29 are
// for restricted distribution within a company, so generated codes never
// clash with a real product's.
func gtin13(n int64) string {
	s := fmt.Sprintf("20%010d", n)
	sum := 0
	for i := range 12 {
		d := int(s[i] - '0')
		if i%2 == 1 { // positions 2, 4, ... from the left are odd from the right for a 13-digit code
			d *= 3
		}
		sum += d
	}
	return s + strconv.Itoa((10-sum%10)%10)
}

// repoRoot finds the repository root: the nearest directory upwards with a
// go.work file.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the repository root (a directory with go.work); pass -dir")
		}
		dir = parent
	}
}
