package resolver

import (
	"slices"
	"sync"
)

// Index is the in-memory map from an anchor's canonical Digital Link path
// (Anchor.Key) to the anchor, read by every resolution. It is safe for
// concurrent use by many readers and writers; writes are rare (link
// uploads), reads are the hot path.
//
// Anchors are shared, not copied: once an anchor is Put, neither the caller
// nor anyone else may modify it or its Links. To change an anchor, Put a new
// one under the same key.
type Index struct {
	mu sync.RWMutex
	m  map[string]*Anchor
	// passportBase is the URL the passport page paths hang under
	// (".../passport"); "" until SetPassportBase.
	passportBase string
	// contexts counts the public links per context value, for the resolver
	// description's supportedContextValuesEnumerated.
	contexts map[string]int
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{m: make(map[string]*Anchor), contexts: make(map[string]int)}
}

// SetPassportBase sets the URL under which PackyTrace's passport pages live
// (e.g. "https://id.example.com/passport"); a product's page is the base
// followed by its GTIN's canonical path. Call it before SetPassport.
func (x *Index) SetPassportBase(base string) {
	x.mu.Lock()
	x.passportBase = base
	x.mu.Unlock()
}

// Put stores a, the links a brand publishes under a.Key, replacing any
// anchor with that key. A nil anchor is ignored. If the key is a catalog
// product's (SetPassport), the stored anchor also carries the passport
// links.
func (x *Index) Put(a *Anchor) {
	if a == nil {
		return
	}
	x.mu.Lock()
	cur := x.m[a.Key]
	if cur != nil && cur.passport {
		a = x.withPassport(a.Key, a)
	}
	x.set(a.Key, cur, a)
	x.mu.Unlock()
}

// Delete removes the brand's anchor with the given key, if any; a catalog
// product keeps its passport links.
func (x *Index) Delete(key string) {
	x.mu.Lock()
	cur := x.m[key]
	if cur != nil && cur.passport {
		x.set(key, cur, x.withPassport(key, nil))
	} else {
		x.set(key, cur, nil)
	}
	x.mu.Unlock()
}

// SetPassport says whether key (a GTIN's canonical path, "/01/" and 14
// digits) is a catalog product's. A product has a gs1:pip link to its
// passport page and, when the brand's anchor has no gs1:defaultLink, the
// page is its default link too. Other keys are ignored.
func (x *Index) SetPassport(key string, on bool) {
	if len(key) != 18 || key[:4] != "/01/" {
		return
	}
	x.mu.Lock()
	cur := x.m[key]
	switch {
	case on && (cur == nil || !cur.passport):
		x.set(key, cur, x.withPassport(key, cur))
	case !on && cur != nil && cur.passport:
		x.set(key, cur, cur.own)
	}
	x.mu.Unlock()
}

// set replaces cur with a (nil deletes) under key; x.mu is held.
func (x *Index) set(key string, cur, a *Anchor) {
	x.count(cur, -1)
	if a == nil {
		delete(x.m, key)
		return
	}
	x.m[key] = a
	x.count(a, +1)
}

// withPassport returns the anchor for key made of own's links (own may be
// nil) and the passport links; x.mu is held.
func (x *Index) withPassport(key string, own *Anchor) *Anchor {
	page := Link{Type: Namespace + "pip", Href: x.passportBase + key, Title: "Product passport",
		MediaType: "text/html", Fwqs: true, Public: true, Passport: true}
	a := &Anchor{Key: key, own: own, passport: true}
	hasDefault := false
	if own != nil {
		a.Brand, a.Description = own.Brand, own.Description
		a.Links = make([]Link, 0, len(own.Links)+2)
		a.Links = append(a.Links, own.Links...)
		for i := range own.Links {
			hasDefault = hasDefault || own.Links[i].Type == LinkTypeDefault
		}
	}
	a.Links = append(a.Links, page)
	if !hasDefault {
		def := page
		def.Type = LinkTypeDefault
		a.Links = append(a.Links, def)
	}
	return a
}

// count adds d to the context counts of a's public links; x.mu is held.
func (x *Index) count(a *Anchor, d int) {
	if a == nil {
		return
	}
	for i := range a.Links {
		if !a.Links[i].Public {
			continue
		}
		for _, c := range a.Links[i].Context {
			if n := x.contexts[c] + d; n > 0 {
				x.contexts[c] = n
			} else {
				delete(x.contexts, c)
			}
		}
	}
}

// Get returns the anchor stored under key, or nil.
func (x *Index) Get(key string) *Anchor {
	x.mu.RLock()
	a := x.m[key]
	x.mu.RUnlock()
	return a
}

// GetBytes is Get for a key held in a byte slice; it does not allocate (the
// compiler does not copy a []byte converted to string for a map lookup).
func (x *Index) GetBytes(key []byte) *Anchor {
	x.mu.RLock()
	a := x.m[string(key)]
	x.mu.RUnlock()
	return a
}

// Len is the number of anchors in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	n := len(x.m)
	x.mu.RUnlock()
	return n
}

// Contexts lists, sorted, the context values the public links in the index
// use.
func (x *Index) Contexts() []string {
	x.mu.RLock()
	out := make([]string, 0, len(x.contexts))
	for c := range x.contexts {
		out = append(out, c)
	}
	x.mu.RUnlock()
	slices.Sort(out)
	return out
}
