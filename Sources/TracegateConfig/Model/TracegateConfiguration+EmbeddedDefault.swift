// TracegateConfiguration+EmbeddedDefault.swift — the configuration `tracegate` runs with no arguments.

extension TracegateConfiguration {
    /// The default configuration, written as a commented example for newcomers.
    ///
    /// One listener on 127.0.0.1:8080 trusting loopback, one catch-all route to the `demo`
    /// cluster (127.0.0.1:8081, the echo upstream the binary starts itself), admin on
    /// 127.0.0.1:9901, and every other key at its default. `tracegate` prints it on request so a
    /// user can start from a file that is known to load.
    public static let embeddedDefaultYAML: String = """
        # Tracegate configuration — the built-in default.
        #
        # Tracegate is a reverse proxy: clients connect to a *listener*, each request is matched
        # against the *routes* in order, and the first route that matches sends it to a *cluster*
        # of upstream endpoints. On the way, every request gets a W3C trace context, a
        # correlation id and a session id. Every key not written here takes its default; see
        # docs/CONFIG.md for the full list (durations: "250ms", "1.5s", "30m", "1h" or a number
        # of seconds; sizes: 65536, "64KiB", "1GiB").

        # Worker threads, each with its own event loop. 0 = one per CPU core.
        workers: 0

        # Admin endpoints (/debug/state, metrics, health). Keep them on loopback.
        admin:
          address: "127.0.0.1:9901"

        # Where clients connect.
        listeners:
          - name: public
            address: "127.0.0.1:8080"
            # Peers in these ranges are trusted: their traceparent, correlation id and debug
            # header are honoured. Everyone else gets a fresh trace (linked to theirs) and has
            # internal headers stripped. [] trusts nobody.
            trusted_cidrs: ["127.0.0.0/8", "::1/128"]
            # HTTP/2 is served next to HTTP/1.1 (h2c by prior knowledge here). To serve TLS
            # instead (HTTP/2 and HTTP/1.1 by ALPN), add:
            # tls:
            #   certificate_chain: /etc/tracegate/tls/server.pem
            #   private_key: /etc/tracegate/tls/server.key

        # Which cluster serves which requests. Tried in order; the first match wins.
        routes:
          - name: default
            match:
              path_prefix: "/"        # everything
            cluster: demo

        # Groups of upstream servers.
        clusters:
          - name: demo
            # The demo echo server that `tracegate` starts next to the proxy, so that
            # `curl -i http://127.0.0.1:8080/` shows the headers an upstream receives.
            endpoints: ["127.0.0.1:8081"]

        # The rest keeps its defaults. For example, to change limits or timeouts:
        #
        # limits:
        #   max_header_bytes: 64KiB
        #   max_request_body_bytes: 1GiB
        # timeouts:
        #   upstream_response: 30s
        # context:
        #   sampling_ratio: 1.0
        #   correlation:
        #     header: X-Correlation-ID

        """
}
