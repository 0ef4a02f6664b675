// Worker+Debug: capturing redacted headers for honoured debug requests.
import TracegateHTTP

extension Worker {
    /// Copies the request's headers (values of Authorization, Cookie and configured names redacted)
    /// for the verbose access-log entry of an honoured debug request.
    func captureDebugRequest(_ fd: Int32, source: UnsafeRawBufferPointer) {
        var detail = DebugDetails.Detail()
        detail.requestHeaders = headerList(requestHead.headers, source: source)
        pendingDebug[fd] = detail
    }

    func captureDebugResponse(_ fd: Int32, source: UnsafeRawBufferPointer) {
        guard pendingDebug[fd] != nil else { return }
        pendingDebug[fd]!.responseHeaders = headerList(responseHead.headers, source: source)
    }

    /// Hands the captured headers to the control side, keyed by the SERVER span id.
    func publishDebug(_ fd: Int32, spanID: UInt64) {
        guard let detail = pendingDebug.removeValue(forKey: fd) else { return }
        debugDetails.put(spanID: spanID, detail)
    }

    private func headerList(_ headers: [HeaderField], source: UnsafeRawBufferPointer) -> [(name: String, value: String)] {
        let redacted = snapshot.edge.redactHeaders
        return headers.map { field in
            let nameBytes = UnsafeRawBufferPointer(rebasing: source[field.name.start..<field.name.end])
            let name = String(decoding: nameBytes, as: UTF8.self)
            let hidden = redacted.contains { r in r.withUnsafeBytes { ByteCompare.equalsCaseInsensitive(nameBytes, $0) } }
            let value = hidden ? "[redacted]" : String(decoding: source[field.value.start..<field.value.end], as: UTF8.self)
            return (name, value)
        }
    }
}
