package passportpage

import (
	"container/list"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
)

// Cache defaults.
const (
	// DefaultCacheSize is how many products the cache holds at most.
	DefaultCacheSize = 10000
	// DefaultCacheTTL is how long a product stays cached, and so how stale
	// a page may be after a catalog change.
	DefaultCacheTTL = 30 * time.Second
	// DefaultNotFoundTTL is how long an unknown GTIN stays cached: short,
	// so a product published a moment ago shows up quickly, but long enough
	// that repeated scans of an unknown code do not each reach the database.
	DefaultNotFoundTTL = 5 * time.Second
)

// CacheConfig configures a Cache. Zero values mean the defaults.
type CacheConfig struct {
	// Size bounds the number of cached GTINs (least recently used ones go
	// first); a negative Size turns the cache off in NewHandler.
	Size int
	// TTL bounds the age of a cached product; NotFoundTTL that of a cached
	// "unknown GTIN".
	TTL, NotFoundTTL time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Registerer, when set, gets the cache's metrics:
	// passport_page_cache_hits_total, passport_page_cache_misses_total and
	// passport_page_cache_entries.
	Registerer prometheus.Registerer
}

// CacheStats counts what a Cache did.
type CacheStats struct {
	// Hits are lookups answered from the cache; Misses went to the
	// catalog (or waited for a concurrent lookup of the same GTIN).
	Hits, Misses uint64
	// Entries is the number of GTINs held now, expired ones included until
	// they are looked up again or evicted.
	Entries int
}

// Cache is a Catalog that keeps recent answers of another one in memory: a
// bounded LRU with a time to live, so a page is at most TTL behind the
// catalog. It caches products and NotFound answers, never other errors;
// concurrent misses for one GTIN make a single catalog call. It is safe for
// concurrent use. The views it returns are shared between callers and must
// not be modified.
type Cache struct {
	next       Catalog
	size       int
	ttl, nfTTL time.Duration
	now        func() time.Time

	mu      sync.Mutex
	entries map[string]*list.Element // of *cacheEntry
	lru     *list.List               // front = most recently used
	loading map[string]*load

	hits, misses atomic.Uint64
}

type cacheEntry struct {
	gtin    string
	view    app.ProductView
	err     error
	expires time.Time
}

// load is a catalog call in progress that other lookups of the GTIN wait for.
type load struct {
	done chan struct{}
	view app.ProductView
	err  error
}

var _ Catalog = (*Cache)(nil)

// NewCache returns a cache in front of next.
func NewCache(next Catalog, cfg CacheConfig) *Cache {
	c := &Cache{
		next: next, size: cfg.Size, ttl: cfg.TTL, nfTTL: cfg.NotFoundTTL, now: cfg.Now,
		entries: make(map[string]*list.Element), lru: list.New(), loading: make(map[string]*load),
	}
	if c.size <= 0 {
		c.size = DefaultCacheSize
	}
	if c.ttl <= 0 {
		c.ttl = DefaultCacheTTL
	}
	if c.nfTTL <= 0 {
		c.nfTTL = DefaultNotFoundTTL
	}
	if c.now == nil {
		c.now = time.Now
	}
	if cfg.Registerer != nil {
		cfg.Registerer.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "passport_page_cache_hits_total", Help: "Passport page product lookups answered from the cache.",
			}, func() float64 { return float64(c.hits.Load()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "passport_page_cache_misses_total", Help: "Passport page product lookups that went to the catalog.",
			}, func() float64 { return float64(c.misses.Load()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "passport_page_cache_entries", Help: "GTINs held in the passport page cache.",
			}, func() float64 { return float64(c.Stats().Entries) }),
		)
	}
	return c
}

// ProductView returns the product from the cache, or from the catalog
// behind it when it is not cached or has expired.
func (c *Cache) ProductView(ctx context.Context, gtin string) (app.ProductView, error) {
	now := c.now()
	c.mu.Lock()
	if el, ok := c.entries[gtin]; ok {
		e := el.Value.(*cacheEntry)
		if now.Before(e.expires) {
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			c.hits.Add(1)
			return e.view, e.err
		}
		c.lru.Remove(el)
		delete(c.entries, gtin)
	}
	c.misses.Add(1)
	if l, ok := c.loading[gtin]; ok {
		c.mu.Unlock()
		select {
		case <-l.done:
		case <-ctx.Done():
			return app.ProductView{}, ctx.Err()
		}
		if isContextErr(l.err) && ctx.Err() == nil {
			// The caller that loaded gave up; this one has not.
			return c.next.ProductView(ctx, gtin)
		}
		return l.view, l.err
	}
	l := &load{done: make(chan struct{})}
	c.loading[gtin] = l
	c.mu.Unlock()

	l.view, l.err = c.next.ProductView(ctx, gtin)

	c.mu.Lock()
	delete(c.loading, gtin)
	var ttl time.Duration
	switch {
	case l.err == nil:
		ttl = c.ttl
	case fault.Is(l.err, fault.NotFound):
		ttl = c.nfTTL
	}
	if ttl > 0 {
		c.put(&cacheEntry{gtin: gtin, view: l.view, err: l.err, expires: now.Add(ttl)})
	}
	c.mu.Unlock()
	close(l.done)
	return l.view, l.err
}

// put stores e and evicts the least recently used entries beyond the
// size; c.mu is held.
func (c *Cache) put(e *cacheEntry) {
	if el, ok := c.entries[e.gtin]; ok {
		el.Value = e
		c.lru.MoveToFront(el)
	} else {
		c.entries[e.gtin] = c.lru.PushFront(e)
	}
	for c.lru.Len() > c.size {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.entries, last.Value.(*cacheEntry).gtin)
	}
}

// Stats returns the cache's counters.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	n := c.lru.Len()
	c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Entries: n}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
