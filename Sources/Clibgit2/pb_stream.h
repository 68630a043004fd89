#ifndef PROMOTE_CLIBGIT2_PB_STREAM_H
#define PROMOTE_CLIBGIT2_PB_STREAM_H
/*
 * A plain TCP socket stream for libgit2 1.5 (registered with git_stream_register(GIT_STREAM_STANDARD)) whose
 * connect, read and write wait with poll() and give up after a timeout. libgit2 1.5 has no network timeouts.
 *
 * Layers covered (measured, see docs/git-transport.md): http:// and git:// use this stream directly; https:// runs
 * mbedTLS on top of it (git_mbedtls_stream_new wraps git_socket_stream_new, which consults the registry); ssh://
 * (libssh2) calls git_stream_connect on it (connect timeout applies) and then reads the file descriptor directly,
 * casting the stream to libgit2's private git_socket_stream. That is why the first four fields mirror libgit2's
 * git_socket_stream { git_stream parent; char *host; char *port; GIT_SOCKET s; } exactly. Idle time on such
 * "direct" sockets is watched from outside (see Git2's NetworkWatchdog), which shuts the socket down.
 *
 * No static variables here: this header may be compiled into several object files.
 */
#include <git2.h>
#include <git2/sys/stream.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

typedef struct pb_socket_stream {
  git_stream parent;
  char *host;   /* mirrors git_socket_stream */
  char *port;   /* mirrors git_socket_stream */
  int s;        /* mirrors git_socket_stream: libssh2 reads this descriptor directly */
  int connect_timeout_ms;
  int idle_timeout_ms;
  volatile int used_io;    /* set once libgit2 reads or writes through this stream */
  volatile int timed_out;  /* set when a timeout fired (here or by the watchdog) */
  volatile int connected;
  void (*on_close)(struct pb_socket_stream *);  /* called before the descriptor is closed */
  void *context;
} pb_socket_stream;

static inline long pb_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for `events` on fd for at most timeout_ms (<= 0: forever). 1 ready, 0 timed out, -1 error. */
static inline int pb_wait(int fd, short events, int timeout_ms) {
  long deadline = timeout_ms > 0 ? pb_now_ms() + timeout_ms : 0;
  for (;;) {
    struct pollfd p = { fd, events, 0 };
    int wait = -1;
    if (timeout_ms > 0) {
      long left = deadline - pb_now_ms();
      if (left <= 0) return 0;
      wait = (int)left;
    }
    int rc = poll(&p, 1, wait);
    if (rc > 0) return 1;
    if (rc == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

static inline int pb_stream_connect(git_stream *stream) {
  pb_socket_stream *st = (pb_socket_stream *)stream;
  struct addrinfo hints, *info = NULL, *p;
  int rc, fd = -1, last_errno = 0, timed_out = 0;
  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_family = AF_UNSPEC;
  if ((rc = getaddrinfo(st->host, st->port, &hints, &info)) != 0) {
    git_error_set_str(GIT_ERROR_NET, gai_strerror(rc));
    return -1;
  }
  for (p = info; p != NULL; p = p->ai_next) {
    fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol);
    if (fd < 0) { last_errno = errno; continue; }
    int flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    rc = connect(fd, p->ai_addr, p->ai_addrlen);
    if (rc < 0 && errno == EINPROGRESS) {
      int ready = pb_wait(fd, POLLOUT, st->connect_timeout_ms);
      if (ready == 1) {
        int err = 0; socklen_t len = sizeof(err);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        rc = err == 0 ? 0 : -1;
        errno = err;
      } else {
        if (ready == 0) timed_out = 1;
        rc = -1;
      }
    }
    if (rc == 0) {
      fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      break;
    }
    last_errno = errno;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(info);
  if (fd < 0) {
    char msg[256];
    if (timed_out) {
      st->timed_out = 1;
      snprintf(msg, sizeof(msg), "timed out after %d ms connecting to %s:%s", st->connect_timeout_ms, st->host, st->port);
    } else {
      snprintf(msg, sizeof(msg), "failed to connect to %s:%s: %s", st->host, st->port, strerror(last_errno));
    }
    git_error_set_str(GIT_ERROR_NET, msg);
    return -1;
  }
  st->s = fd;
  st->connected = 1;
  return 0;
}

static inline void pb_stream_timeout_error(pb_socket_stream *st, const char *what) {
  char msg[256];
  st->timed_out = 1;
  snprintf(msg, sizeof(msg), "timed out after %d ms without %s %s:%s", st->idle_timeout_ms, what, st->host, st->port);
  git_error_set_str(GIT_ERROR_NET, msg);
}

static inline ssize_t pb_stream_read(git_stream *stream, void *data, size_t len) {
  pb_socket_stream *st = (pb_socket_stream *)stream;
  st->used_io = 1;
  for (;;) {
    int ready = pb_wait(st->s, POLLIN, st->idle_timeout_ms);
    if (ready == 0) { pb_stream_timeout_error(st, "data from"); return -1; }
    if (ready < 0) { git_error_set_str(GIT_ERROR_NET, strerror(errno)); return -1; }
    ssize_t n = recv(st->s, data, len, 0);
    if (n >= 0) return n;
    if (errno == EINTR || errno == EAGAIN) continue;
    git_error_set_str(GIT_ERROR_NET, strerror(errno));
    return -1;
  }
}

static inline ssize_t pb_stream_write(git_stream *stream, const char *data, size_t len, int flags) {
  pb_socket_stream *st = (pb_socket_stream *)stream;
  size_t off = 0;
  (void)flags;
  st->used_io = 1;
  while (off < len) {
    int ready = pb_wait(st->s, POLLOUT, st->idle_timeout_ms);
    if (ready == 0) { pb_stream_timeout_error(st, "progress sending to"); return -1; }
    if (ready < 0) { git_error_set_str(GIT_ERROR_NET, strerror(errno)); return -1; }
    ssize_t n = send(st->s, data + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      git_error_set_str(GIT_ERROR_NET, strerror(errno));
      return -1;
    }
    off += (size_t)n;
  }
  return (ssize_t)off;
}

static inline int pb_stream_close(git_stream *stream) {
  pb_socket_stream *st = (pb_socket_stream *)stream;
  if (st->on_close) st->on_close(st);
  if (st->s >= 0) { close(st->s); st->s = -1; }
  st->connected = 0;
  return 0;
}

static inline void pb_stream_free(git_stream *stream) {
  pb_socket_stream *st = (pb_socket_stream *)stream;
  if (st->on_close) st->on_close(st);
  if (st->s >= 0) { close(st->s); st->s = -1; }
  free(st->host);
  free(st->port);
  free(st);
}

/* Creates an unconnected stream; the caller (Swift) fills on_close/context and registers it with its watchdog. */
static inline pb_socket_stream *pb_socket_stream_new(const char *host, const char *port, int connect_ms, int idle_ms) {
  pb_socket_stream *st = (pb_socket_stream *)calloc(1, sizeof(pb_socket_stream));
  if (!st) return NULL;
  st->parent.version = GIT_STREAM_VERSION;
  st->parent.encrypted = 0;
  st->parent.proxy_support = 0;
  st->parent.connect = pb_stream_connect;
  st->parent.read = pb_stream_read;
  st->parent.write = pb_stream_write;
  st->parent.close = pb_stream_close;
  st->parent.free = pb_stream_free;
  st->host = strdup(host);
  st->port = strdup(port);
  st->s = -1;
  st->connect_timeout_ms = connect_ms;
  st->idle_timeout_ms = idle_ms;
  return st;
}

/* Milliseconds since data and since an ACK were last received on fd (Linux TCP_INFO). 0 on success. */
static inline int pb_tcp_quiet_ms(int fd, unsigned *since_data, unsigned *since_ack) {
  struct tcp_info info;
  socklen_t len = sizeof(info);
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) return -1;
  *since_data = info.tcpi_last_data_recv;
  *since_ack = info.tcpi_last_ack_recv;
  return 0;
}

static inline int pb_shutdown(int fd) { return shutdown(fd, SHUT_RDWR); }

static inline int pb_git_register_standard_stream(int (*init)(git_stream **, const char *, const char *)) {
  git_stream_registration reg;
  memset(&reg, 0, sizeof(reg));
  reg.version = GIT_STREAM_VERSION;
  reg.init = init;
  reg.wrap = NULL;
  return git_stream_register(GIT_STREAM_STANDARD, &reg);
}
#endif
