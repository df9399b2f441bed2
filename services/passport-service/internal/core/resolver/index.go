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
	// contexts counts the public links per context value, for the resolver
	// description's supportedContextValuesEnumerated.
	contexts map[string]int
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{m: make(map[string]*Anchor), contexts: make(map[string]int)}
}

// Put stores a under a.Key, replacing any anchor with that key. A nil anchor
// is ignored.
func (x *Index) Put(a *Anchor) {
	if a == nil {
		return
	}
	x.mu.Lock()
	x.count(x.m[a.Key], -1)
	x.m[a.Key] = a
	x.count(a, +1)
	x.mu.Unlock()
}

// Delete removes the anchor with the given key, if any.
func (x *Index) Delete(key string) {
	x.mu.Lock()
	x.count(x.m[key], -1)
	delete(x.m, key)
	x.mu.Unlock()
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
