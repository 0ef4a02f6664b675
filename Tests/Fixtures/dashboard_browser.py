#!/usr/bin/env python3
"""Drives headless Chromium over the Chrome DevTools Protocol against Tracegate's live dashboard.

Usage: dashboard_browser.py --chromium PATH --url http://127.0.0.1:ADMIN/ --correlation ID
                            --screenshot OUT.png [--min-rows N] [--timeout S]

Starts `chromium --headless=new --no-sandbox --remote-debugging-port=0` with a fresh profile in a
temporary directory, reads the port from the profile's DevToolsActivePort file, opens the page
and waits until the requests table has at least N rows and one with the correlation id. Then it
types the correlation id into the filter (value set, `input` event dispatched, as a keystroke
would), reads the remaining rows and the row's trace link, clicks the row, reads the detail
view's timeline, and saves a PNG screenshot. Prints one JSON object with what it observed;
the Swift test asserts on it. Chromium is killed and its profile removed in every case.

If the `websocket` module (websocket-client) is missing, prints `missing-python-module websocket
websocket-client` on stderr and exits 3.
"""

import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import websocket  # websocket-client
except ImportError as error:  # the Swift wrapper turns this line into a test failure
    print(f"missing-python-module websocket websocket-client ({error})", file=sys.stderr, flush=True)
    sys.exit(3)


class CDP:
    """One page's DevTools session: numbered commands, events buffered while waiting."""

    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        mine = self.next_id
        self.ws.send(json.dumps({"id": mine, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == mine:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


def start_chromium(path, profile):
    args = [path, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1400,1100", "about:blank"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited with {process.returncode}: {process.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            with open(port_file) as f:
                first = f.readline().strip()
            if first:
                return process, int(first)
        except (FileNotFoundError, ValueError):
            pass
        time.sleep(0.1)
    raise TimeoutError("chromium wrote no DevToolsActivePort within 30s")


def stop_chromium(process):
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=5)
    except Exception:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=5)


ROWS = "Array.from(document.querySelectorAll('#requests tbody tr'))"


def observe(cdp, args):
    out = {}
    cdp.call("Page.enable")
    cdp.call("Runtime.enable")
    cdp.call("Log.enable")
    cdp.call("Page.navigate", url=args.url)
    cid = json.dumps(args.correlation)
    cdp.wait_for(f"{ROWS}.length >= {args.min_rows} && {ROWS}.some(r => r.children[7].textContent === {cid})",
                 args.timeout, f"{args.min_rows} request rows including correlation id {args.correlation}")
    # Rates come from two samples: wait for a figures event that shows the live traffic.
    cdp.wait_for("(() => { const r = document.querySelector('#routes tbody tr'); "
                 "return r !== null && parseFloat(r.children[2].textContent) > 0 && "
                 "document.querySelectorAll('#deps svg g.dep-node').length > 0; })()",
                 args.timeout, "figures with a non-zero request rate and the dependency view")
    out["status"] = cdp.evaluate("document.getElementById('status').textContent")
    out["rows_before_filter"] = cdp.evaluate(f"{ROWS}.length")
    out["routes"] = cdp.evaluate("Array.from(document.querySelectorAll('#routes tbody tr')).map(r => "
                                 "Array.from(r.children).map(c => c.textContent))")
    out["clusters"] = cdp.evaluate("Array.from(document.querySelectorAll('#clusters tbody tr')).map(r => "
                                   "Array.from(r.children).map(c => c.textContent))")
    out["endpoints"] = cdp.evaluate("Array.from(document.querySelectorAll('#endpoints tbody tr')).map(r => "
                                    "Array.from(r.children).map(c => c.textContent))")
    out["dependency_nodes"] = cdp.evaluate("Array.from(document.querySelectorAll('#deps g.dep-node')).map(g => g.dataset.id)")
    out["dependency_edges"] = cdp.evaluate("document.querySelectorAll('#deps svg path').length")
    # Type the correlation id into its filter, as a person would.
    cdp.evaluate(f"(() => {{ const i = document.getElementById('f-correlation'); i.focus(); i.value = {cid}; "
                 "i.dispatchEvent(new Event('input', {bubbles: true})); return true; })()")
    out["rows_after_filter"] = cdp.evaluate(f"{ROWS}.map(r => r.children[7].textContent)")
    out["trace_link"] = cdp.evaluate(f"(() => {{ const a = document.querySelector('#requests tbody tr a.trace-link'); "
                                     "return a ? {text: a.textContent, href: a.getAttribute('href')} : null; })()")
    out["trace_cell"] = cdp.evaluate(f"(() => {{ const r = {ROWS}[0]; return r ? r.children[8].textContent : null; }})()")
    cdp.evaluate(f"{ROWS}[0].click(); true")
    cdp.wait_for("!document.getElementById('detail').hidden && document.querySelectorAll('#timeline .tl-row').length > 0",
                 args.timeout, "the detail view")
    out["timeline"] = cdp.evaluate("Array.from(document.querySelectorAll('#timeline .tl-row')).map(r => r.dataset.event)")
    out["detail_correlation"] = cdp.evaluate(
        "(() => { const d = document.querySelector('#detail-fields dd[data-field=\"correlation_id\"]'); return d ? d.textContent : null; })()")
    shot = cdp.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    data = base64.b64decode(shot["data"])
    with open(args.screenshot, "wb") as f:
        f.write(data)
    out["screenshot_bytes"] = len(data)
    # Console errors and CSP refusals (Log.entryAdded) and uncaught exceptions.
    problems = []
    for event in cdp.events:
        if event["method"] == "Runtime.exceptionThrown":
            problems.append(event["params"]["exceptionDetails"].get("text", "exception"))
        elif event["method"] == "Log.entryAdded" and event["params"]["entry"].get("level") == "error":
            problems.append(event["params"]["entry"].get("text", ""))
        elif event["method"] == "Runtime.consoleAPICalled" and event["params"].get("type") == "error":
            problems.append(json.dumps(event["params"].get("args", []))[:500])
    out["page_errors"] = problems
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--correlation", required=True)
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--min-rows", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()
    profile = tempfile.mkdtemp(prefix="tg-chromium-")
    process = None
    try:
        process, port = start_chromium(args.chromium, profile)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            targets = json.load(response)
        page = next(t for t in targets if t.get("type") == "page")
        cdp = CDP(page["webSocketDebuggerUrl"])
        try:
            result = observe(cdp, args)
        finally:
            cdp.ws.close()
        result["profile"] = profile
        print(json.dumps(result), flush=True)
        return 0
    except Exception as error:  # reported to the Swift test as a fixture failure with the reason
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
        return 1
    finally:
        stop_chromium(process)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
