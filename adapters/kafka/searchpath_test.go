package kafka_test

import (
	"cmp"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/kafka"
	"github.com/packytrace/packytrace/adapters/postgres/pgtest"
)

// showSearchPath returns q's search_path without the quotes a quoted
// identifier keeps in it.
func showSearchPath(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (string, error) {
	var sp string
	err := q.QueryRow(ctx, "SHOW search_path").Scan(&sp)
	return strings.Trim(sp, `"`), err
}

// TestAdapter_PinsSearchPathToTheConfiguredSchema runs the outbox, the relay,
// the consumer and PruneProcessed on a pool whose own search_path leads
// elsewhere: to a decoy schema with kafka tables of its own, or to a schema
// with no tables at all. Every row must land in, and be read from, the
// configured schema only, and the caller's search_path must be back once its
// transaction ends.
func TestAdapter_PinsSearchPathToTheConfiguredSchema(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		decoyTables bool
	}{
		{"caller's search_path reaches another schema's kafka tables", true},
		{"caller's search_path reaches no kafka tables", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t, time.Minute)
			reg := testRegistry(t)
			schema, _ := migratedSchema(t, "pinned")
			decoy, caller := pgtest.NewSchema(t, "decoy")
			if tt.decoyTables {
				if err := kafka.Migrate(ctx, caller, decoy); err != nil {
					t.Fatal(err)
				}
			}
			admin := pgtest.AdminPool(t)
			// count counts the rows of a table, or with what "sum(event_count)"
			// the events of the outbox.
			countIn := func(s, table string, what ...string) int {
				t.Helper()
				n, err := countRows(ctx, admin, "SELECT coalesce("+cmp.Or(strings.Join(what, ""), "count(*)")+", 0) FROM "+pgx.Identifier{s, table}.Sanitize())
				if err != nil {
					t.Fatal(err)
				}
				return n
			}

			// Each size runs twice on one connection: first with statements
			// the connection has never prepared, then with prepared ones.
			// 1200 needs two rows.
			total := addOnOneConnection(ctx, t, caller, kafka.NewOutbox(schema, reg), decoy, []int{3, 1200, 2, 1200})
			if got := countIn(schema, "outbox", "sum(event_count)"); got != total {
				t.Fatalf("%s.outbox has %d events, want %d", schema, got, total)
			}
			if tt.decoyTables {
				if got := countIn(decoy, "outbox"); got != 0 {
					t.Fatalf("decoy outbox has %d rows, want 0", got)
				}
			}

			cluster := newCluster(t, kfake.SeedTopics(1, changedTopic))
			brokers := cluster.ListenAddrs()
			relay, err := kafka.NewRelay(caller, newClient(t, brokers), kafka.RelayConfig{Schema: schema, Logger: testLogger(t)})
			if err != nil {
				t.Fatal(err)
			}
			startRelay(t, ctx, relay)
			waitFor(ctx, t, "the outbox to drain", func() (bool, error) {
				n, err := relay.Backlog(ctx)
				return n == 0, err
			})
			if got := len(readAll(ctx, t, brokers, changedTopic, total)); got != total {
				t.Fatalf("the relay published %d records, want %d", got, total)
			}

			var mu sync.Mutex
			var handlerPaths []string
			handler := func(ctx context.Context, tx pgx.Tx, _ events.Envelope) error {
				sp, err := showSearchPath(ctx, tx)
				mu.Lock()
				defer mu.Unlock()
				handlerPaths = append(handlerPaths, sp)
				return err
			}
			c, err := kafka.NewConsumer(kafka.ConsumerConfig{
				Brokers: brokers, Group: "pinned", Topics: []string{changedTopic}, Schema: schema,
				Registry: reg, Pool: caller, Handler: handler, Logger: testLogger(t),
			})
			if err != nil {
				t.Fatal(err)
			}
			startConsumer(t, ctx, c)
			waitForCommitted(ctx, t, brokers, "pinned", changedTopic)
			if got := countIn(schema, "processed_events"); got != total {
				t.Fatalf("%s.processed_events has %d rows, want %d", schema, got, total)
			}
			mu.Lock()
			for _, sp := range handlerPaths {
				if sp != schema {
					t.Fatalf("a handler ran with search_path %q, want %q", sp, schema)
				}
			}
			mu.Unlock()

			if tt.decoyTables {
				if _, err := admin.Exec(ctx, "INSERT INTO "+pgx.Identifier{decoy, "processed_events"}.Sanitize()+
					" (consumer_group, event_id, processed_at) VALUES ('g', gen_random_uuid(), now() - interval '1 day')"); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := kafka.PruneProcessed(ctx, caller, schema, time.Now().Add(time.Hour)); err != nil || n != int64(total) {
				t.Fatalf("PruneProcessed = %d, %v; want %d", n, err, total)
			}
			if tt.decoyTables {
				if got := countIn(decoy, "processed_events"); got != 1 {
					t.Fatalf("PruneProcessed left %d rows in the decoy schema, want its 1", got)
				}
			}
		})
	}
}

// addOnOneConnection commits one Add of each size on a single connection of
// pool, checking after each commit that the connection's search_path is
// still want, and returns how many events it added.
func addOnOneConnection(ctx context.Context, t *testing.T, pool *pgxpool.Pool, outbox *kafka.Outbox, want string, sizes []int) int {
	t.Helper()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	total := 0
	for _, size := range sizes {
		envs := make([]events.Envelope, size)
		for i := range envs {
			envs[i] = changedEvent(t, itemName(i), 1)
		}
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := outbox.Add(ctx, tx, envs...); err != nil {
			_ = tx.Rollback(ctx)
			t.Fatalf("Add %d: %v", size, err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if sp, err := showSearchPath(ctx, conn); err != nil || sp != want {
			t.Fatalf("search_path after the transaction = %q, %v; want the caller's %q", sp, err, want)
		}
		total += size
	}
	return total
}
