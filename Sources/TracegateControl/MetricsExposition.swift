// MetricsExposition: Prometheus text format from the workers' counters, summed at scrape time.
import Foundation
import TracegateDataPlane

/// Renders the data plane's counters in the Prometheus text exposition format (0.0.4).
///
/// Counters are read from each worker's block with relaxed loads and summed here, so scraping never
/// makes a worker wait and a request never touches a shared atomic.
enum MetricsExposition {
    struct Family {
        var name: String
        var help: String
        var type: String
        var samples: [(labels: String, counter: WorkerCounters.Name)]
    }

    static let families: [Family] = [
        Family(name: "tracegate_connections_accepted_total", help: "Downstream connections accepted.", type: "counter",
               samples: [("", .connectionsAccepted)]),
        Family(name: "tracegate_connections_rejected_total", help: "Downstream connections refused over limits.max_connections or while draining.", type: "counter",
               samples: [("", .connectionsRejected)]),
        Family(name: "tracegate_connections_active", help: "Downstream connections open now.", type: "gauge",
               samples: [("", .connectionsActive)]),
        Family(name: "tracegate_requests_total", help: "Request heads received.", type: "counter", samples: [("", .requests)]),
        Family(name: "tracegate_responses_total", help: "Responses sent, by status class.", type: "counter",
               samples: [("code=\"1xx\"", .responses1xx), ("code=\"2xx\"", .responses2xx), ("code=\"3xx\"", .responses3xx),
                         ("code=\"4xx\"", .responses4xx), ("code=\"5xx\"", .responses5xx)]),
        Family(name: "tracegate_upstream_connects_total", help: "Upstream connections opened.", type: "counter", samples: [("", .upstreamConnects)]),
        Family(name: "tracegate_upstream_reused_total", help: "Requests sent on a pooled keep-alive upstream connection.", type: "counter",
               samples: [("", .upstreamReused)]),
        Family(name: "tracegate_upstream_failures_total", help: "Upstream failures, by kind.", type: "counter",
               samples: [("kind=\"connect\"", .upstreamConnectFailures), ("kind=\"connect_timeout\"", .upstreamConnectTimeouts),
                         ("kind=\"timeout\"", .upstreamTimeouts), ("kind=\"reset\"", .upstreamResets)]),
        Family(name: "tracegate_upstream_stale_retries_total", help: "Requests re-sent because a pooled connection turned out closed.", type: "counter",
               samples: [("", .upstreamRetriesStale)]),
        Family(name: "tracegate_downstream_aborted_total", help: "Exchanges ended because the client went away.", type: "counter",
               samples: [("", .downstreamAborted)]),
        Family(name: "tracegate_traces_total", help: "Requests by what the edge did with their trace context.", type: "counter",
               samples: [("origin=\"continued\"", .tracesContinued), ("origin=\"restarted_untrusted\"", .tracesRestartedUntrusted),
                         ("origin=\"new\"", .tracesStarted)]),
        Family(name: "tracegate_debug_requests_total", help: "Requests carrying the debug header, by outcome.", type: "counter",
               samples: [("outcome=\"honoured\"", .debugHonoured), ("outcome=\"rejected\"", .debugRejected),
                         ("outcome=\"rate_limited\"", .debugRateLimited)]),
        Family(name: "tracegate_baggage_members_dropped_total", help: "Baggage members removed (not allowed, redacted, malformed, over limit).", type: "counter",
               samples: [("", .baggageMembersDropped)]),
        Family(name: "tracegate_access_log_dropped_total", help: "Request records dropped because the control side fell behind.", type: "counter",
               samples: [("", .accessLogDropped)]),
        Family(name: "tracegate_bytes_received_total", help: "Bytes read from clients.", type: "counter", samples: [("", .bytesIn)]),
        Family(name: "tracegate_bytes_sent_total", help: "Bytes written to clients.", type: "counter", samples: [("", .bytesOut)]),
    ]

    static func render(dataPlane: DataPlane, snapshot: RuntimeSnapshot?) -> String {
        var out = ""
        for f in families {
            out += "# HELP \(f.name) \(f.help)\n# TYPE \(f.name) \(f.type)\n"
            for s in f.samples {
                let labels = s.labels.isEmpty ? "" : "{\(s.labels)}"
                out += "\(f.name)\(labels) \(dataPlane.total(s.counter))\n"
            }
        }
        // Tracegate's own error responses, by the code in their JSON body.
        out += "# HELP tracegate_errors_total Requests Tracegate answered itself with an error, by error code.\n"
        out += "# TYPE tracegate_errors_total counter\n"
        for (i, code) in ErrorCodes.all.enumerated() {
            let total = dataPlane.counters.reduce(UInt64(0)) { $0 &+ $1.loadError(i) }
            out += "tracegate_errors_total{error=\"\(code)\"} \(total)\n"
        }
        // Headers stripped from untrusted peers, by the sanitiser's label (header name or prefix*).
        out += "# HELP tracegate_untrusted_headers_stripped_total Header lines stripped from untrusted requests, by header name.\n"
        out += "# TYPE tracegate_untrusted_headers_stripped_total counter\n"
        // A configured name or prefix may repeat a built-in one: one sample per distinct label.
        var totals: [(String, UInt64)] = []
        for (i, name) in (snapshot?.edge.sanitizer.labels ?? []).enumerated() where i < WorkerCounters.stripLabelCapacity {
            let count = dataPlane.counters.reduce(UInt64(0)) { $0 &+ $1.loadStripped(i) }
            if let j = totals.firstIndex(where: { $0.0 == name }) { totals[j].1 &+= count } else { totals.append((name, count)) }
        }
        for (name, total) in totals {
            out += "tracegate_untrusted_headers_stripped_total{header=\"\(escape(name))\"} \(total)\n"
        }
        return out
    }

    /// Label values escape backslash, quote and newline (exposition format 0.0.4).
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
