// PoolFigures: the connection figures of one upstream endpoint, summed over workers.

/// Connections open to an endpoint, how many of them sit idle in the pool, and how many are
/// leased to an exchange (connecting, sending or receiving). `open == idle + active` between
/// two worker steps.
public struct PoolFigures: Sendable, Equatable {
    public var open: UInt64 = 0
    public var idle: UInt64 = 0
    public var active: UInt64 = 0

    public init(open: UInt64 = 0, idle: UInt64 = 0, active: UInt64 = 0) {
        self.open = open
        self.idle = idle
        self.active = active
    }

    public static func + (a: PoolFigures, b: PoolFigures) -> PoolFigures {
        PoolFigures(open: a.open &+ b.open, idle: a.idle &+ b.idle, active: a.active &+ b.active)
    }
}
