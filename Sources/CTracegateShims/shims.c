// GNU extensions, compiled here with _GNU_SOURCE so the public header stays standard.
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/socket.h>

int tg_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}

void tg_set_thread_name(pthread_t thread, const char *name) {
    pthread_setname_np(thread, name);
}
