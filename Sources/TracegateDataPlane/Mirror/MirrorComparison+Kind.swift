// MirrorComparison+Kind: comparison results as counter positions.
import TracegateResilience

extension MirrorComparison {
    /// Every `kind` label of `tracegate_mirror_diff_total`, in counter order (`kindIndex`).
    public static let kindLabels = [
        "status_match", "status_mismatch", "body_match", "body_mismatch", "skipped_disabled", "skipped_primary_failed",
        "skipped_mirror_failed", "skipped_primary_body_too_large", "skipped_mirror_body_too_large",
    ]

    /// This result's position in `kindLabels` (its counter in `MirrorMetrics`).
    @inline(__always)
    var kindIndex: Int {
        switch self {
        case .statusMatch: 0
        case .statusMismatch: 1
        case .bodyMatch: 2
        case .bodyMismatch: 3
        case .skipped(.disabled): 4
        case .skipped(.primaryFailed): 5
        case .skipped(.mirrorFailed): 6
        case .skipped(.primaryBodyTooLarge): 7
        case .skipped(.mirrorBodyTooLarge): 8
        }
    }

    /// Kinds that count as "the shadow answered like the primary" in `/debug/state`.
    public static func isMatch(kindIndex: Int) -> Bool { kindIndex == 0 || kindIndex == 2 }

    /// Kinds that count as a diff (and are listed among the recent mismatches).
    public static func isMismatch(kindIndex: Int) -> Bool { kindIndex == 1 || kindIndex == 3 }
}
