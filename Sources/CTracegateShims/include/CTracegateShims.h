// CTracegateShims: the few things Swift cannot express directly.
//
// `struct epoll_event` is packed on x86_64 (__EPOLL_PACKED), which Swift imports incorrectly, so
// the data plane talks to epoll through these wrappers with an unpacked event type. errno is a
// thread-local macro. Everything here is static inline: no call overhead on the hot path.
#ifndef CTRACEGATE_SHIMS_H
#define CTRACEGATE_SHIMS_H


#include <stdint.h>
#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <sys/random.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <pthread.h>
#include <time.h>
#include <string.h>

/// An unpacked epoll event: events mask and the 64-bit user data.
typedef struct tg_event {
    uint32_t events;
    uint64_t data;
} tg_event;

static inline int tg_errno(void) { return errno; }

/// accept4 and pthread_setname_np are GNU extensions that Swift's Glibc module does not expose.
/// They are defined in shims.c, which alone sees _GNU_SOURCE: defining it in this header would make
/// the system headers' declarations differ from those in Swift's Glibc module.
int tg_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
void tg_set_thread_name(pthread_t thread, const char *name);

static inline int tg_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

/// Waits and unpacks up to `max` (<= 512) events into `out`. Returns the count, or -1 with errno.
static inline int tg_epoll_wait(int epfd, tg_event *out, int max, int timeout_ms) {
    struct epoll_event evs[512];
    if (max > 512) max = 512;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        out[i].events = evs[i].events;
        out[i].data = evs[i].data.u64;
    }
    return n;
}

/// Monotonic time in nanoseconds (CLOCK_MONOTONIC); for timers and durations.
static inline uint64_t tg_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/// Wall-clock time in nanoseconds since the Unix epoch (CLOCK_REALTIME); for spans and logs.
static inline uint64_t tg_realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/// Enables an int socket option; returns 0 or -1.
static inline int tg_setsockopt_int(int fd, int level, int name, int value) {
    return setsockopt(fd, level, name, &value, sizeof(value));
}

/// Reads SO_ERROR after a non-blocking connect completes.
static inline int tg_socket_error(int fd) {
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
    return err;
}

/// Arms SO_LINGER {1, 0} so that close() sends RST (used to abort a connection mid-response).
static inline void tg_set_linger_reset(int fd) {
    struct linger l = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

/// Blocks SIGPIPE, SIGTERM, SIGINT and SIGHUP in the calling thread (workers): signals belong to
/// the control side.
static inline void tg_block_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static inline void tg_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

/// Single-writer counters: the owning worker stores, the control side loads, both relaxed. On
/// x86_64 and arm64 these are plain moves: no lock prefix, no shared cache-line ping-pong.
static inline void tg_store_relaxed(uint64_t *p, uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }
static inline uint64_t tg_load_relaxed(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }

/// Single-producer/single-consumer ring indices: the producer publishes with release, the
/// consumer observes with acquire, so a record is fully written before it is read.
static inline void tg_store_release(uint64_t *p, uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
static inline uint64_t tg_load_acquire(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }

/// Seqlock fences (metric exemplars): the writer marks its sequence odd, then a release fence keeps
/// the data stores after that mark; the reader loads the data, then an acquire fence keeps the
/// re-check of the sequence after those loads. Plain release/acquire stores and loads order only
/// one side each, which is not enough for data written between two sequence stores.
static inline void tg_fence_release(void) { __atomic_thread_fence(__ATOMIC_RELEASE); }
static inline void tg_fence_acquire(void) { __atomic_thread_fence(__ATOMIC_ACQUIRE); }

#endif
