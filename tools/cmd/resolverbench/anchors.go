package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// benchPrefix is GS1's example company prefix (950600, extended by one digit
// to leave six digits of item reference): room for 1,000,000 GTINs.
const benchPrefix = "0950600"

// benchBrand is the GS1 Company Prefix the bench anchors are uploaded for
// (the admin names it; it owns every bench GTIN).
const benchBrand = "950600"

// gtin returns the k-th bench GTIN-14 (0 <= k < 1,000,000), check digit
// included.
func gtin(k int) string {
	body := benchPrefix + fmt.Sprintf("%06d", k)
	return body + strconv.Itoa(checkDigit(body))
}

// checkDigit is the GS1 mod-10 check digit of the digits in body: weights 3
// and 1 alternating from the rightmost digit.
func checkDigit(body string) int {
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

// target is where the k-th anchor's default link points, on both servers.
func target(g string) string { return "https://brand.example/p/" + g }

// linkset builds the GS1 linkset document for anchors [from, to).
func linkset(from, to int) ([]byte, error) {
	type link struct {
		Href     string   `json:"href"`
		Title    string   `json:"title"`
		Type     string   `json:"type,omitempty"`
		Hreflang []string `json:"hreflang,omitempty"`
	}
	contexts := make([]map[string]any, 0, to-from)
	for k := from; k < to; k++ {
		g := gtin(k)
		contexts = append(contexts, map[string]any{
			"anchor":                          "https://id.gs1.org/01/" + g,
			"itemDescription":                 "Bench product " + g,
			"https://gs1.org/voc/defaultLink": []link{{Href: target(g), Title: "Bench product " + g}},
			"https://gs1.org/voc/pip":         []link{{Href: target(g), Title: "Product information", Type: "text/html", Hreflang: []string{"en"}}},
		})
	}
	return json.Marshal(map[string]any{"linkset": contexts})
}

// load uploads anchors [from, to) to passport-service's management API in
// batches, as the holder of token.
func load(ctx context.Context, client *http.Client, baseURL, token string, from, to, batch int) error {
	for lo := from; lo < to; lo += batch {
		hi := min(lo+batch, to)
		body, err := linkset(lo, hi)
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/api/v1/passport/linksets?brand="+benchBrand, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/linkset+json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("upload anchors %d-%d: %w", lo, hi, err)
		}
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 1024))
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("upload anchors %d-%d: status %d: %s", lo, hi, res.StatusCode, msg)
		}
	}
	return nil
}

// waitResolves polls GET /01/{gtin(k)} until it answers 307, i.e. until the
// resolver's index holds the k-th anchor.
func waitResolves(ctx context.Context, client *http.Client, baseURL string, k int, timeout time.Duration) error {
	url := baseURL + "/01/" + gtin(k)
	return poll(ctx, client, url, timeout, 50*time.Millisecond, "answer 307", func(res *http.Response) bool {
		return res.StatusCode == http.StatusTemporaryRedirect && res.Header.Get("Location") == target(gtin(k))
	})
}

// poll GETs url every interval until done accepts the response; it fails
// when timeout passes first ("url did not <what> within timeout") or ctx
// ends.
func poll(ctx context.Context, client *http.Client, url string, timeout, interval time.Duration, what string,
	done func(*http.Response) bool,
) error {
	deadline := time.Now().Add(timeout)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if res, err := client.Do(req); err == nil {
			_ = res.Body.Close()
			if done(res) {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not %s within %s", url, what, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}
