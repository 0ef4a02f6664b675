#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, its stdout and stderr drained by two reader
/// threads and its exit collected by a reaper thread blocked in `waitpid`.
///
/// Why not `Foundation.Process`: it cannot wait with a timeout, and its pipe handling gives
/// no guarantee that the pipes are drained while nobody reads them; here the pipes can never
/// fill up and stall the child, and `wait(timeout:)` blocks on a condition variable.
final class ChildProcess: @unchecked Sendable {
    /// The child's process id.
    let pid: pid_t
    /// Write end of the child's stdin when spawned with `stdinPipe: true`.
    private(set) var stdinFD: Int32?
    private let monitor = Monitor(State())

    private struct State {
        var status: Int32?
        var openStreams = 2
    }

    private init(pid: pid_t, stdinFD: Int32?) {
        self.pid = pid
        self.stdinFD = stdinFD
    }

    /// Starts `path` with `arguments` (argv[0] is added) and exactly `environment`.
    /// `onStdout`/`onStderr` receive each piece of output as it arrives, on reader threads,
    /// and an empty array once at end of stream.
    static func spawn(
        path: String,
        arguments: [String],
        environment: [String: String],
        stdinPipe: Bool,
        onStdout: @escaping @Sendable ([UInt8]) -> Void,
        onStderr: @escaping @Sendable ([UInt8]) -> Void
    ) throws(TestSupportError) -> ChildProcess {
        _ = POSIXSocket.ignoreSIGPIPE
        let output = try GNUCalls.pipe()
        let errors = try GNUCalls.pipe()
        let input: (read: Int32, write: Int32)? = stdinPipe ? try GNUCalls.pipe() : nil
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        _ = GNUCalls.addCloseFrom(&actions, lowest: 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // SIGPIPE is ignored in the test process; the child gets default dispositions and an
        // empty signal mask back, so SIGTERM/SIGHUP reach it as they would from a shell.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        close(output.write)
        close(errors.write)
        if let input { close(input.read) }
        guard result == 0 else {
            close(output.read)
            close(errors.read)
            if let input { close(input.write) }
            throw .spawn(path: path, errno: result)
        }
        let child = ChildProcess(pid: pid, stdinFD: input?.write)
        do throws(TestSupportError) {
            try NativeThread.detach { [child] in child.drain(output.read, into: onStdout) }
            try NativeThread.detach { [child] in child.drain(errors.read, into: onStderr) }
            try NativeThread.detach { [child] in child.reap() }
        } catch {
            kill(pid, SIGKILL)
            throw error
        }
        return child
    }

    /// Sends a signal (ignored once the child was reaped, so a reused pid is never hit).
    func signal(_ signal: Int32) {
        monitor.read { state in
            if state.status == nil { kill(pid, signal) }
        }
    }

    /// Blocks until the child exited, or `timeout` passes (`nil` waits forever), then gives
    /// its output pipes up to 2 s more to reach EOF (a grandchild may still hold them), so
    /// the last lines are in the buffers when this returns. Returns the exit code, or
    /// 128 + signal number when a signal ended it (the shell's convention); `nil` on timeout.
    func wait(timeout: Duration?) -> Int32? {
        guard let status = monitor.wait(timeout: timeout, until: { $0.status }) else { return nil }
        _ = monitor.wait(timeout: .seconds(2)) { $0.openStreams == 0 ? true : nil }
        return status
    }

    /// Whether the child has been reaped.
    var hasExited: Bool { monitor.read { $0.status != nil } }

    /// Closes the child's stdin (it sees EOF).
    func closeStdin() {
        if let fd = stdinFD {
            close(fd)
            stdinFD = nil
        }
    }

    private func drain(_ fd: Int32, into sink: @Sendable ([UInt8]) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                sink(Array(buffer[0..<count]))
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(fd)
        sink([])
        monitor.update { $0.openStreams -= 1 }
    }

    private func reap() {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 {
            if errno != EINTR {
                raw = 0x7f00  // unknown: report as exit code 127
                break
            }
        }
        let terminatingSignal = raw & 0x7f
        let status = terminatingSignal == 0 ? (raw >> 8) & 0xff : 128 + terminatingSignal
        monitor.update { $0.status = status }
    }
}
