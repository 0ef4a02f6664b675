// OTLPExporterError.swift — why an exporter could not be created.
import Glibc

/// Why an ``OTLPExporter`` could not be created. Each message says
/// which setting to fix.
public enum OTLPExporterError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidSetting(name: String, reason: String)
    case invalidHeaderName(String)
    case invalidHeaderValue(name: String)
    case reservedHeader(String)
    /// The thread or its wake-up eventfd could not be created.
    case threadStartFailed(errno: Int32)

    public var description: String {
        switch self {
        case .invalidSetting(let name, let reason):
            return "OTLP exporter setting \(name) \(reason)"
        case .invalidHeaderName(let name):
            return "OTLP header name \"\(name)\" is not a valid HTTP field name (letters, digits and !#$%&'*+-.^_`|~)"
        case .invalidHeaderValue(let name):
            return "OTLP header \"\(name)\" has a control character (CR, LF, NUL...) in its value"
        case .reservedHeader(let name):
            return "OTLP header \"\(name)\" is set by the exporter itself and cannot be configured"
        case .threadStartFailed(let code):
            let reason = strerror(code).map { String(cString: $0) } ?? "error"
            return "cannot start the OTLP exporter thread: \(reason) (errno \(code))"
        }
    }
}
