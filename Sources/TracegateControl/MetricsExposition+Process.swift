// MetricsExposition+Process: the process-wide counters (connections, responses, edge, errors).
import TracegateDataPlane

extension MetricsExposition {
    /// One process-wide family: its samples are (labels, counter) pairs from `WorkerCounters`.
    struct Family {
        var name: String
        var help: String
        var kind: MetricsWriter.Kind
        var samples: [(labels: MetricsWriter.Labels, counter: WorkerCounters.Name)]
    }

    static let families: [Family] = [
        Family(name: "tracegate_connections_accepted_total", help: "Downstream connections accepted.", kind: .counter,
               samples: [([], .connectionsAccepted)]),
        Family(name: "tracegate_connections_rejected_total", help: "Downstream connections refused over limits.max_connections or while draining.",
               kind: .counter, samples: [([], .connectionsRejected)]),
        Family(name: "tracegate_connections_active", help: "Downstream connections open now.", kind: .gauge,
               samples: [([], .connectionsActive)]),
        Family(name: "tracegate_requests_total", help: "Request heads received.", kind: .counter, samples: [([], .requests)]),
        Family(name: "tracegate_responses_total", help: "Responses sent, by status class.", kind: .counter,
               samples: [([("code", "1xx")], .responses1xx), ([("code", "2xx")], .responses2xx), ([("code", "3xx")], .responses3xx),
                         ([("code", "4xx")], .responses4xx), ([("code", "5xx")], .responses5xx)]),
        Family(name: "tracegate_upstream_connects_total", help: "Upstream connections opened.", kind: .counter,
               samples: [([], .upstreamConnects)]),
        Family(name: "tracegate_upstream_reused_total", help: "Requests sent on a pooled keep-alive upstream connection.", kind: .counter,
               samples: [([], .upstreamReused)]),
        Family(name: "tracegate_upstream_failures_total", help: "Upstream failures, by kind.", kind: .counter,
               samples: [([("kind", "connect")], .upstreamConnectFailures), ([("kind", "connect_timeout")], .upstreamConnectTimeouts),
                         ([("kind", "timeout")], .upstreamTimeouts), ([("kind", "reset")], .upstreamResets)]),
        Family(name: "tracegate_upstream_stale_retries_total", help: "Requests re-sent because a pooled connection turned out closed.",
               kind: .counter, samples: [([], .upstreamRetriesStale)]),
        Family(name: "tracegate_downstream_aborted_total", help: "Exchanges ended because the client went away.", kind: .counter,
               samples: [([], .downstreamAborted)]),
        Family(name: "tracegate_traces_total", help: "Requests by what the edge did with their trace context.", kind: .counter,
               samples: [([("origin", "continued")], .tracesContinued), ([("origin", "restarted_untrusted")], .tracesRestartedUntrusted),
                         ([("origin", "new")], .tracesStarted)]),
        Family(name: "tracegate_debug_requests_total", help: "Requests carrying the debug header, by outcome.", kind: .counter,
               samples: [([("outcome", "honoured")], .debugHonoured), ([("outcome", "rejected")], .debugRejected),
                         ([("outcome", "rate_limited")], .debugRateLimited)]),
        Family(name: "tracegate_baggage_members_dropped_total", help: "Baggage members removed (not allowed, redacted, malformed, over limit).",
               kind: .counter, samples: [([], .baggageMembersDropped)]),
        Family(name: "tracegate_access_log_dropped_total", help: "Request records dropped because the control side fell behind.",
               kind: .counter, samples: [([], .accessLogDropped)]),
        Family(name: "tracegate_http2_connections_total", help: "Client connections that spoke HTTP/2 (ALPN h2 or h2c prior knowledge).",
               kind: .counter, samples: [([], .h2Connections)]),
        Family(name: "tracegate_http2_streams_total", help: "HTTP/2 request streams opened by clients.", kind: .counter,
               samples: [([], .h2Streams)]),
        Family(name: "tracegate_http2_streams_refused_total", help: "HTTP/2 streams refused for lack of stream slots.", kind: .counter,
               samples: [([], .h2StreamsRefused)]),
        Family(name: "tracegate_http2_connection_errors_total",
               help: "HTTP/2 client connections closed with GOAWAY, by reason (flood: rapid reset, SETTINGS/PING or header floods).",
               kind: .counter, samples: [([("reason", "flood")], .h2Floods), ([("reason", "protocol")], .h2ProtocolErrors)]),
        Family(name: "tracegate_tls_handshakes_total", help: "TLS handshakes with clients, by outcome.", kind: .counter,
               samples: [([("outcome", "succeeded")], .tlsHandshakes), ([("outcome", "failed")], .tlsHandshakeFailures)]),
        Family(name: "tracegate_tls_resumptions_total", help: "Client TLS handshakes that resumed a session (ticket or cache).",
               kind: .counter, samples: [([], .tlsResumptions)]),
        Family(name: "tracegate_tls_errors_total", help: "TLS record-layer errors on established connections.", kind: .counter,
               samples: [([], .tlsErrors)]),
        Family(name: "tracegate_bytes_received_total", help: "Bytes read from clients.", kind: .counter, samples: [([], .bytesIn)]),
        Family(name: "tracegate_bytes_sent_total", help: "Bytes written to clients.", kind: .counter, samples: [([], .bytesOut)]),
    ]

    static func renderProcess(_ report: MetricsReport, into w: inout MetricsWriter) {
        for f in families {
            w.family(f.name, f.kind, help: f.help)
            for s in f.samples { w.sample(f.name, s.labels, report.counter(s.counter)) }
        }
        w.family("tracegate_errors_total", .counter, help: "Requests Tracegate answered itself with an error, by error code.")
        for (code, count) in report.errors { w.sample("tracegate_errors_total", [("error", code)], count) }
        w.family("tracegate_untrusted_headers_stripped_total", .counter,
                 help: "Header lines stripped from untrusted requests, by header name.")
        for (header, count) in report.stripped {
            w.sample("tracegate_untrusted_headers_stripped_total", [("header", header)], count)
        }
        if let streams = report.dashboardStreams {
            w.family("tracegate_dashboard_streams", .gauge, help: "Live dashboard event streams (/debug/stream) open now.")
            w.sample("tracegate_dashboard_streams", [], streams.active)
            w.family("tracegate_dashboard_streams_rejected_total", .counter,
                     help: "Live dashboard event streams refused because the maximum was open (503).")
            w.sample("tracegate_dashboard_streams_rejected_total", [], streams.rejected)
        }
    }
}
