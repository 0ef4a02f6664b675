// DebugTokenCommand: `tracegate debug-token`, minting signed debug tokens.
import ArgumentParser
import Glibc
import TracegateContext

/// Prints a token for the debug header that untrusted callers may send: `v1.<expiry>.<HMAC>`,
/// signed with the secret in `context.debug.secret_file`. Short-lived by default, because anyone
/// holding it can force sampling and verbose logs until it expires.
struct DebugTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug-token",
        abstract: "Print a signed debug token (HMAC-SHA256 with the secret file's contents).")

    @Option(help: "File holding the secret (the same file as context.debug.secret_file).")
    var secretFile: String

    @Option(help: "Seconds until the token expires.")
    var ttl: Int = 600

    func validate() throws {
        guard ttl > 0 && ttl <= 7 * 24 * 3600 else { throw ValidationError("--ttl must be 1...604800 seconds") }
    }

    func run() throws {
        guard let file = fopen(secretFile, "r") else {
            printToStandardError("tracegate: cannot read \(secretFile)")
            throw ExitCode(1)
        }
        defer { fclose(file) }
        var secret: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            secret += buffer[0..<n]
        }
        while let last = secret.last, last == 0x0A || last == 0x0D { secret.removeLast() }
        guard secret.count >= 16 else {
            printToStandardError("tracegate: the secret must be at least 16 bytes")
            throw ExitCode(1)
        }
        let expiry = UInt64(time(nil)) + UInt64(ttl)
        print(DebugToken.sign(expiry: expiry, secret: secret))
    }
}
