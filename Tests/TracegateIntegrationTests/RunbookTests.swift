// RunbookTests: docs/runbook.md is executable. Its `sh` blocks run in order in one shell against
// a live Tracegate (RunbookScenario), its `yaml` blocks are applied to that instance's
// configuration where they appear, every alert's runbook anchor is one of its sections, and every
// metric it names is one the binary exposes.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite(.serialized) struct Runbook {
        static let path = "docs/runbook.md"

        static func document() throws -> RunbookDocument {
            RunbookDocument(text: try DeployPrometheus.text(path))
        }

        @Test func everyAlertLinksToASectionOfTheRunbook() throws {
            let document = try Self.document()
            let rules = try DeployPrometheus.text(DeployPrometheus.rules)
            let anchors = rules.components(separatedBy: "runbook: docs/runbook.md#").dropFirst()
                .map { String($0.prefix { !$0.isNewline }) }
            #expect(anchors.count == DeployPrometheus.alerts.count, "\(anchors)")
            for anchor in anchors {
                #expect(document.anchors.contains(anchor), "no section of the runbook has the anchor #\(anchor)")
            }
            // Every block is one the test knows how to run: nothing in the runbook escapes it.
            for block in document.blocks {
                #expect(["sh", "yaml"].contains(block.language), "line \(block.line): a `\(block.language)` block is neither run nor applied")
            }
        }

        @Test func everyCommandRunsAgainstALiveTracegate() throws {
            let document = try Self.document()
            #expect(document.blocks.filter { $0.language == "sh" }.count >= 15, "the runbook lost its commands")
            let scenario = try Scenario()
            defer { scenario.stop() }
            Self.warmUp(scenario)
            let shell = try InteractiveShell.start(environment: try scenario.shellEnvironment())
            defer { shell.stop() }

            var outputs: [(block: RunbookDocument.Block, output: String)] = []
            for block in document.blocks {
                switch block.language {
                case "sh":
                    let result = shell.run(block.text, timeout: .seconds(60))
                    #expect(result.finished, "line \(block.line): the block did not finish:\n\(result.output)")
                    #expect(result.failedCommands.isEmpty,
                            "line \(block.line): failed: \(result.failedCommands)\n--- output ---\n\(result.output)")
                    outputs.append((block, result.output))
                case "yaml":
                    try scenario.proxy.rewriteConfig(scenario.config(routeFragment: block.text))
                default:
                    Issue.record("line \(block.line): unexpected `\(block.language)` block")
                }
            }
            try Self.checkWhatTheCommandsShowed(outputs, scenario: scenario)
            let metrics = try Admin.metrics(scenario.proxy)
            let named = DeployPrometheus.metricNames(in: document.blocks.map(\.text).joined(separator: "\n"))
            #expect(named.count >= 8, "\(named)")
            for name in named.sorted() {
                #expect(DeployPrometheus.family(of: name, in: metrics.families) != nil, "the runbook names \(name), which /metrics lacks")
            }
        }

        /// Traffic before the incident: 100 orders, those ending in 9 failing in the service,
        /// and the dead endpoint's breaker opening after its first ten failures.
        static func warmUp(_ scenario: Scenario) {
            guard let client = try? RawHTTPClient.connect(port: scenario.port) else {
                Issue.record("cannot connect to the proxy")
                return
            }
            defer { client.close() }
            for i in 0..<100 {
                _ = client.send("GET /orders/\(i) HTTP/1.1\r\nHost: orders.test\r\n\r\n")
                #expect(client.readResponse(timeout: .seconds(10)) != nil)
            }
        }

        /// The figures the runbook promises its reader, found in what its commands printed.
        static func checkWhatTheCommandsShowed(_ outputs: [(block: RunbookDocument.Block, output: String)], scenario: Scenario) throws {
            func output(of command: String) -> String {
                let found = outputs.filter { $0.block.text.contains(command) }
                if found.isEmpty { Issue.record("no runbook block runs \(command)") }
                return found.map(\.output).joined(separator: "\n")
            }
            let hex32 = #"[0-9a-f]{32}"#
            #expect(output(of: "/readyz").contains("\"status\":\"ready\""))
            let stream = output(of: "/debug/stream?events=1")
            #expect(stream.contains("event: figures") && stream.contains("\"routes\""), "\(stream)")
            #expect(output(of: "echo \"exemplar trace:").range(of: "exemplar trace: " + hex32, options: .regularExpression) != nil)
            let failed = output(of: "echo \"failed request's trace:")
            #expect(failed.range(of: "failed request's trace: " + hex32, options: .regularExpression) != nil, "\(failed)")
            #expect(output(of: "logs | grep -F \"\\\"correlation_id\\\":\\\"$CID\\\"\"").contains("\"status\":500"))
            #expect(output(of: "/debug/requests?correlation_id=$CID").contains("\"attempt_log\""))
            let byAnswerer = output(of: "status=5xx&limit=200")
            #expect(byAnswerer.contains("500 from-upstream"), "\(byAnswerer)")
            #expect(output(of: "{endpoint, breaker, breaker_workers, ejected_workers}").contains("\"breaker\": \"open\""))
            #expect(output(of: "tracegate_retries_given_up_total").contains("tracegate_retries_total{cluster=\"orders\""))
            #expect(output(of: "collector answered").contains("collector answered 200")
                    || output(of: "collector answered").contains("collector answered 400"))
            let debug = output(of: "tracegate debug-token")
            #expect(debug.contains("\"debug\":true") && debug.contains("[redacted]") && !debug.contains("not-for-logs"), "\(debug)")
            let diff = output(of: "tracegate_mirror_diff_total")
            #expect(diff.range(of: #"kind="body_mismatch"\} [1-9]"#, options: .regularExpression) != nil, "\(diff)")
            #expect(diff.range(of: #"kind="body_match"\} [1-9]"#, options: .regularExpression) != nil, "\(diff)")
            let oneRequest = output(of: "x-tracegate-fault-abort: 503' \"$TG/orders/1\"").split(separator: "\n").map(String.init)
            #expect(oneRequest.count == 3, "\(oneRequest)")
            if oneRequest.count == 3 {
                #expect(oneRequest[0] == "503", "a signed caller's abort header is honoured")
                #expect(oneRequest[1].range(of: #"^200 in 0\.[3-9]"#, options: .regularExpression) != nil, "held 300 ms: \(oneRequest[1])")
                #expect(oneRequest[2] == "200 without a token", "an unsigned caller's fault header is stripped")
            }
            let rehearsal = output(of: "grep -E '^tracegate_faults_injected_total'")
            #expect(rehearsal.contains("503 ") && rehearsal.contains("200 "), "half aborted: \(rehearsal)")
            #expect(rehearsal.range(of: #"tracegate_faults_injected_total\{route="api",kind="abort",source="route"\} [1-9]"#,
                                    options: .regularExpression) != nil, "\(rehearsal)")
            #expect(rehearsal.contains("\"fault\":\"abort\""), "\(rehearsal)")
        }
    }
}
