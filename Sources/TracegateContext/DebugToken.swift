// DebugToken.swift — signed debug tokens: HMAC-SHA256 over "v1.<expiry>".

import Crypto

/// The outcome of verifying a debug token.
public enum DebugTokenVerdict: Hashable, Sendable {
    /// Well-formed, signed with the secret, not expired.
    case valid
    /// Correctly signed but `now >= expiry`.
    case expired
    /// Not of the form `v1.<digits>.<43 base64url chars>`.
    case malformed
    /// Well-formed but the signature does not match (forged, or another secret).
    case badSignature
}

/// A debug-token secret prepared once (the key is not rebuilt per request).
///
/// `@unchecked Sendable`: swift-crypto 3.12 does not mark `SymmetricKey` `Sendable`, but it is
/// immutable after creation (its storage is never written again), so sharing it between
/// workers through the config snapshot is safe.
public struct DebugTokenKey: @unchecked Sendable {
    let key: SymmetricKey

    public init(secret: [UInt8]) {
        key = SymmetricKey(data: secret)
    }
}

/// Signed debug tokens: `v1.<unixExpirySeconds>.<base64url-no-pad(HMAC-SHA256(secret, "v1.<unixExpirySeconds>"))>`.
///
/// Why tokens: the debug header turns on sampling and verbose handling along the whole path, so
/// from an untrusted client it is honoured only with a token an operator minted with the shared
/// secret. The expiry bounds how long a leaked token is useful. A trusted peer (inside the
/// trust boundary) may instead send a plain `1`, `true` or `on`.
public enum DebugToken {
    /// The signature's length in characters (32 bytes, unpadded base64url).
    public static let signatureLength = 43
    private static let maxDigits = 20

    /// Mints a token valid until `expiry` (Unix seconds, exclusive). Operator tooling; allocates.
    public static func sign(expiry: UInt64, secret: [UInt8]) -> String {
        sign(expiry: expiry, key: DebugTokenKey(secret: secret))
    }

    /// Mints a token with a prepared key.
    public static func sign(expiry: UInt64, key: DebugTokenKey) -> String {
        var sink = ByteArraySink(reservingCapacity: 3 + maxDigits + 1 + signatureLength)
        sink.append("v1.")
        SessionCookie.appendDecimal(expiry, to: &sink)
        let mac = sink.bytes.withUnsafeBytes { HMAC<SHA256>.authenticationCode(for: $0, using: key.key) }
        sink.append(byte: ASCII.dot)
        mac.withUnsafeBytes { Base64URL.encode($0, into: &sink) }
        return sink.string
    }

    /// Verifies a token with a raw secret (prepares the key each call; prefer the key overload).
    public static func verify(_ bytes: UnsafeRawBufferPointer, secret: [UInt8], nowSeconds: UInt64) -> DebugTokenVerdict {
        verify(bytes, key: DebugTokenKey(secret: secret), nowSeconds: nowSeconds)
    }

    /// Verifies a token: format, then signature (constant-time compare inside swift-crypto's
    /// `HMAC.isValidAuthenticationCode`), then expiry.
    ///
    /// The signature is checked before the expiry so that `.expired` always means "a genuine
    /// token that ran out" — an operator can tell a stale token from a forged one. A token is
    /// valid while `nowSeconds < expiry`. The expiry digits must be canonical (no leading zero).
    /// Only runs when a debug header is present; swift-crypto's HMAC allocates a little here.
    public static func verify(_ bytes: UnsafeRawBufferPointer, key: DebugTokenKey, nowSeconds: UInt64) -> DebugTokenVerdict {
        let n = bytes.count
        guard n >= 3 + 1 + 1 + signatureLength, bytes[0] == 0x76, bytes[1] == 0x31, bytes[2] == ASCII.dot else {
            return .malformed
        }
        let digitsEnd = n - signatureLength - 1
        guard bytes[digitsEnd] == ASCII.dot else { return .malformed }
        let digitCount = digitsEnd - 3
        guard digitCount >= 1, digitCount <= maxDigits else { return .malformed }
        guard digitCount == 1 || bytes[3] != 0x30 else { return .malformed }
        var expiry: UInt64 = 0
        for index in 3..<digitsEnd {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return .malformed }
            let (times10, overflow1) = expiry.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return .malformed }
            expiry = sum
        }
        let signed = ASCII.slice(bytes, 0..<digitsEnd)
        let text = ASCII.slice(bytes, (digitsEnd + 1)..<n)
        let verdict = withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { mac -> DebugTokenVerdict in
            guard Base64URL.decode(text, into: mac) else { return .malformed }
            let ok = HMAC<SHA256>.isValidAuthenticationCode(
                UnsafeRawBufferPointer(mac),
                authenticating: signed,
                using: key.key
            )
            return ok ? .valid : .badSignature
        }
        guard verdict == .valid else { return verdict }
        return nowSeconds < expiry ? .valid : .expired
    }

    /// `true` for the plain values a trusted peer may send to request debugging: `1`, `true`,
    /// `on` (ASCII case-insensitive).
    public static func isEnableValue(_ bytes: UnsafeRawBufferPointer) -> Bool {
        switch bytes.count {
        case 1: return bytes[0] == 0x31
        case 2: return ASCII.lower(bytes[0]) == 0x6F && ASCII.lower(bytes[1]) == 0x6E
        case 4:
            return ASCII.lower(bytes[0]) == 0x74 && ASCII.lower(bytes[1]) == 0x72
                && ASCII.lower(bytes[2]) == 0x75 && ASCII.lower(bytes[3]) == 0x65
        default: return false
        }
    }
}
