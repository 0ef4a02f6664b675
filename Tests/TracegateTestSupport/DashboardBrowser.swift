// DashboardBrowser: headless Chromium driven over the DevTools protocol (dashboard_browser.py).
import Foundation

/// Loads the live dashboard in a real browser and reports what it rendered.
///
/// Chromium (Debian's `chromium`) is required like every external tool: missing, the test fails
/// naming the package (never skips), and so does a missing `websocket-client` module. The script
/// starts Chromium with a throw-away profile and always kills it and removes the profile.
public enum DashboardBrowser {
    static let pythonModule = (module: "websocket", pipPackage: "websocket-client")

    /// Opens `url`, waits for `minRows` request rows including one with `correlationID`, filters by
    /// it, opens its detail view and writes a PNG to `screenshot`.
    public static func inspect(url: String, correlationID: String, screenshot: String, minRows: Int = 2,
                               timeout: Duration = .seconds(30)) throws(TestSupportError) -> DashboardBrowserResult {
        let chromium = try ExternalTool.require("chromium")
        let seconds = String(timeout.components.seconds)
        let result = try PythonFixtureProcess.run(
            script: PythonFixtureProcess.scriptPath("dashboard_browser.py"),
            arguments: ["--chromium", chromium, "--url", url, "--correlation", correlationID, "--screenshot", screenshot,
                        "--min-rows", String(minRows), "--timeout", seconds],
            module: pythonModule, timeout: timeout * 3 + .seconds(30))
        let line = result.stdoutText.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? ""
        return try PythonFixtureProcess.decode(DashboardBrowserResult.self, line, what: "dashboard_browser.py report (stderr: \(result.stderr))")
    }
}

/// What the page showed (see `Tests/Fixtures/dashboard_browser.py`).
public struct DashboardBrowserResult: Sendable, Decodable {
    public struct Link: Sendable, Decodable {
        public var text: String
        public var href: String
    }

    /// The connection badge ("live" once events arrive).
    public var status: String
    public var rowsBeforeFilter: Int
    /// Cell texts of the routes, clusters and endpoints tables.
    public var routes: [[String]]
    public var clusters: [[String]]
    public var endpoints: [[String]]
    /// `r:<route>`, `c:<cluster>`, `e:<cluster>/<endpoint>` boxes, and the lines joining them.
    public var dependencyNodes: [String]
    public var dependencyEdges: Int
    /// The correlation id cell of every row left after filtering.
    public var rowsAfterFilter: [String]
    public var traceLink: Link?
    public var traceCell: String?
    /// `data-event` of each timeline row in the detail view.
    public var timeline: [String]
    public var detailCorrelation: String?
    public var screenshotBytes: Int
    /// Uncaught exceptions, console errors and CSP refusals.
    public var pageErrors: [String]

    enum CodingKeys: String, CodingKey {
        case status, routes, clusters, endpoints, timeline
        case rowsBeforeFilter = "rows_before_filter"
        case dependencyNodes = "dependency_nodes"
        case dependencyEdges = "dependency_edges"
        case rowsAfterFilter = "rows_after_filter"
        case traceLink = "trace_link"
        case traceCell = "trace_cell"
        case detailCorrelation = "detail_correlation"
        case screenshotBytes = "screenshot_bytes"
        case pageErrors = "page_errors"
    }
}
