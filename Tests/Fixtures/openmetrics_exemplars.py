#!/usr/bin/env python3
"""Reads an OpenMetrics exposition on stdin and prints its exemplars as JSON.

Used by the integration tests (Tests/TracegateIntegrationTests/MetricsTests.swift) to check
Tracegate's OpenMetrics output with an independent parser: prometheus_client's
text_string_to_metric_families, which rejects malformed lines, missing `# EOF`, clashing names,
histograms whose buckets or `_count` disagree, and exemplars anywhere but on buckets and
counters. Any such error ends the script with a traceback and a non-zero exit.

Output: {"families": N, "exemplars": [{"family", "sample", "labels", "trace_id", "span_id",
"value", "timestamp"}, ...]} with one entry per sample that carries an exemplar.
"""
import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families


def seconds(timestamp):
    """The parser gives a Timestamp (sec, nsec) or a float; JSON gets seconds as a float."""
    if timestamp is None:
        return None
    if hasattr(timestamp, "sec"):
        return timestamp.sec + timestamp.nsec / 1e9
    return float(timestamp)


def main() -> int:
    text = sys.stdin.read()
    families = 0
    exemplars = []
    for family in text_string_to_metric_families(text):
        families += 1
        for sample in family.samples:
            if sample.exemplar is None:
                continue
            exemplars.append({
                "family": family.name,
                "sample": sample.name,
                "labels": sample.labels,
                "trace_id": sample.exemplar.labels.get("trace_id"),
                "span_id": sample.exemplar.labels.get("span_id"),
                "value": sample.exemplar.value,
                "timestamp": seconds(sample.exemplar.timestamp),
            })
    json.dump({"families": families, "exemplars": exemplars}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
