import Foundation
import Testing

@testable import TracegateTestSupport

/// External tools, temporary directories, process statistics and the test script.
@Suite struct ToolingTests {
    @Test func requireFindsInstalledToolsAndNamesThePackageOfMissingOnes() throws {
        let sh = try ExternalTool.require("sh")
        #expect(sh.hasPrefix("/"))
        #expect(try ExternalTool.require(sh) == sh)
        do {
            _ = try ExternalTool.require("tracegate-no-such-tool")
            Issue.record("a missing tool was found")
        } catch {
            guard case .toolMissing(let name, let package) = error else { Issue.record("unexpected \(error)"); return }
            #expect(name == "tracegate-no-such-tool")
            #expect(package == "tracegate-no-such-tool")
        }
        #expect(ExternalTool.debianPackages["h2load"] == "nghttp2-client")
    }

    @Test func toolsTheTestsNeedAreInstalled() throws {
        for tool in ["curl", "nghttp", "h2load", "nghttpd", "openssl", "ps"] {
            #expect(throws: Never.self) { try ExternalTool.require(tool) }
        }
    }

    @Test func runCollectsStatusOutputAndStdin() throws {
        let result = try ExternalTool.run("sh", ["-c", "cat; echo oops >&2; exit 3"], stdin: Data("in->out".utf8), timeout: .seconds(20))
        #expect(result.status == 3)
        #expect(result.stdoutText == "in->out")
        #expect(result.stderr == "oops\n")
    }

    @Test func runPassesEnvironmentAndReportsSignals() throws {
        let env = try ExternalTool.run("sh", ["-c", "printf %s \"$TG_VALUE\""], environment: ["TG_VALUE": "x y"], timeout: .seconds(20))
        #expect(env.stdoutText == "x y")
        let killed = try ExternalTool.run("sh", ["-c", "kill -TERM $$"], timeout: .seconds(20))
        #expect(killed.status == 128 + SIGTERM)
    }

    @Test func runHandlesLargeOutputWithoutBlocking() throws {
        let result = try ExternalTool.run("sh", ["-c", "head -c 5000000 /dev/zero"], timeout: .seconds(30))
        #expect(result.stdout.count == 5_000_000)
    }

    @Test func runKillsOnTimeout() throws {
        let start = ContinuousClock.now
        do {
            _ = try ExternalTool.run("sh", ["-c", "echo started >&2; exec sleep 30"], timeout: .milliseconds(300))
            Issue.record("should have timed out")
        } catch {
            guard case .timedOut(let command, _, let stderr) = error else { Issue.record("unexpected \(error)"); return }
            #expect(command.contains("sleep 30"))
            #expect(stderr.contains("started"))
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func spawnFailureIsReported() {
        #expect(throws: TestSupportError.self) { try ExternalTool.run("/nonexistent/tool", [], timeout: .seconds(5)) }
    }

    @Test func tempDirLifecycle() throws {
        var path = ""
        do {
            let directory = try TempDir(prefix: "life")
            path = directory.path
            let file = try directory.write("a.txt", "hello")
            #expect(file == directory.file("a.txt"))
            #expect(String(decoding: try directory.read("a.txt"), as: UTF8.self) == "hello")
            try directory.writePattern("p.bin", totalBytes: 100_000)
            #expect([UInt8](try directory.read("p.bin")) == FixturePattern.bytes(count: 100_000))
            #expect(throws: TestSupportError.self) { try directory.read("missing") }
        }
        #expect(path.contains("tracegate-life-"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func processStatsReadAChildsProcEntries() throws {
        // A child whose descriptors are known: 0, 1, 2 plus the two it opens.
        let output = LineBuffer()
        let child = try ChildProcess.spawn(
            path: try ExternalTool.require("sh"),
            arguments: ["-c", "exec 3</dev/null 4</dev/null; echo ready; exec sleep 30"],
            environment: [:], stdinPipe: false,
            onStdout: { output.append($0) }, onStderr: { _ in })
        defer {
            child.signal(SIGKILL)
            _ = child.wait(timeout: .seconds(10))
        }
        #expect(output.wait(timeout: .seconds(10)) { lines, _ in lines.first } == "ready")
        #expect(try ProcessStats.openFileCount(pid: child.pid) == 5)
        #expect(try ProcessStats.rss(pid: child.pid) > 0)
        #expect(try ProcessStats.threadCount(pid: child.pid) == 1)
        #expect(try ProcessStats.threadCount(pid: getpid()) > 1)
        #expect(throws: TestSupportError.self) { try ProcessStats.rss(pid: -5) }
        #expect(throws: TestSupportError.self) { try ProcessStats.openFileCount(pid: -5) }
    }

    @Test func fixtureStopReleasesItsSockets() throws {
        let fixture = try UpstreamFixture.start()
        let clients = try (0..<5).map { _ in try RawHTTPClient.connect(port: fixture.port) }
        #expect(fixture.waitForConnections(count: 5))
        let peers = Set(clients.compactMap { ProxyReadyLine.port(of: $0.localAddress) })
        #expect(peers.count == 5)
        #expect(try Self.serverSocketsHeldOpen(port: fixture.port, peers: peers) == 5)
        fixture.stop()
        for client in clients { #expect(client.isClosedByPeer(timeout: .seconds(5))) }
        #expect(try Self.serverSocketsHeldOpen(port: fixture.port, peers: peers) == 0)
    }

    /// Server-side sockets (local `port`, remote port in `peers`) that a descriptor still
    /// refers to: in /proc/net/tcp a socket its owner closed (FIN_WAIT2, TIME_WAIT) shows
    /// inode 0. Matching the peers keeps other tests' sockets, which may reuse the port
    /// number once it is free, out of the count.
    static func serverSocketsHeldOpen(port: Int, peers: Set<Int>) throws -> Int {
        let table = try ProcessStats.readProcFile("/proc/net/tcp")
        return table.split(separator: "\n").dropFirst().filter { line in
            let fields = line.split(separator: " ")
            guard fields.count > 9,
                  let local = fields[1].split(separator: ":").last.flatMap({ Int($0, radix: 16) }),
                  let remote = fields[2].split(separator: ":").last.flatMap({ Int($0, radix: 16) }) else { return false }
            return local == port && peers.contains(remote) && fields[9] != "0"
        }.count
    }

    @Test func testScriptHasValidSyntax() throws {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/test.sh").path
        #expect(FileManager.default.isExecutableFile(atPath: script))
        let result = try ExternalTool.run("bash", ["-n", script], timeout: .seconds(20))
        #expect(result.status == 0, "\(result.stderr)")
    }
}
