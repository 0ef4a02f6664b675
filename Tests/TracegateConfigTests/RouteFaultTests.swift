// RouteFaultTests.swift — `routes[i].fault`: delays and aborts injected on purpose.

import Testing
import TracegateConfig
import TracegateResilience

@Suite("Route fault")
struct RouteFaultTests {
    func yaml(_ fault: String) -> String {
        """
        listeners: [{address: "127.0.0.1:8080"}]
        routes: [{name: api, cluster: api, fault: \(fault)}]
        clusters: [{name: api, endpoints: ["127.0.0.1:9000"]}]

        """
    }

    func loadFault(_ fault: String, sourceLocation: SourceLocation = #_sourceLocation) -> FaultInjection? {
        loadValid(yaml(fault), sourceLocation: sourceLocation)?.routes.first?.fault
    }

    @Test("no fault block: nothing injected")
    func absent() {
        #expect(loadValid(baseYAML)?.routes.first?.fault == nil)
    }

    @Test("every key is read; percentage defaults to 100")
    func everyKey() throws {
        let fault = try #require(loadFault("{delay: {duration: 250ms, percentage: 12.5}, abort: {status: 503, percentage: 1}}"))
        #expect(fault == FaultInjection(delay: try .init(nanos: 250_000_000, percentage: 12.5),
                                        abort: try .init(status: 503, percentage: 1)))
        let delayOnly = try #require(loadFault("{delay: {duration: 2}}"))
        #expect(delayOnly == FaultInjection(delay: try .init(nanos: 2_000_000_000)))
        #expect(delayOnly.delay?.percentage == .always)
        let abortOnly = try #require(loadFault("{abort: {status: 204, percentage: 0}}"))
        #expect(abortOnly == FaultInjection(abort: try .init(status: 204, percentage: 0)))
    }

    @Test(
        "errors name the key path",
        arguments: [
            ("{}", "routes[0].fault: must set delay, abort or both (omit fault to inject nothing)"),
            ("{delay: {percentage: 50}}", "routes[0].fault.delay.duration: required key is missing"),
            ("{abort: {percentage: 50}}", "routes[0].fault.abort.status: required key is missing"),
            ("{abort: {status: 700}}", "routes[0].fault.abort.status: must be in 200...599, got 700"),
            ("{abort: {status: 100}}", "routes[0].fault.abort.status: must be in 200...599, got 100"),
            ("{abort: {status: \"503\"}}", "routes[0].fault.abort.status: expected an integer"),
            ("{abort: {status: 503, percentage: 101}}", "routes[0].fault.abort.percentage: must be in 0.0...100.0, got 101.0"),
            ("{delay: {duration: 1s, percentage: -1}}", "routes[0].fault.delay.percentage: must be in 0.0...100.0, got -1.0"),
            ("{delay: {duration: 1s, percentage: half}}", "routes[0].fault.delay.percentage: expected a number"),
            ("{delay: {duration: 2h}}", "routes[0].fault.delay.duration: must be in 1ms...1h, got 2h"),
            ("{delay: {duration: 0}}", "routes[0].fault.delay.duration: must be in 1ms...1h, got 0s"),
            ("{delay: {duration: 1s, percent: 5}}", "routes[0].fault.delay.percent: unknown key \"percent\""),
            ("{abort: {status: 503, code: 1}}", "routes[0].fault.abort.code: unknown key \"code\""),
            ("{delays: {duration: 1s}, abort: {status: 503}}", "routes[0].fault.delays: unknown key \"delays\" (did you mean \"delay\"?)"),
            ("{abort: 503}", "routes[0].fault.abort: expected a mapping"),
            ("yes", "routes[0].fault: expected a mapping"),
        ]
    )
    func errors(fault: String, expected: String) {
        #expect(loadErrors(yaml(fault)) == [expected])
    }

    @Test("every bad value of the block is reported in one run")
    func everyBadValueReported() {
        #expect(loadErrors(yaml("{delay: {duration: 2h, percentage: 200}, abort: {status: 99, percentage: 300}}")) == [
            "routes[0].fault.delay.duration: must be in 1ms...1h, got 2h",
            "routes[0].fault.delay.percentage: must be in 0.0...100.0, got 200.0",
            "routes[0].fault.abort.status: must be in 200...599, got 99",
            "routes[0].fault.abort.percentage: must be in 0.0...100.0, got 300.0",
        ])
    }
}
