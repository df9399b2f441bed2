package postgres_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/adapters/postgres/pgtest"
)

func TestWaitForNotification_WakesOnNoticeOrPollAndFailsOnBrokenConnection(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	listener, err := pgx.Connect(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	channel := pgtest.Name(t, "notify")
	if _, err := listener.Exec(ctx, "LISTEN "+channel); err != nil {
		t.Fatal(err)
	}
	admin := pgtest.AdminPool(t)

	// No notice: the poll interval passes, and that is not an error.
	if err := postgres.WaitForNotification(ctx, listener, 20*time.Millisecond); err != nil {
		t.Fatalf("quiet wait: %v", err)
	}
	// A notice wakes it well before a long poll interval.
	if _, err := admin.Exec(ctx, "SELECT pg_notify($1, 'x')", channel); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- postgres.WaitForNotification(ctx, listener, time.Minute) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("wait with a notice: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a notice did not end the wait")
	}

	// Three notices already received are dropped in one go.
	for range 3 {
		if _, err := admin.Exec(ctx, "SELECT pg_notify($1, 'y')", channel); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := listener.Exec(ctx, "SELECT 1"); err != nil { // reads the notices off the wire
		t.Fatal(err)
	}
	postgres.DiscardNotifications(listener)
	start := time.Now()
	if err := postgres.WaitForNotification(ctx, listener, 50*time.Millisecond); err != nil || time.Since(start) < 40*time.Millisecond {
		t.Fatalf("after discarding, the wait returned %v after %s; want the poll interval to pass", err, time.Since(start))
	}

	// A closed connection is an error, not a poll.
	_ = listener.Close(ctx)
	if err := postgres.WaitForNotification(ctx, listener, time.Second); err == nil {
		t.Fatal("wait on a closed connection gave no error")
	}
}
