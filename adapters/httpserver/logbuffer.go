package httpserver

import (
	"io"
	"sync"
	"time"
)

// Defaults of the service log buffer: a line waits at most
// DefaultLogFlushInterval, and the buffer is written out when
// DefaultLogBufferSize bytes are waiting.
const (
	DefaultLogFlushInterval = 100 * time.Millisecond
	DefaultLogBufferSize    = 64 << 10
)

// LogBuffer batches log lines into few writes: one write syscall per access
// log line costs a busy service as much CPU as answering a small request.
// Each Write is kept whole (slog writes one record per call), so lines from
// concurrent loggers never interleave, and lines come out in the order they
// were written. What is buffered goes to the underlying writer when the
// buffer would grow past its size, at most interval after the first line
// went into an empty buffer, on Flush and on Close.
//
// NewLogger flushes a LogBuffer after every record at Warn or above, so
// warnings and errors (server errors in the access log among them) come out
// at once together with everything before them.
//
// Crash window: Info and Debug lines logged during the last interval (at
// most size bytes) are lost when the process dies without Close: SIGKILL,
// an out-of-memory kill, a runtime fatal error or a panic no handler
// recovers. A service closes its LogBuffer on its way out (daemon's Execute
// does), including after SIGINT and SIGTERM.
type LogBuffer struct {
	mu       sync.Mutex
	w        io.Writer
	buf      []byte
	size     int
	interval time.Duration
	timer    *time.Timer
	armed    bool  // timer is running for what is in buf
	closed   bool  // writes go straight to w
	err      error // the last error of a flush no caller saw
}

// NewLogBuffer returns a LogBuffer writing to w. A size or interval of zero
// or less means DefaultLogBufferSize or DefaultLogFlushInterval.
func NewLogBuffer(w io.Writer, size int, interval time.Duration) *LogBuffer {
	if size <= 0 {
		size = DefaultLogBufferSize
	}
	if interval <= 0 {
		interval = DefaultLogFlushInterval
	}
	b := &LogBuffer{w: w, buf: make([]byte, 0, size), size: size, interval: interval}
	b.timer = time.AfterFunc(time.Hour, b.onTimer)
	b.timer.Stop()
	return b
}

// Write buffers p whole. When p does not fit beside what is buffered, the
// buffer is written out first; a p of the buffer's size or more is written
// straight through. After Close, every Write goes straight through. The
// error is the underlying writer's, from this write or from an earlier
// flush nobody saw.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return b.w.Write(p)
	}
	if len(b.buf)+len(p) > b.size {
		if err := b.flushLocked(); err != nil {
			b.err = err
		}
	}
	if len(p) >= b.size {
		n, err := b.w.Write(p)
		return n, b.takeErr(err)
	}
	b.buf = append(b.buf, p...)
	if !b.armed {
		b.armed = true
		b.timer.Reset(b.interval)
	}
	return len(p), b.takeErr(nil)
}

// Flush writes out what is buffered.
func (b *LogBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.takeErr(b.flushLocked())
}

// Close writes out what is buffered and stops the timer; later writes go
// straight to the underlying writer, so nothing logged after Close is lost.
// It does not close the underlying writer.
func (b *LogBuffer) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.timer.Stop()
	b.armed = false
	return b.takeErr(b.flushLocked())
}

func (b *LogBuffer) onTimer() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.armed = false
	if err := b.flushLocked(); err != nil {
		b.err = err
	}
}

// flushLocked writes the buffer out; on error what was buffered is dropped,
// as an unbuffered write would have lost it too.
func (b *LogBuffer) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}

// takeErr returns err, or the pending flush error (clearing it) when err is
// nil.
func (b *LogBuffer) takeErr(err error) error {
	if err == nil {
		err, b.err = b.err, nil
	}
	return err
}
