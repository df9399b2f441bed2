// Package dlcli is the "passport-service dl" command line: it parses GS1
// Digital Link URIs and element strings, or builds URIs from element
// strings, one input per line, writing one JSON object per line. It is a
// thin adapter over the core package dl.
package dlcli

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

// Usage is the help text of the dl command.
const Usage = `usage: passport-service dl parse|build [-domain host] < input

  parse   read GS1 Digital Link URIs (http[s]://...), request paths (/01/...?...)
          or GS1 element strings ("(01)...(10)..." or raw with ^ or GS as FNC1),
          one per line; write one JSON object per line
  build   read element strings, one per line; write the canonical Digital Link URI
          of each as one JSON object per line

flags:
  -domain host   host of canonical URIs (default ` + dl.DefaultDomain + `)

Blank lines are skipped. Invalid or over-long lines give {"valid":false,"error":{...}};
the exit status is 0 unless the input cannot be read or the output written.
`

// MaxLineLength is the longest input line processed; longer lines are
// reported as invalid (code input-too-long) and skipped.
const MaxLineLength = 64 << 10

// inputEcho bounds how much of an over-long line is echoed back.
const inputEcho = 256

// Run executes the dl command with args (after "dl"), reading stdin and
// writing results to stdout and flag errors to stderr. Usage mistakes
// return an error wrapping daemon.ErrUsage.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: dl needs a subcommand (parse or build); run passport-service dl help", daemon.ErrUsage)
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		_, err := io.WriteString(stdout, Usage)
		return err
	case "parse", "build":
	default:
		return fmt.Errorf("%w: unknown dl subcommand %q; run passport-service dl help", daemon.ErrUsage, args[0])
	}
	fs := flag.NewFlagSet("dl "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	domain := fs.String("domain", dl.DefaultDomain, "host of canonical URIs")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, err = io.WriteString(stdout, Usage)
			return err
		}
		return fmt.Errorf("%w: %w", daemon.ErrUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q: input is read from stdin", daemon.ErrUsage, fs.Args())
	}
	if err := dl.CheckDomain(*domain); err != nil {
		return fmt.Errorf("%w: -domain: %w", daemon.ErrUsage, err)
	}
	handle := parseLine
	if args[0] == "build" {
		handle = buildLine
	}
	return eachLine(stdin, stdout, *domain, handle)
}

// eachLine streams stdin line by line through handle, writing one JSON
// object per non-blank line.
func eachLine(stdin io.Reader, stdout io.Writer, domain string, handle func(line, domain string) any) error {
	in := bufio.NewReaderSize(stdin, MaxLineLength+1)
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, err := in.ReadSlice('\n')
		var result any
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			echo := string(line[:inputEcho])
			if err := skipRestOfLine(in); err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("read input: %w", err)
			}
			result = invalid{Input: echo, Error: errorOf(&dl.Error{Code: dl.CodeInputTooLong,
				Message: fmt.Sprintf("line is longer than %d bytes (input shows its start)", MaxLineLength)})}
		case err != nil && !errors.Is(err, io.EOF):
			return fmt.Errorf("read input: %w", err)
		default:
			text := strings.TrimRight(string(line), "\r\n")
			if strings.TrimSpace(text) != "" {
				result = handle(text, domain)
			}
		}
		if result != nil {
			if werr := enc.Encode(result); werr != nil {
				return fmt.Errorf("write output: %w", werr)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func skipRestOfLine(in *bufio.Reader) error {
	for {
		_, err := in.ReadSlice('\n')
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// parsed is the output for a valid input of dl parse.
type parsed struct {
	Input              string      `json:"input"`
	Valid              bool        `json:"valid"`
	AIs                [][2]string `json:"ais"`
	PrimaryKey         string      `json:"primaryKey,omitempty"`
	Canonical          string      `json:"canonical,omitempty"`
	ElementString      string      `json:"elementString"`
	IgnoredQueryParams []string    `json:"ignoredQueryParams"`
}

// built is the output for a valid input of dl build.
type built struct {
	Input         string      `json:"input"`
	Valid         bool        `json:"valid"`
	URI           string      `json:"uri"`
	AIs           [][2]string `json:"ais"`
	ElementString string      `json:"elementString"`
}

// invalid is the output for an input that does not parse or build.
type invalid struct {
	Input string    `json:"input"`
	Valid bool      `json:"valid"`
	Error errorJSON `json:"error"`
}

type errorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	AI      string `json:"ai,omitempty"`
	Offset  int    `json:"offset"`
}

func errorOf(err error) errorJSON {
	var de *dl.Error
	if errors.As(err, &de) {
		return errorJSON{Code: de.Code, Message: de.Message, AI: de.AI, Offset: de.Offset}
	}
	return errorJSON{Code: "internal", Message: err.Error()}
}

func pairs(elems []dl.Element) [][2]string {
	out := make([][2]string, len(elems))
	for i, e := range elems {
		out[i] = [2]string{e.AI, e.Value}
	}
	return out
}

// parseLine parses one input: a URI (http:// or https:// in any case; the
// parser then insists on one case), a request path starting with "/", or
// an element string.
func parseLine(line, domain string) any {
	lower := strings.ToLower(line[:min(len(line), 8)])
	var (
		u   *dl.URI
		err error
	)
	switch {
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
		u, err = dl.ParseURI(line)
	case strings.HasPrefix(line, "/"):
		path, query, _ := strings.Cut(line, "?")
		u, err = dl.ParsePath(path, query)
	default:
		elems, err := dl.ParseElementString(line)
		if err != nil {
			return invalid{Input: line, Error: errorOf(err)}
		}
		out := parsed{Input: line, Valid: true, AIs: pairs(elems), ElementString: dl.FormatElementString(elems),
			IgnoredQueryParams: []string{}}
		for _, e := range elems {
			if dl.IsPrimaryKey(e.AI) {
				out.PrimaryKey = e.AI
				break
			}
		}
		if uri, err := dl.BuildURI(elems, domain); err == nil {
			out.Canonical = uri
		}
		return out
	}
	if err != nil {
		return invalid{Input: line, Error: errorOf(err)}
	}
	ignored := u.Ignored
	if ignored == nil {
		ignored = []string{}
	}
	return parsed{Input: line, Valid: true, AIs: pairs(u.Elements), PrimaryKey: u.PrimaryKey().AI,
		Canonical: u.Canonical(domain), ElementString: u.ElementString(), IgnoredQueryParams: ignored}
}

// buildLine turns one element string into its canonical URI.
func buildLine(line, domain string) any {
	elems, err := dl.ParseElementString(line)
	if err != nil {
		return invalid{Input: line, Error: errorOf(err)}
	}
	uri, err := dl.BuildURI(elems, domain)
	if err != nil {
		return invalid{Input: line, Error: errorOf(err)}
	}
	return built{Input: line, Valid: true, URI: uri, AIs: pairs(elems), ElementString: dl.FormatElementString(elems)}
}
