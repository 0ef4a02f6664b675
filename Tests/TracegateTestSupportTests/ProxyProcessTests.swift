import Foundation
import Testing

@testable import TracegateTestSupport

/// `ProxyProcess` against a stand-in shell script that follows the binary's contract
/// (ready line on stderr, access log on stdout, SIGHUP reload, SIGTERM drain). The binary
/// is passed explicitly rather than through `TRACEGATE_BIN`, because changing the process
/// environment while other tests run in parallel is unsafe; `locateBinary(environment:)`
/// covers the variable itself.
@Suite struct ProxyProcessTests {
    static let fakeProxy = #"""
    #!/bin/sh
    echo "args: $*" >&2
    config=""
    while [ $# -gt 0 ]; do
      if [ "$1" = "--config" ]; then config="$2"; fi
      shift
    done
    echo '{"level":"info","event":"starting"}' >&2
    printf '{"event":"ready","pid":%s,"listeners":{"main":"127.0.0.1:4321","admin_api":"127.0.0.1:5555"},"admin":"127.0.0.1:9901"}\n' $$ >&2
    echo '{"status":200,"path":"/a"}'
    echo '{"status":404,"path":"/b"}'
    sleeper=""
    trap 'echo "{\"level\":\"info\",\"event\":\"reloaded\",\"first_line\":\"$(head -n 1 "$config")\"}" >&2; kill $sleeper 2>/dev/null' HUP
    trap 'echo "{\"level\":\"info\",\"event\":\"drained\"}" >&2; kill $sleeper 2>/dev/null; exit 0' TERM
    while true; do
      sleep 600 </dev/null >/dev/null 2>&1 &
      sleeper=$!
      wait $sleeper
    done
    """#

    private func script(_ text: String, in directory: TempDir) throws(TestSupportError) -> String {
        let path = try directory.write("tracegate", text)
        chmod(path, 0o755)
        return path
    }

    @Test func startsAndParsesTheReadyLine() throws {
        let directory = try TempDir()
        let binary = try script(Self.fakeProxy, in: directory)
        let proxy = try ProxyProcess.start(config: "listeners: []\n", binary: binary)
        defer { proxy.stop() }
        #expect(proxy.ready.pid == Int(proxy.pid))
        #expect(try proxy.listenerAddress("main") == "127.0.0.1:4321")
        #expect(try proxy.port("main") == 4321)
        #expect(try proxy.port("admin_api") == 5555)
        #expect(proxy.adminAddress == "127.0.0.1:9901")
        #expect(proxy.adminPort == 9901)
        #expect(throws: TestSupportError.self) { try proxy.listenerAddress("nope") }
        #expect(try String(contentsOfFile: proxy.configPath, encoding: .utf8) == "listeners: []\n")
        #expect(proxy.stderrLines().first == "args: run --config \(proxy.configPath)")
        #expect(proxy.stderrEvents("starting").count == 1)
    }

    @Test func readsStdoutLinesAndAccessLog() throws {
        let directory = try TempDir()
        let proxy = try ProxyProcess.start(config: "", binary: try script(Self.fakeProxy, in: directory))
        defer { proxy.stop() }
        let lines = try #require(proxy.waitForStdoutLines(count: 2))
        #expect(lines.count == 2)
        #expect(proxy.accessLogEntries().map { $0["path"] as? String } == ["/a", "/b"])
        #expect(proxy.waitForStdoutLines(count: 3, timeout: .milliseconds(100)) == nil)
    }

    @Test func otherSubcommandsGetNoConfigFlag() throws {
        let directory = try TempDir()
        let proxy = try ProxyProcess.start(config: "", arguments: ["proxy", "--listen", "127.0.0.1:0"], binary: try script(Self.fakeProxy, in: directory))
        defer { proxy.stop() }
        #expect(proxy.stderrLines().first == "args: proxy --listen 127.0.0.1:0")
    }

    @Test func reloadRewritesTheConfigAndWaitsForTheVerdict() throws {
        let directory = try TempDir()
        let proxy = try ProxyProcess.start(config: "version: 1\n", binary: try script(Self.fakeProxy, in: directory))
        defer { proxy.stop() }
        let first = try #require(try proxy.reload(config: "version: 2\n"))
        #expect(first.contains("\"reloaded\""))
        #expect(first.contains("version: 2"))
        let mark = proxy.stderrLineCount
        try proxy.rewriteConfig("version: 3\n")
        proxy.signal(SIGHUP)
        let second = try #require(proxy.waitForStderr(containing: "reloaded", after: mark))
        #expect(second.contains("version: 3"))
    }

    @Test func stopDrainsWithSigterm() throws {
        let directory = try TempDir()
        let proxy = try ProxyProcess.start(config: "", binary: try script(Self.fakeProxy, in: directory))
        #expect(proxy.waitForExit(timeout: .milliseconds(100)) == nil)
        #expect(!proxy.hasExited)
        #expect(proxy.stop() == 0)
        #expect(proxy.hasExited)
        #expect(proxy.stderrEvents("drained").count == 1)
        #expect(proxy.stop() == 0)
        #expect(proxy.waitForStderr(containing: "never printed", timeout: .seconds(5)) == nil)
    }

    @Test func stopKillsAProxyThatIgnoresSigterm() throws {
        let directory = try TempDir()
        let stubborn = """
        #!/bin/sh
        trap '' TERM
        echo '{"event":"ready","pid":1,"listeners":{}}' >&2
        exec sleep 600
        """
        let proxy = try ProxyProcess.start(config: "", binary: try script(stubborn, in: directory))
        #expect(proxy.adminAddress == nil)
        #expect(proxy.stop(timeout: .milliseconds(300)) == 128 + SIGKILL)
    }

    @Test func releasingAProxyKillsIt() throws {
        let directory = try TempDir()
        let binary = try script(Self.fakeProxy, in: directory)
        var pid: Int32 = 0
        do {
            let proxy = try ProxyProcess.start(config: "", binary: binary)
            pid = proxy.pid
            #expect(kill(pid, 0) == 0)
        }
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func exitBeforeReadyIsReportedWithStderr() throws {
        let directory = try TempDir()
        let failing = "#!/bin/sh\necho 'config error: listeners.main.port must be a number' >&2\nexit 3\n"
        do {
            _ = try ProxyProcess.start(config: "", binary: try script(failing, in: directory))
            Issue.record("start should have thrown")
        } catch {
            guard case .proxyExited(let status, let stderr) = error else { Issue.record("unexpected \(error)"); return }
            #expect(status == 3)
            #expect(stderr.contains("must be a number"))
        }
    }

    @Test func missingReadyLineTimesOut() throws {
        let directory = try TempDir()
        let silent = "#!/bin/sh\necho 'warming up' >&2\nexec sleep 600\n"
        let start = ContinuousClock.now
        do {
            _ = try ProxyProcess.start(config: "", timeout: .milliseconds(500), binary: try script(silent, in: directory))
            Issue.record("start should have thrown")
        } catch {
            guard case .proxyNotReady(_, let stderr) = error else { Issue.record("unexpected \(error)"); return }
            #expect(stderr.contains("warming up"))
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func runToCompletionCollectsOutput() throws {
        let directory = try TempDir()
        let tool = "#!/bin/sh\necho \"tracegate 0.1.0 ($1)\"\necho 'note' >&2\nexit 2\n"
        let result = try ProxyProcess.runToCompletion(arguments: ["version"], binary: try script(tool, in: directory))
        #expect(result.status == 2)
        #expect(result.stdout == "tracegate 0.1.0 (version)\n")
        #expect(result.stderr == "note\n")
    }
}
