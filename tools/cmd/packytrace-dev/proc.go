package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
)

// proc is one child process whose output is copied line by line with its
// name in front.
type proc struct {
	name    string
	cmd     *exec.Cmd
	cancel  context.CancelFunc
	done    chan struct{}
	err     error
	stopped atomic.Bool
}

func startProc(name, bin string, args, env []string, out *syncWriter) (*proc, error) {
	// Cancelling the context asks for a graceful stop (SIGTERM); a process
	// still running stopTimeout later is killed.
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = stopTimeout
	cmd.Env = env
	w := &prefixWriter{prefix: fmt.Sprintf("%-24s| ", name), out: out}
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, cancel: cancel, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		w.flush()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) markStopping()  { p.stopped.Store(true) }
func (p *proc) stopping() bool { return p.stopped.Load() }

// stop asks the process to shut down gracefully and waits until it has
// exited; exec kills it if it is still running after stopTimeout.
func (p *proc) stop() {
	p.markStopping()
	p.cancel()
	<-p.done
}

// syncWriter serialises whole lines from many processes.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) line(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = io.WriteString(s.w, text+"\n")
}

// prefixWriter splits a stream into lines and writes each with a prefix.
type prefixWriter struct {
	prefix string
	out    *syncWriter
	mu     sync.Mutex
	buf    bytes.Buffer
}

func (w *prefixWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(b)
	for {
		i := bytes.IndexByte(w.buf.Bytes(), '\n')
		if i < 0 {
			break
		}
		w.out.line(w.prefix + string(w.buf.Next(i + 1)[:i]))
	}
	return len(b), nil
}

func (w *prefixWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() > 0 {
		w.out.line(w.prefix + w.buf.String())
		w.buf.Reset()
	}
}
