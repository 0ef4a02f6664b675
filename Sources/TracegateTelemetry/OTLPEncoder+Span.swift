// OTLPEncoder+Span.swift — one span and its parts as OTLP messages.
import Foundation
import TracegateContext

extension OTLPEncoder {
    static func span(_ data: SpanData) -> OTLPProto.Span {
        var span = OTLPProto.Span()
        span.traceID = bytes(data.traceID)
        span.spanID = bytes(data.spanID)
        // A root span has an empty parent_span_id, not eight zero bytes (trace.proto).
        if data.parentSpanID.isValid { span.parentSpanID = bytes(data.parentSpanID) }
        span.traceState = data.traceState
        span.flags = flags(sampled: data.sampledFlag, isRemote: data.parentIsRemote)
        span.name = data.name
        span.kind = kind(data.kind)
        span.startTimeUnixNano = data.startUnixNanos
        span.endTimeUnixNano = data.endUnixNanos
        span.attributes = keyValues(data.attributes)
        span.events = data.events.map(event)
        span.links = data.links.map(link)
        if let status = status(data.status) { span.status = status }
        return span
    }

    static func event(_ data: SpanEvent) -> OTLPProto.Span.Event {
        var event = OTLPProto.Span.Event()
        event.name = data.name
        event.timeUnixNano = data.timeUnixNanos
        event.attributes = keyValues(data.attributes)
        return event
    }

    static func link(_ data: SpanLinkData) -> OTLPProto.Span.Link {
        var link = OTLPProto.Span.Link()
        link.traceID = bytes(data.traceID)
        link.spanID = bytes(data.spanID)
        link.traceState = data.traceState
        link.flags = flags(sampled: data.sampledFlag, isRemote: data.isRemote)
        link.attributes = keyValues(data.attributes)
        return link
    }

    /// `Span.flags`/`Link.flags`: the W3C trace flags in bits 0–7, and bits 8–9 saying whether the
    /// parent (or linked) span is remote. Bit 8 is set only when that is known, so a reader can tell
    /// "not remote" from "unknown".
    static func flags(sampled: Bool, isRemote: Bool?) -> UInt32 {
        var flags: UInt32 = sampled ? UInt32(TraceFlags.sampled.rawValue) : 0
        if let isRemote {
            flags |= UInt32(OTLPProto.SpanFlags.contextHasIsRemoteMask.rawValue)
            if isRemote { flags |= UInt32(OTLPProto.SpanFlags.contextIsRemoteMask.rawValue) }
        }
        return flags
    }

    static func kind(_ kind: SpanData.Kind) -> OTLPProto.Span.SpanKind {
        switch kind {
        case .server: return .server
        case .client: return .client
        case .internal: return .internal
        }
    }

    /// `nil` for `unset`: an absent status already means STATUS_CODE_UNSET, and saves bytes per span.
    static func status(_ status: SpanData.Status) -> OTLPProto.Status? {
        switch status {
        case .unset:
            return nil
        case .ok:
            return OTLPProto.Status.with { $0.code = .ok }
        case .error(let message):
            return OTLPProto.Status.with {
                $0.code = .error
                $0.message = message
            }
        }
    }

    static func keyValues(_ attributes: [SpanAttribute]) -> [OTLPProto.KeyValue] {
        attributes.map { attribute in
            var keyValue = OTLPProto.KeyValue()
            keyValue.key = attribute.key
            keyValue.value = anyValue(attribute.value)
            return keyValue
        }
    }

    static func anyValue(_ value: SpanAttribute.Value) -> OTLPProto.AnyValue {
        var any = OTLPProto.AnyValue()
        switch value {
        case .string(let string): any.stringValue = string
        case .int(let int): any.intValue = int
        case .bool(let bool): any.boolValue = bool
        case .double(let double): any.doubleValue = double
        }
        return any
    }

    /// The 16 id bytes, big-endian, `hi` first: the same bytes as the 32 hex digits of `traceparent`.
    static func bytes(_ id: TraceID) -> Data {
        var data = Data(count: 16)
        data.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: id.hi.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: id.lo.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return data
    }

    /// The 8 id bytes, big-endian.
    static func bytes(_ id: SpanID) -> Data {
        var data = Data(count: 8)
        data.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: id.rawValue.bigEndian, toByteOffset: 0, as: UInt64.self)
        }
        return data
    }
}
