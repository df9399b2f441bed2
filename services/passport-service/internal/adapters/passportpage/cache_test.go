package passportpage_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/passportpage"
)

func TestCache_HitsAndMisses(t *testing.T) {
	t.Parallel()
	cat := newCatalog(biscuits())
	c := passportpage.NewCache(cat, passportpage.CacheConfig{Now: newClock(testNow()).Now})
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		v, err := c.ProductView(ctx, biscuitGTIN)
		if err != nil || v.Product.GTIN != biscuitGTIN {
			t.Fatalf("lookup %d: %v, %q", i, err, v.Product.GTIN)
		}
	}
	if got, want := c.Stats(), (passportpage.CacheStats{Hits: 2, Misses: 1, Entries: 1}); got != want {
		t.Errorf("stats %+v, want %+v", got, want)
	}
	if n := cat.calls.Load(); n != 1 {
		t.Errorf("%d catalog calls, want 1", n)
	}
}

func TestCache_ExpiresAfterTTL(t *testing.T) {
	t.Parallel()
	clk := newClock(testNow())
	cat := newCatalog(biscuits())
	c := passportpage.NewCache(cat, passportpage.CacheConfig{Now: clk.Now, TTL: 10 * time.Second})
	ctx := context.Background()
	lookup := func() {
		t.Helper()
		if _, err := c.ProductView(ctx, biscuitGTIN); err != nil {
			t.Fatal(err)
		}
	}
	lookup()
	clk.Advance(9 * time.Second)
	lookup()
	if n := cat.calls.Load(); n != 1 {
		t.Fatalf("%d catalog calls within the TTL, want 1", n)
	}
	clk.Advance(time.Second)
	lookup()
	if n := cat.calls.Load(); n != 2 {
		t.Fatalf("%d catalog calls after the TTL, want 2", n)
	}
}

func TestCache_DefaultTTLIs30s(t *testing.T) {
	t.Parallel()
	clk := newClock(testNow())
	cat := newCatalog(biscuits())
	c := passportpage.NewCache(cat, passportpage.CacheConfig{Now: clk.Now})
	for _, step := range []time.Duration{0, 29 * time.Second, time.Second} {
		clk.Advance(step)
		_, _ = c.ProductView(context.Background(), biscuitGTIN)
	}
	if n := cat.calls.Load(); n != 2 {
		t.Errorf("%d catalog calls, want 2 (fresh until 30 s)", n)
	}
}

func TestCache_CachesNotFoundBriefly(t *testing.T) {
	t.Parallel()
	clk := newClock(testNow())
	cat := newCatalog()
	c := passportpage.NewCache(cat, passportpage.CacheConfig{Now: clk.Now, TTL: time.Minute, NotFoundTTL: 2 * time.Second})
	for i := 0; i < 3; i++ {
		if _, err := c.ProductView(context.Background(), unknownGTIN); !fault.Is(err, fault.NotFound) {
			t.Fatalf("want NotFound, got %v", err)
		}
	}
	if n := cat.calls.Load(); n != 1 {
		t.Fatalf("%d catalog calls, want 1", n)
	}
	// The product is published; the cache notices after NotFoundTTL.
	cat.products[unknownGTIN] = biscuits()
	clk.Advance(2 * time.Second)
	if _, err := c.ProductView(context.Background(), unknownGTIN); err != nil {
		t.Fatalf("after NotFoundTTL: %v", err)
	}
}

func TestCache_DoesNotCacheOtherErrors(t *testing.T) {
	t.Parallel()
	cat := newCatalog(biscuits())
	cat.err = errors.New("database down")
	c := passportpage.NewCache(cat, passportpage.CacheConfig{Now: newClock(testNow()).Now})
	for i := 0; i < 2; i++ {
		if _, err := c.ProductView(context.Background(), biscuitGTIN); err == nil {
			t.Fatal("want the error")
		}
	}
	if n := cat.calls.Load(); n != 2 {
		t.Errorf("%d catalog calls, want 2", n)
	}
	if e := c.Stats().Entries; e != 0 {
		t.Errorf("%d entries after errors", e)
	}
}

func TestCache_EvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	cat := newCatalog(biscuits(), cheese(), beer())
	c := passportpage.NewCache(cat, passportpage.CacheConfig{Now: newClock(testNow()).Now, Size: 2})
	ctx := context.Background()
	for _, g := range []string{biscuitGTIN, cheeseGTIN, biscuitGTIN, beerGTIN} { // cheese is least recently used
		_, _ = c.ProductView(ctx, g)
	}
	if e := c.Stats().Entries; e != 2 {
		t.Fatalf("%d entries, want 2", e)
	}
	before := cat.calls.Load()
	_, _ = c.ProductView(ctx, biscuitGTIN)
	_, _ = c.ProductView(ctx, beerGTIN)
	if n := cat.calls.Load() - before; n != 0 {
		t.Errorf("recently used products were evicted (%d calls)", n)
	}
	_, _ = c.ProductView(ctx, cheeseGTIN)
	if n := cat.calls.Load() - before; n != 1 {
		t.Errorf("cheese should have been evicted (%d calls)", n)
	}
}

func TestCache_ConcurrentLookups(t *testing.T) {
	t.Parallel()
	cat := newCatalog(biscuits(), cheese(), beer(), bare())
	cat.delay = 20 * time.Millisecond
	c := passportpage.NewCache(cat, passportpage.CacheConfig{Size: 3})
	gtins := []string{biscuitGTIN, cheeseGTIN, beerGTIN, bareGTIN, unknownGTIN}
	var wg sync.WaitGroup
	errs := make(chan error, 64*len(gtins))
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range gtins {
				g := gtins[(i+j)%len(gtins)]
				v, err := c.ProductView(context.Background(), g)
				switch {
				case g == unknownGTIN && !fault.Is(err, fault.NotFound):
					errs <- fmt.Errorf("%s: want NotFound, got %w", g, err)
				case g != unknownGTIN && (err != nil || v.Product.GTIN != g):
					errs <- fmt.Errorf("%s: got %q, %w", g, v.Product.GTIN, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := c.Stats()
	if st.Hits+st.Misses != uint64(64*len(gtins)) || st.Entries > 3 {
		t.Errorf("stats %+v", st)
	}
	// Concurrent misses of one GTIN share a catalog call; evictions (size 3
	// for 5 GTINs) may cause a few more, but far fewer than the lookups.
	if n := cat.calls.Load(); n > int64(4*len(gtins)) {
		t.Errorf("%d catalog calls for %d lookups", n, 64*len(gtins))
	}
}

func TestCache_WaiterRetriesWhenLoaderGivesUp(t *testing.T) {
	t.Parallel()
	cat := newCatalog(biscuits())
	cat.delay = 50 * time.Millisecond
	c := passportpage.NewCache(cat, passportpage.CacheConfig{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.ProductView(ctx, biscuitGTIN)
		done <- err
	}()
	time.Sleep(10 * time.Millisecond) // let the first lookup start loading
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	if _, err := c.ProductView(context.Background(), biscuitGTIN); err != nil {
		t.Errorf("second caller got %v", err)
	}
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("first caller got %v, want canceled", err)
	}
}

func TestCache_Metrics(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	c := passportpage.NewCache(newCatalog(biscuits()), passportpage.CacheConfig{Registerer: reg})
	for i := 0; i < 3; i++ {
		_, _ = c.ProductView(context.Background(), biscuitGTIN)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		m := mf.GetMetric()[0]
		switch {
		case m.GetCounter() != nil:
			got[mf.GetName()] = m.GetCounter().GetValue()
		case m.GetGauge() != nil:
			got[mf.GetName()] = m.GetGauge().GetValue()
		}
	}
	want := map[string]float64{"passport_page_cache_hits_total": 2, "passport_page_cache_misses_total": 1, "passport_page_cache_entries": 1}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

func TestHandler_UsesCache(t *testing.T) {
	t.Parallel()
	clk := newClock(testNow())
	h, cat := newHandler(t, func(cfg *passportpage.Config) { cfg.Now = clk.Now })
	for i := 0; i < 5; i++ {
		get(t, h, "/passport/01/"+biscuitGTIN)
		get(t, h, "/passport/01/"+unknownGTIN)
	}
	if n := cat.calls.Load(); n != 2 {
		t.Errorf("%d catalog calls, want 2", n)
	}
	if st := h.CacheStats(); st.Hits != 8 || st.Misses != 2 {
		t.Errorf("stats %+v", st)
	}
	clk.Advance(passportpage.DefaultCacheTTL)
	get(t, h, "/passport/01/"+biscuitGTIN)
	if n := cat.calls.Load(); n != 3 {
		t.Errorf("%d catalog calls after the TTL, want 3", n)
	}

	off, cat2 := newHandler(t, func(cfg *passportpage.Config) { cfg.Cache.Size = -1 })
	get(t, off, "/passport/01/"+biscuitGTIN)
	get(t, off, "/passport/01/"+biscuitGTIN)
	if n := cat2.calls.Load(); n != 2 {
		t.Errorf("cache off: %d catalog calls, want 2", n)
	}
}
