// LoadFigures: counts by status and latency percentiles of a set of ClientLoad samples.
import Foundation

/// Figures of a set of samples.
struct LoadFigures: CustomStringConvertible {
    var count: Int
    var statuses: [Int: Int]
    var p50: Duration
    var p99: Duration
    var max: Duration

    init(_ samples: [ClientLoad.Sample]) {
        count = samples.count
        statuses = Dictionary(grouping: samples, by: \.status).mapValues(\.count)
        let sorted = samples.map(\.latency).sorted()
        func at(_ q: Double) -> Duration {
            sorted.isEmpty ? .zero : sorted[Swift.min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.up)) - 1)]
        }
        p50 = at(0.5)
        p99 = at(0.99)
        max = sorted.last ?? .zero
    }

    func share(_ status: Int) -> Double { count == 0 ? 0 : Double(statuses[status, default: 0]) / Double(count) }

    var description: String {
        let codes = statuses.keys.sorted().map { "\($0 == 0 ? "none" : String($0))×\(statuses[$0]!)" }.joined(separator: " ")
        return "\(count) requests [\(codes)] p50 \(Self.ms(p50)) p99 \(Self.ms(p99)) max \(Self.ms(max))"
    }

    static func ms(_ d: Duration) -> String {
        String(format: "%.1f ms", ClientLoad.seconds(d) * 1000)
    }
}
