// CTracegateOpenSSL: the system OpenSSL 3.0 (Debian libssl-dev) for TracegateTLS.
//
// Many OpenSSL entry points are function-like macros over SSL_ctrl / SSL_CTX_ctrl /
// SSL_CTX_callback_ctrl, and option bits are built with casts (SSL_OP_BIT); Swift imports
// neither. Each one TracegateTLS needs is wrapped here as a static inline function with the
// macro's own name prefixed by `tg_`, so there is no call overhead and the OpenSSL manual
// page of the macro documents the wrapper.
//
// Coexistence with swift-crypto: swift-crypto bundles BoringSSL with every symbol prefixed
// (CCryptoBoringSSL_*) and its headers renamed, so both libraries link into one binary and
// neither header set shadows the other.
#ifndef CTRACEGATE_OPENSSL_SHIM_H
#define CTRACEGATE_OPENSSL_SHIM_H

#include <stdint.h>
#include <openssl/ssl.h>
#include <openssl/tls1.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

// MARK: - Context settings (SSL_CTX_ctrl macros)

/// SSL_CTX_set_min_proto_version(3): returns 1 on success.
static inline int tg_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

/// SSL_CTX_set_max_proto_version(3): returns 1 on success.
static inline int tg_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

/// SSL_CTX_set_mode(3): returns the new mode bitmask.
static inline long tg_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

/// SSL_CTX_set_session_cache_mode(3): returns the previous mode.
static inline long tg_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}

/// SSL_CTX_set_tlsext_servername_callback(3): the SNI callback runs during ClientHello
/// processing, always (with or without an SNI extension) in OpenSSL 1.1.1 and later.
static inline long tg_SSL_CTX_set_tlsext_servername_callback(SSL_CTX *ctx, int (*callback)(SSL *, int *, void *)) {
    return SSL_CTX_set_tlsext_servername_callback(ctx, callback);
}

/// SSL_CTX_set_tlsext_servername_arg(3).
static inline long tg_SSL_CTX_set_tlsext_servername_arg(SSL_CTX *ctx, void *arg) {
    return SSL_CTX_set_tlsext_servername_arg(ctx, arg);
}

/// SSL_CTX_get_ex_new_index(3).
static inline int tg_SSL_CTX_get_ex_new_index(CRYPTO_EX_free *free_function) {
    return SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, free_function);
}

// MARK: - Connection settings (SSL_ctrl macros)

/// SSL_set_tlsext_host_name(3): the SNI host name a client sends; returns 1 on success.
static inline int tg_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/// SSL_set_max_proto_version(3).
static inline int tg_SSL_set_max_proto_version(SSL *ssl, int version) {
    return (int)SSL_set_max_proto_version(ssl, version);
}

// MARK: - Constants Swift cannot import (built with casts or SSL_OP_BIT)

static inline uint64_t tg_SSL_OP_NO_TICKET(void) { return SSL_OP_NO_TICKET; }
static inline uint64_t tg_SSL_OP_NO_COMPRESSION(void) { return SSL_OP_NO_COMPRESSION; }
static inline uint64_t tg_SSL_OP_NO_RENEGOTIATION(void) { return SSL_OP_NO_RENEGOTIATION; }
static inline uint64_t tg_SSL_OP_CIPHER_SERVER_PREFERENCE(void) { return SSL_OP_CIPHER_SERVER_PREFERENCE; }
static inline long tg_SSL_MODE_ENABLE_PARTIAL_WRITE(void) { return SSL_MODE_ENABLE_PARTIAL_WRITE; }
static inline long tg_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER(void) { return SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER; }
static inline long tg_SSL_SESS_CACHE_SERVER(void) { return SSL_SESS_CACHE_SERVER; }
static inline long tg_SSL_SESS_CACHE_CLIENT(void) { return SSL_SESS_CACHE_CLIENT; }

/// XN_FLAG_RFC2253 for X509_NAME_print_ex(3): "CN=a,O=b", the most specific name first.
static inline unsigned long tg_XN_FLAG_RFC2253(void) { return XN_FLAG_RFC2253; }

// MARK: - Error queue (ERR_GET_LIB / ERR_GET_REASON are macros in 3.0)

/// ERR_raise_data(3) with a fixed text: puts a precise reason on the error queue from inside
/// a callback, where OpenSSL itself would only record "callback failed".
static inline void tg_ERR_raise_ssl(int reason, const char *text) {
    ERR_raise_data(ERR_LIB_SSL, reason, "%s", text);
}

/// ERR_GET_REASON(3).
static inline int tg_ERR_GET_REASON(unsigned long error) { return ERR_GET_REASON(error); }

/// ERR_GET_LIB(3).
static inline int tg_ERR_GET_LIB(unsigned long error) { return ERR_GET_LIB(error); }

#endif
