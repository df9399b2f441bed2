package main

import "syscall"

// childAttr puts a child in its own process group, so Ctrl-C reaches only the
// launcher, which stops the children in order, and has the kernel send the
// child SIGTERM should the launcher die without cleaning up.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
