// TrustPolicy: which peers a listener trusts.
import TracegateConfig

/// A listener's trusted networks. The check runs once per accepted connection (not per request)
/// and the result is kept in the connection slot.
public struct TrustPolicy: Sendable {
    public var blocks: [CIDRBlock]

    public init(blocks: [CIDRBlock]) { self.blocks = blocks }

    public static let nobody = TrustPolicy(blocks: [])

    func trusts(_ peer: PeerAddress) -> Bool {
        for b in blocks {
            if peer.isIPv6 ? b.contains(ipv6: peer.v6) : b.contains(ipv4: peer.v4) { return true }
        }
        return false
    }
}
