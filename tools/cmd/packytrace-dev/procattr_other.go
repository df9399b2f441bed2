//go:build !linux

package main

import "syscall"

// childAttr puts a child in its own process group, so Ctrl-C reaches only the
// launcher, which stops the children in order.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
