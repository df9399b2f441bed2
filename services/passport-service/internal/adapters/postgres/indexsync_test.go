package postgres_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/postgres"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app/apptest"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// startSync runs an index sync (a "replica") until the test ends and waits
// until it has loaded. The poll interval is an hour, so only notifications
// (or a reconnection) can bring changes in during a test.
func startSync(t testing.TB, pool *pgxpool.Pool, batch int) (*resolver.Index, *postgres.IndexSync) {
	t.Helper()
	idx := resolver.NewIndex()
	return idx, runSync(t, pool, idx, batch)
}

// runSync is startSync into an index of the caller's (batch 0: the
// default load batch).
func runSync(t testing.TB, pool *pgxpool.Pool, idx *resolver.Index, batch int) *postgres.IndexSync {
	t.Helper()
	s := postgres.NewIndexSync(pool, idx, postgres.IndexSyncConfig{PollInterval: time.Hour, BatchSize: batch})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("sync returned %v", err)
		}
	})
	waitFor(t, "index loaded", func() bool { return s.Ready(ctx) == nil })
	return s
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline. It asserts an outcome, not a speed.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func put(t testing.TB, repo app.AnchorRepository, anchors ...resolver.Anchor) {
	t.Helper()
	_, err := repo.ReplaceAnchors(context.Background(), anchors, nil, func(map[string]*resolver.Anchor) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
}

func title(idx *resolver.Index, key string) string {
	a := idx.Get(key)
	if a == nil || len(a.Links) == 0 {
		return ""
	}
	return a.Links[0].Title
}

func TestIndexSync_TwoReplicasFollowEveryWrite(t *testing.T) {
	t.Parallel()
	pool := newDB(t)
	repo := postgres.NewAnchorRepository(pool)
	one, syncOne := startSync(t, pool, 0)
	two, syncTwo := startSync(t, pool, 0)

	const key = "/01/09506000134352"
	lot := apptest.Anchor(key+"/10/LOT1", "9506000")
	put(t, repo, apptest.Anchor(key, "9506000"), lot)
	for name, idx := range map[string]*resolver.Index{"one": one, "two": two} {
		waitFor(t, "replica "+name+" sees the upload", func() bool { return idx.Get(key) != nil && idx.Get(lot.Key) != nil })
	}

	changed := apptest.Anchor(key, "9506000")
	changed.Links[0].Title = "Changed"
	put(t, repo, changed)
	for name, idx := range map[string]*resolver.Index{"one": one, "two": two} {
		waitFor(t, "replica "+name+" sees the replacement", func() bool { return title(idx, key) == "Changed" })
	}

	if err := repo.DeleteAnchor(context.Background(), lot.Key, []string{key}, func(app.DeleteFacts) error { return nil }); err != nil {
		t.Fatal(err)
	}
	for name, idx := range map[string]*resolver.Index{"one": one, "two": two} {
		waitFor(t, "replica "+name+" drops the deleted anchor", func() bool { return idx.Get(lot.Key) == nil })
	}
	waitFor(t, "both replicas at the same change", func() bool { return syncOne.Applied() == syncTwo.Applied() })
	if one.Len() != 1 || two.Len() != 1 {
		t.Fatalf("index sizes %d and %d, want 1", one.Len(), two.Len())
	}
	got := one.Get(key)
	want := changed
	if got.Brand != want.Brand || got.Description != want.Description || len(got.Links) != len(want.Links) ||
		got.Links[1].MediaType != "text/html" || got.Links[1].Context[0] != "gb" || got.Links[1].Hreflang[1] != "en-GB" {
		t.Fatalf("indexed anchor %+v, want %+v", *got, want)
	}
}

func TestIndexSync_LoadsInBatchesAndDropsDeletedKeys(t *testing.T) {
	t.Parallel()
	pool := newDB(t)
	repo := postgres.NewAnchorRepository(pool)
	var all []resolver.Anchor
	for i := range 25 {
		all = append(all, apptest.Anchor(fmt.Sprintf("/8004/9506000%03d", i), "9506000"))
	}
	put(t, repo, all...)
	gone := all[7].Key
	if err := repo.DeleteAnchor(context.Background(), gone, nil, func(app.DeleteFacts) error { return nil }); err != nil {
		t.Fatal(err)
	}

	idx := resolver.NewIndex()
	stale := apptest.Anchor(gone, "9506000") // as an interrupted earlier load could leave it
	idx.Put(&stale)
	s := postgres.NewIndexSync(pool, idx, postgres.IndexSyncConfig{PollInterval: time.Hour, BatchSize: 4})
	if err := s.Ready(context.Background()); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("ready before loading: %v, want unavailable", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("sync returned %v", err)
		}
	})
	waitFor(t, "index loaded", func() bool { return s.Ready(ctx) == nil })

	if idx.Len() != 24 || idx.Get(gone) != nil {
		t.Fatalf("loaded %d anchors (deleted one present: %v), want 24 without it", idx.Len(), idx.Get(gone) != nil)
	}
	for _, a := range all {
		if a.Key != gone && idx.Get(a.Key) == nil {
			t.Fatalf("%s missing after the load", a.Key)
		}
	}
}

func TestIndexSync_CatchesUpAfterLosingItsConnection(t *testing.T) {
	t.Parallel()
	pool := newDB(t)
	repo := postgres.NewAnchorRepository(pool)
	idx, s := startSync(t, pool, 0)
	put(t, repo, apptest.Anchor("/01/09506000134352", "9506000"))
	waitFor(t, "first write applied", func() bool { return idx.Len() == 1 })

	// Kill the sync's session; writes land while it reconnects, and the
	// catch-up after reconnecting must bring them in.
	var killed int
	err := pool.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = 'passport-anchor-index-sync'`).Scan(&killed)
	if err != nil || killed != 1 {
		t.Fatalf("terminated %d sessions: %v", killed, err)
	}
	for i := range 5 {
		put(t, repo, apptest.Anchor("/01/0950600013435"+strconv.Itoa(i)+"0", "9506000"))
	}
	waitFor(t, "writes made during the reconnection applied", func() bool { return idx.Len() == 6 })
	before := s.Applied()
	if before == 0 {
		t.Fatal("no change sequence number recorded")
	}
}

// BenchmarkIndexSync_Load measures the start-up load: time per anchor and
// heap per anchor in the index. PASSPORT_BENCH_ANCHORS sets the number of
// anchors (default 100000; the README quotes a run with 1000000). Each
// anchor has a default link and a described product page, as
// apptest.Anchor makes them.
func BenchmarkIndexSync_Load(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("PASSPORT_BENCH_ANCHORS")); err == nil && v > 0 {
		n = v
	}
	pool := newDB(b)
	repo := postgres.NewAnchorRepository(pool)
	const chunk = 10000
	batch := make([]resolver.Anchor, 0, chunk)
	for i := range n {
		batch = append(batch, apptest.Anchor(fmt.Sprintf("/01/0950600%06d/21/S%d", i/1000, i), "9506000"))
		if len(batch) == chunk || i == n-1 {
			put(b, repo, batch...)
			batch = batch[:0]
		}
	}
	if _, err := pool.Exec(context.Background(), "VACUUM ANALYZE passport.anchors"); err != nil {
		b.Fatal(err)
	}
	var heap float64
	b.ResetTimer()
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		idx := resolver.NewIndex()
		s := postgres.NewIndexSync(pool, idx, postgres.IndexSyncConfig{PollInterval: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		for s.Ready(ctx) != nil {
			time.Sleep(time.Millisecond)
		}
		b.StopTimer()
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		heap = float64(after.HeapAlloc) - float64(before.HeapAlloc)
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		if idx.Len() != n {
			b.Fatalf("loaded %d anchors, want %d", idx.Len(), n)
		}
		runtime.KeepAlive(idx)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/anchor")
	b.ReportMetric(heap/float64(n), "heap-bytes/anchor")
}

// BenchmarkIndexSync_WriteReachesReplica measures one upload of one anchor
// until another replica's index holds it: the write transaction, the
// notification and the catch-up query.
func BenchmarkIndexSync_WriteReachesReplica(b *testing.B) {
	pool := newDB(b)
	repo := postgres.NewAnchorRepository(pool)
	idx, _ := startSync(b, pool, 0)
	a := apptest.Anchor("/01/09506000134352", "9506000")
	i := 0
	for b.Loop() {
		i++
		want := "Product " + strconv.Itoa(i)
		a.Links[0].Title = want
		put(b, repo, a)
		for title(idx, a.Key) != want {
			runtime.Gosched()
		}
	}
}
