import Foundation
import Testing

@testable import TracegateTestSupport

/// How `ProxyProcess` finds the `tracegate` executable.
@Suite struct LocateBinaryTests {
    @Test func environmentVariableWins() throws {
        let directory = try TempDir()
        let binary = try directory.write("my-tracegate", "#!/bin/sh\n")
        chmod(binary, 0o755)
        #expect(try ProxyProcess.locateBinary(environment: ["TRACEGATE_BIN": binary]) == binary)
    }

    @Test func environmentVariableMustPointAtAnExecutable() throws {
        let directory = try TempDir()
        let notExecutable = try directory.write("plain", "text")
        for path in [notExecutable, directory.file("missing"), directory.path] {
            do {
                _ = try ProxyProcess.locateBinary(environment: ["TRACEGATE_BIN": path])
                Issue.record("\(path) accepted")
            } catch {
                #expect(error.description.contains("TRACEGATE_BIN=\(path)"))
                #expect(error.description.contains("swift build"))
            }
        }
    }

    @Test func walksUpFromTheSourceFileToDotBuild() throws {
        let root = try TempDir()
        try FileManager.default.createDirectory(atPath: root.file(".build/debug"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root.file("Tests/TracegateTestSupport"), withIntermediateDirectories: true)
        let binary = try root.write(".build/debug/tracegate", "#!/bin/sh\n")
        chmod(binary, 0o755)
        // No directories next to the test bundle: inside the real package a built tracegate sits there.
        let found = try ProxyProcess.locateBinary(environment: [:], sourceFile: root.file("Tests/TracegateTestSupport/ProxyProcess.swift"),
                                                  executableDirectories: [])
        #expect(found == binary)
    }

    @Test func missingBinaryExplainsWhatToDo() throws {
        let root = try TempDir()
        do {
            let found = try ProxyProcess.locateBinary(environment: [:], sourceFile: root.file("Tests/X/Y.swift"),
                                                      executableDirectories: [])
            Issue.record("found \(found) where nothing was built")
        } catch {
            guard case .binaryNotFound(let searched) = error else { Issue.record("unexpected \(error)"); return }
            #expect(searched.contains(root.file("Tests/X/.build/debug/tracegate")))
            #expect(searched.contains(root.path + "/.build/debug/tracegate"))
            #expect(error.description.contains("run `swift build`"))
        }
    }

    @Test func testExecutableDirectoryIsConsidered() {
        let directories = ProxyProcess.testExecutableDirectories()
        #expect(!directories.isEmpty)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardized.deletingLastPathComponent().path
        #expect(directories.contains { $0 == executable || executable.hasSuffix($0) || $0.hasSuffix("debug") || $0.hasSuffix("release") })
    }
}
