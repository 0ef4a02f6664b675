// RetryBudget.swift — Finagle's retry budget: retries at most a share of recent requests plus a floor.

/// A cluster's retry budget: over any `ttl` window, retries may add at most `retryRatio` of the
/// requests plus `minRetriesPerSecond · ttl`.
///
/// Why a budget and not only `max_attempts`: per-request limits multiply under failure (three
/// attempts at each of three tiers is 27 upstream calls per click), which is how a blip becomes a
/// retry storm. A budget caps the extra load a cluster's retries add, whatever the failure rate.
/// The floor lets a quiet cluster still retry its rare failures.
///
/// Algorithm (Finagle's `RetryBudget` over its leaky `TokenBucket`, and tower's `TpsBudget` used by
/// linkerd2-proxy, which copies it): every original request deposits `retryRatio` of a token, every
/// retry withdraws one whole token if the balance allows, and the balance is the sum of deposits
/// minus withdrawals in the window plus a constant reserve of `minRetriesPerSecond · ttl` tokens.
/// Deposits and withdrawals are kept in 10 slots of `ttl/10` each (Finagle's `WindowedAdder`),
/// so both expire `ttl − ttl/10` to `ttl` after they were made. Because a withdrawal is granted
/// only while `deposits·ratio + reserve − withdrawals ≥ 1`, the retries inside the window can
/// never exceed `ratio · requests + floor · ttl`.
///
/// Amounts are integers scaled by 10⁶ per token, so a ratio of 0.2 deposits exactly 200 000
/// units and no floating point runs per request. The slots live inline (no heap), and every
/// operation is O(1) amortised: the running sum is kept, and expiring slots subtract themselves.
///
/// Owned by one worker (shared-nothing): each worker keeps the cluster's budget for its own
/// traffic. Since the floor applies per worker, the snapshot builder may divide
/// `min_retries_per_second` by the worker count.
public struct RetryBudget {
    /// The budget's settings, checked once.
    public let configuration: Configuration

    private var slots = InlineArray<10, Int64>(repeating: 0)
    /// Absolute slot number (`(now − origin) / slotWidth`) that the newest slot holds.
    private var currentSlot: UInt64 = 0
    /// Sum of all slots, kept as slots change.
    private var windowSum: Int64 = 0
    private let origin: UInt64
    private let slotWidth: UInt64
    private let depositAmount: Int64
    private let reserve: Int64

    /// Units per token: a retry withdraws this much.
    static let unitsPerToken: Int64 = 1_000_000
    /// Slots per window (Finagle's and tower's value).
    static let slotCount = 10

    /// Creates an empty budget (only the reserve is available) whose window starts at `now`.
    public init(configuration: Configuration = .default, now: UInt64) {
        self.configuration = configuration
        self.origin = now
        self.slotWidth = Swift.max(1, configuration.ttl / UInt64(Self.slotCount))
        self.depositAmount = Int64(roundingHalfUp: configuration.retryRatio * Double(Self.unitsPerToken))
        // floor · ttl tokens = floor · ttl[µs] units, since a token is 10⁶ units.
        self.reserve = Int64(configuration.minRetriesPerSecond) * Int64(configuration.ttl / 1_000)
    }

    /// Records one original request (not a retry): deposits `retryRatio` of a token.
    public mutating func recordRequest(now: UInt64) {
        advance(to: now)
        add(depositAmount)
    }

    /// Withdraws one retry token if the window's balance allows it.
    ///
    /// - Returns: `true` when the retry may go ahead (the token is spent), `false` when the
    ///   cluster's retries are at their share and the balance is left untouched.
    public mutating func tryWithdraw(now: UInt64) -> Bool {
        advance(to: now)
        guard balanceUnits >= Self.unitsPerToken else { return false }
        add(-Self.unitsPerToken)
        return true
    }

    /// Whole retries available at `now` (a gauge for `/debug/state` and metrics).
    public mutating func balance(now: UInt64) -> Int {
        advance(to: now)
        return Int(Swift.max(0, balanceUnits) / Self.unitsPerToken)
    }

    private var balanceUnits: Int64 { windowSum.addingSaturating(reserve) }

    private mutating func add(_ amount: Int64) {
        let index = Int(currentSlot % UInt64(Self.slotCount))
        slots[index] = slots[index].addingSaturating(amount)
        windowSum = windowSum.addingSaturating(amount)
    }

    /// Moves the window to `now`, clearing the slots that fell out of it. A clock that went
    /// backwards keeps the current slot.
    private mutating func advance(to now: UInt64) {
        let slot = now > origin ? (now - origin) / slotWidth : 0
        guard slot > currentSlot else { return }
        if slot - currentSlot >= UInt64(Self.slotCount) {
            for index in 0..<Self.slotCount {
                slots[index] = 0
            }
            windowSum = 0
        } else {
            var next = currentSlot + 1
            while next <= slot {
                let index = Int(next % UInt64(Self.slotCount))
                windowSum = windowSum.addingSaturating(-slots[index])
                slots[index] = 0
                next += 1
            }
        }
        currentSlot = slot
    }
}

@available(*, unavailable, message: "worker-owned state: create one per worker from its Configuration")
extension RetryBudget: Sendable {}

extension Int64 {
    /// `self + other`, clamped to the representable range instead of trapping.
    func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
