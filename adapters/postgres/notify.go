package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// WaitForNotification returns when a notification arrives on conn (which
// LISTENs) or poll has passed without one, for loops that catch up on both
// (a notification can be lost while the connection is re-established). An
// error means ctx is done or the connection broke.
func WaitForNotification(ctx context.Context, conn *pgx.Conn, poll time.Duration) error {
	wctx, cancel := context.WithTimeout(ctx, poll)
	defer cancel()
	_, err := conn.WaitForNotification(wctx)
	if err == nil || (ctx.Err() == nil && wctx.Err() != nil && !conn.IsClosed()) {
		return nil
	}
	return fmt.Errorf("wait for notification: %w", err)
}

// DiscardNotifications drops the notifications conn has already received,
// for a caller about to read everything they announced anyway: without it a
// burst of commits would cause one catch-up per commit.
func DiscardNotifications(conn *pgx.Conn) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for {
		// Buffered notifications are returned even with a done context;
		// with none left, it returns at once without touching the wire.
		if n, _ := conn.WaitForNotification(done); n == nil {
			return
		}
	}
}
