// Linux interfaces that Swift's Glibc module does not import: epoll, eventfd and signalfd
// live in headers its module map leaves out. These are libc symbols, so no link line.
#ifndef KAPTA_LINUX_SHIM_H
#define KAPTA_LINUX_SHIM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>

// Declared here because defining _GNU_SOURCE would import the sockaddr parameter as the
// transparent union __SOCKADDR_ARG, which Swift cannot pass a plain pointer or nil to.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);


// A GNU extension, declared for the same reason: naming event loop threads shows them in
// `top -H` and in crash reports.
extern int pthread_setname_np(pthread_t thread, const char *name);

#endif
