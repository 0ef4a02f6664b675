// ExportWorker+Send.swift — one batch: encode, POST, retry once, count.

extension ExportWorker {
    /// Sends one batch, retrying once on a transient failure, and counts the outcome.
    ///
    /// The retry must fit in the batch's budget (twice `timeout`, and never past the shutdown
    /// deadline): a collector that asks for a long pause gets the batch dropped instead, because
    /// meanwhile the queue behind it fills up and starts dropping fresher spans.
    func export(_ chunks: [EncodedSpans]) {
        guard !chunks.isEmpty else { return }
        let counters = shared.counters
        let body = OTLPWireEncoder.request(resource: configuration.resource, chunks: chunks)
        let spans = chunks.reduce(0) { $0 + $1.count }
        let budget = MonotonicTime.after(configuration.timeout * 2)
        var attempt = 1
        while true {
            counters.requestSent()
            let deadline = min(MonotonicTime.after(configuration.timeout), budget)
            let retryDelay: Duration?
            switch client.post(body, deadline: deadline) {
            case .success(let response):
                switch response.verdict(batchSize: spans) {
                case .accepted(let rejected, let message):
                    counters.exported(spans - rejected)
                    if rejected > 0 {
                        counters.dropped(rejected, .rejected)
                        counters.lastError =
                            "collector rejected \(rejected) of \(spans) spans"
                            + (message.isEmpty ? "" : ": \(message)")
                    }
                    return
                case .retry(let after):
                    counters.requestFailed(response.summary)
                    retryDelay = after ?? configuration.retryBackoff
                case .failed:
                    counters.requestFailed(response.summary)
                    retryDelay = nil
                }
            case .failure(let error):
                counters.requestFailed(error.description)
                retryDelay = error.isRetryable ? configuration.retryBackoff : nil
            }
            guard attempt == 1, let retryDelay, pause(min(retryDelay, configuration.maxRetryDelay), within: budget)
            else {
                counters.dropped(spans, .exportFailed)
                return
            }
            attempt += 1
        }
    }

    /// Waits `delay` before the retry; false when that would not leave the retry any time within
    /// `budget` or the shutdown deadline.
    private func pause(_ delay: Duration, within budget: MonotonicTime) -> Bool {
        let resume = MonotonicTime.after(delay)
        let limit = shared.stopDeadline.map { min($0, budget) } ?? budget
        guard resume < limit else { return false }
        while !resume.hasPassed {
            // Woken early by a full batch or by shutdown; shutdown may move the limit closer.
            shared.wake.wait(until: resume)
            if let stop = shared.stopDeadline, stop <= resume { return false }
        }
        return true
    }
}
