package resolver_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

func TestIndex_PutGetDelete(t *testing.T) {
	t.Parallel()
	x := resolver.NewIndex()
	if x.Len() != 0 || x.Get("/01/09506000134352") != nil {
		t.Fatal("new index is not empty")
	}
	a := &resolver.Anchor{Key: "/01/09506000134352", Description: "one"}
	b := &resolver.Anchor{Key: "/01/09506000134352", Description: "two"}
	x.Put(a)
	x.Put(nil)
	if got := x.Get(a.Key); got != a {
		t.Fatalf("Get = %v, want %v", got, a)
	}
	if got := x.GetBytes([]byte(a.Key)); got != a {
		t.Fatalf("GetBytes = %v, want %v", got, a)
	}
	x.Put(b)
	if got := x.Get(a.Key); got != b || x.Len() != 1 {
		t.Fatalf("after replace: Get = %v, Len = %d", got, x.Len())
	}
	x.Delete(a.Key)
	x.Delete("/01/00000000000000")
	if x.Get(a.Key) != nil || x.Len() != 0 {
		t.Fatal("Delete left the anchor in place")
	}
}

func TestIndex_GetBytesDoesNotAllocate(t *testing.T) {
	x := resolver.NewIndex()
	x.Put(&resolver.Anchor{Key: "/01/09506000134352"})
	key := []byte("/01/09506000134352")
	allocs := testing.AllocsPerRun(100, func() {
		if x.GetBytes(key) == nil {
			t.Fatal("miss")
		}
	})
	if allocs != 0 {
		t.Errorf("GetBytes allocates %v times per run", allocs)
	}
}

func TestIndex_ConcurrentReadersAndWriter(t *testing.T) {
	t.Parallel()
	x := resolver.NewIndex()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 1000 {
			k := fmt.Sprintf("/01/%014d", i%50)
			x.Put(&resolver.Anchor{Key: k})
			if i%3 == 0 {
				x.Delete(k)
			}
		}
	}()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := []byte("/01/00000000000007")
			for range 1000 {
				_ = x.GetBytes(key)
				_ = x.Len()
			}
		}()
	}
	wg.Wait()
	if x.Len() > 50 {
		t.Errorf("Len = %d, want at most 50", x.Len())
	}
}

func TestIndex_ContextsFollowPublicLinks(t *testing.T) {
	t.Parallel()
	x := resolver.NewIndex()
	x.Put(&resolver.Anchor{Key: "/01/09506000134352", Links: []resolver.Link{
		{Type: resolver.LinkTypeDefault, Public: true},
		{Type: "https://gs1.org/voc/pip", Public: true, Context: []string{"LK", "GB"}},
		{Type: "https://gs1.org/voc/pip", Public: false, Context: []string{"hidden"}},
	}})
	x.Put(&resolver.Anchor{Key: "/01/09506000134376", Links: []resolver.Link{
		{Type: "https://gs1.org/voc/pip", Public: true, Context: []string{"GB"}},
	}})
	if got := x.Contexts(); !slices.Equal(got, []string{"GB", "LK"}) {
		t.Fatalf("Contexts = %v", got)
	}
	x.Put(&resolver.Anchor{Key: "/01/09506000134352"})
	if got := x.Contexts(); !slices.Equal(got, []string{"GB"}) {
		t.Fatalf("after replace: Contexts = %v", got)
	}
	x.Delete("/01/09506000134376")
	if got := x.Contexts(); len(got) != 0 {
		t.Fatalf("after delete: Contexts = %v", got)
	}
}
