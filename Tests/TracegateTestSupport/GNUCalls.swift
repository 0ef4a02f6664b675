#if canImport(Glibc)
import Glibc
#endif

/// glibc calls that Swift's Glibc module hides behind `_GNU_SOURCE` (`pipe2`, `accept4`,
/// `posix_spawn_file_actions_addclosefrom_np`), looked up once with `dlsym`.
///
/// Why they matter: tests spawn `tracegate` and `curl` while other tests' fixtures open
/// sockets and pipes on other threads. A descriptor created without close-on-exec and only
/// marked a moment later can leak into a child spawned in between, and a leaked pipe end
/// keeps a reader from ever seeing EOF. Creating descriptors close-on-exec atomically, and
/// closing everything above stderr in the child, rules that out. Fallbacks (two-step
/// `fcntl`) keep things working should a symbol be missing.
enum GNUCalls {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    private typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    private nonisolated(unsafe) static let handle = dlopen(nil, RTLD_NOW)

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle, let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: type)
    }

    private static let pipe2Function = symbol("pipe2", as: Pipe2.self)
    private static let accept4Function = symbol("accept4", as: Accept4.self)
    private static let addCloseFromFunction = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self)

    /// A close-on-exec pipe: `(read end, write end)`.
    static func pipe() throws(TestSupportError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        if let pipe2Function {
            guard pipe2Function(&fds, O_CLOEXEC) == 0 else { throw .socket(operation: "pipe2", errno: errno) }
        } else {
            guard Glibc.pipe(&fds) == 0 else { throw .socket(operation: "pipe", errno: errno) }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    /// Accepts a connection as a close-on-exec descriptor; -1 on error (errno set).
    static func accept(_ listenFD: Int32) -> Int32 {
        if let accept4Function {
            return accept4Function(listenFD, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
        }
        let fd = Glibc.accept(listenFD, nil, nil)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return fd
    }

    /// Adds "close every descriptor >= `lowest`" to spawn actions; `false` if unsupported.
    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, lowest: Int32) -> Bool {
        guard let addCloseFromFunction else { return false }
        return addCloseFromFunction(actions, lowest) == 0
    }
}
