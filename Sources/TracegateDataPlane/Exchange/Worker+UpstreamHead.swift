// Worker+UpstreamHead: rewriting the request head for the upstream.
import TracegateHTTP

extension Worker {
    /// Copies the kept lines of the request head into the downstream slot's `upstreamHead` and
    /// appends what the edge adds: X-Forwarded-*, Via. Hop-by-hop fields were marked by the parser;
    /// fields this function regenerates are marked here. Transfer-Encoding stays: HTTP/1 bodies are
    /// forwarded with their framing untouched.
    func writeUpstreamHead(_ fd: Int32) {
        let d = table[fd]
        let source = d.pointee.inBuf.readable
        let trusted = d.pointee.trusted
        var xffFirst = -1, xffLast = -1, viaFirst = -1, viaLast = -1
        var hasForwardedHost = false, hasForwardedProto = false
        for i in requestHead.headers.indices {
            switch requestHead.headers[i].known {
            case .transferEncoding:
                requestHead.headers[i].drop = false
            case .te:
                // `TE: trailers` says the client accepts trailers; gRPC requires it end to end, and an
                // HTTP/2 upstream accepts no other TE (RFC 9113 §8.2.2), so only that value goes on.
                let v = requestHead.headers[i].value
                requestHead.headers[i].drop = !ByteCompare.equalsCaseInsensitive(UnsafeRawBufferPointer(rebasing: source[v.start..<v.end]), "trailers")
            case .xForwardedFor:
                requestHead.headers[i].drop = true
                if xffFirst < 0 { xffFirst = i }
                xffLast = i
            case .via:
                requestHead.headers[i].drop = true
                if viaFirst < 0 { viaFirst = i }
                viaLast = i
            case .xForwardedHost:
                if trusted { hasForwardedHost = true } else { requestHead.headers[i].drop = true }
            case .xForwardedProto:
                if trusted { hasForwardedProto = true } else { requestHead.headers[i].drop = true }
            default:
                break
            }
        }
        let edgeOn = snapshot.edge.enabled
        if edgeOn { prepareEdge(fd, source: source) }
        d.pointee.upstreamHead.clear()
        HeadWriter.writeRequestHead(requestHead, from: source, into: &d.pointee.upstreamHead)
        // X-Forwarded-For: a trusted peer's chain is kept and the peer appended; an untrusted peer's
        // claim is replaced by what the socket says (RFC 7239 §5.2 reasoning, as nginx's realip).
        d.pointee.upstreamHead.append("X-Forwarded-For: ")
        if trusted && xffFirst >= 0 {
            appendJoinedValues(from: xffFirst, to: xffLast, known: .xForwardedFor, source: source, into: &d.pointee.upstreamHead)
            d.pointee.upstreamHead.append(", ")
        }
        d.pointee.peer.write(into: &d.pointee.upstreamHead)
        d.pointee.upstreamHead.append("\r\n")
        if requestHead.hostIndex < 0 {
            // An HTTP/1.0 request without Host goes upstream as HTTP/1.1, which requires one: use the
            // endpoint's address, as nginx's default `proxy_set_header Host $proxy_host` does.
            d.pointee.upstreamHead.append("Host: ")
            let route = d.pointee.exchange.routeIndex
            if route >= 0, let endpoint = snapshot.clusters[snapshot.routes[route].clusterIndex].endpoints.first {
                d.pointee.upstreamHead.append(Array(endpoint.description.utf8))
            } else {
                d.pointee.upstreamHead.append("localhost")
            }
            d.pointee.upstreamHead.append("\r\n")
        }
        if !hasForwardedProto {
            d.pointee.upstreamHead.append(clientUsesTLS(d) ? "X-Forwarded-Proto: https\r\n" : "X-Forwarded-Proto: http\r\n")
        }
        if !hasForwardedHost && requestHead.hostIndex >= 0 {
            let v = requestHead.headers[requestHead.hostIndex].value
            HeadWriter.appendHeader(name: "X-Forwarded-Host", value: UnsafeRawBufferPointer(rebasing: source[v.start..<v.end]), into: &d.pointee.upstreamHead)
        }
        // Via (RFC 9110 §7.6.3): append ours to any received.
        d.pointee.upstreamHead.append("Via: ")
        if viaFirst >= 0 {
            appendJoinedValues(from: viaFirst, to: viaLast, known: .via, source: source, into: &d.pointee.upstreamHead)
            d.pointee.upstreamHead.append(", ")
        }
        // The protocol the request arrived over (RFC 9110 §7.6.3): "2" for an HTTP/2 stream.
        if d.pointee.isStream {
            d.pointee.upstreamHead.append("2 tracegate\r\n")
        } else {
            d.pointee.upstreamHead.append(requestHead.version == .http1_0 ? "1.0 tracegate\r\n" : "1.1 tracegate\r\n")
        }
        if edgeOn { writeEdgeHeaders(fd, source: source) }
        HeadWriter.finishHead(into: &d.pointee.upstreamHead)
    }

    /// Writes the values of every field of one kind between two indices, comma-joined.
    func appendJoinedValues(from first: Int, to last: Int, known: HeaderName, source: UnsafeRawBufferPointer, into out: inout IOBuffer) {
        var wrote = false
        for i in first...last where requestHead.headers[i].known == known {
            let v = requestHead.headers[i].value
            if v.count == 0 { continue }
            if wrote { out.append(", ") }
            out.append(UnsafeRawBufferPointer(rebasing: source[v.start..<v.end]))
            wrote = true
        }
    }
}
