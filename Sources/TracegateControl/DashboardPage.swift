// DashboardPage: the live dashboard's page, style sheet and script, embedded in the binary.

/// Serves `/` (the page), `/dashboard.css` and `/dashboard.js` from strings compiled into the
/// binary: no CDN, no build step, nothing to install next to the executable.
///
/// Why three responses rather than one page with inline code: the page is then covered by a strict
/// Content-Security-Policy without nonces or hashes to keep in step with the code —
/// `default-src 'none'` and only same-origin script, style and `connect-src` (the event stream and
/// `/debug/requests`). Request data reaches the DOM only as text (`textContent`), and trace links
/// only through the validated `telemetry.trace_url_template`, so a hostile path or header in a
/// request cannot script the page. Every response is `Cache-Control: no-store`: the page always
/// matches the binary that serves it.
enum DashboardPage {
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// The response for an embedded asset path, nil for any other path.
    static func response(for path: String) -> SimpleResponse? {
        let (type, body): (String, String)
        switch path {
        case "/", "/index.html": (type, body) = ("text/html; charset=utf-8", html)
        case "/dashboard.css": (type, body) = ("text/css; charset=utf-8", css)
        case "/dashboard.js": (type, body) = ("text/javascript; charset=utf-8", script + scriptViews)
        default: return nil
        }
        return SimpleResponse(status: 200, contentType: type, body: body, headers: [
            ("Cache-Control", "no-store"),
            ("Content-Security-Policy", contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        ])
    }

    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Tracegate live</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/dashboard.css">
    <script src="/dashboard.js" defer></script>
    </head>
    <body>
    <header>
      <h1>Tracegate <span class="sub">live</span></h1>
      <span id="status" class="status connecting">connecting…</span>
      <span id="updated" class="muted"></span>
    </header>
    <main>
    <section>
      <h2>Routes</h2>
      <table id="routes"><thead><tr><th>route</th><th>cluster</th><th>req/s</th><th>err/s</th><th>error ratio</th>
        <th>p50 ms</th><th>p99 ms</th><th>total</th><th>mirror match</th></tr></thead><tbody></tbody></table>
    </section>
    <section>
      <h2>Clusters</h2>
      <table id="clusters"><thead><tr><th>cluster</th><th>attempts/s</th><th>err/s</th><th>error ratio</th><th>p50 ms</th>
        <th>p99 ms</th><th>retries/s</th><th>retry budget left</th><th>retries active</th><th>circuit rejections</th></tr></thead>
        <tbody></tbody></table>
    </section>
    <section>
      <h2>Endpoints</h2>
      <table id="endpoints"><thead><tr><th>cluster</th><th>endpoint</th><th>attempts/s</th><th>error ratio</th><th>p99 ms</th>
        <th>breaker</th><th>ejected (workers)</th><th>in flight</th></tr></thead><tbody></tbody></table>
    </section>
    <section>
      <h2>Dependencies</h2>
      <div id="deps" class="deps"></div>
    </section>
    <section>
      <h2>Recent requests <span id="req-count" class="muted"></span></h2>
      <div class="filters">
        <label>correlation id <input id="f-correlation" autocomplete="off"></label>
        <label>trace id <input id="f-trace" autocomplete="off"></label>
        <label>session id <input id="f-session" autocomplete="off"></label>
        <label>status <input id="f-status" placeholder="5xx, 502" size="6" autocomplete="off"></label>
        <label>route <input id="f-route" autocomplete="off"></label>
        <button id="f-search" type="button" title="ask /debug/requests for older matches">search history</button>
        <button id="f-clear" type="button">clear</button>
      </div>
      <table id="requests"><thead><tr><th>time</th><th>method</th><th>path</th><th>route</th><th>status</th><th>ms</th>
        <th>attempts</th><th>correlation id</th><th>trace id</th><th>session id</th></tr></thead><tbody></tbody></table>
    </section>
    <aside id="detail" hidden>
      <div class="detail-head"><h2>Request</h2><button id="detail-close" type="button">close</button></div>
      <dl id="detail-fields"></dl>
      <h3>Timeline</h3>
      <div id="timeline"></div>
    </aside>
    </main>
    </body>
    </html>

    """#

    static let css = #"""
    :root { --bg:#0f1419; --panel:#171d24; --fg:#d7dde4; --muted:#7f8b97; --ok:#3fb950; --warn:#d29922; --bad:#f85149; --acc:#58a6ff; }
    * { box-sizing: border-box; }
    body { margin:0; background:var(--bg); color:var(--fg); font:13px/1.4 system-ui, sans-serif; }
    header { display:flex; gap:16px; align-items:baseline; padding:10px 16px; background:var(--panel); border-bottom:1px solid #263040; }
    h1 { font-size:18px; margin:0; } h1 .sub { color:var(--acc); font-weight:400; }
    h2 { font-size:14px; margin:14px 0 6px; } h3 { font-size:13px; margin:10px 0 4px; }
    main { padding:0 16px 24px; }
    .muted { color:var(--muted); }
    .status { padding:1px 8px; border-radius:8px; font-size:12px; }
    .status.live { background:#12361f; color:var(--ok); } .status.connecting { background:#3a2f10; color:var(--warn); }
    .status.down { background:#3d1515; color:var(--bad); }
    table { border-collapse:collapse; width:100%; background:var(--panel); }
    th, td { text-align:left; padding:3px 8px; border-bottom:1px solid #222b36; white-space:nowrap; }
    th { color:var(--muted); font-weight:500; }
    td.num { text-align:right; font-variant-numeric:tabular-nums; }
    td.path { max-width:320px; overflow:hidden; text-overflow:ellipsis; }
    .bad { color:var(--bad); } .warn { color:var(--warn); } .ok { color:var(--ok); }
    #requests tbody tr { cursor:pointer; } #requests tbody tr:hover { background:#1f2833; }
    #requests tbody tr.selected { background:#233247; }
    a { color:var(--acc); }
    .filters { display:flex; flex-wrap:wrap; gap:10px; margin:4px 0 8px; align-items:end; }
    .filters label { display:flex; flex-direction:column; font-size:11px; color:var(--muted); }
    input, button { background:#0b0f14; color:var(--fg); border:1px solid #2d3846; border-radius:4px; padding:3px 6px; font:inherit; }
    button { cursor:pointer; }
    .deps svg { background:var(--panel); width:100%; max-width:1100px; display:block; }
    .deps text { fill:var(--fg); font-size:12px; } .deps text.sub { fill:var(--muted); font-size:11px; }
    .deps rect { fill:#1f2833; stroke:#2d3846; } .deps rect.bad { stroke:var(--bad); } .deps rect.warn { stroke:var(--warn); }
    .deps rect.ok { stroke:var(--ok); } .deps path { fill:none; stroke:#3b4a5c; stroke-width:1.5; }
    aside#detail { position:fixed; top:0; right:0; width:min(560px, 100%); height:100%; overflow:auto; background:var(--panel);
      border-left:1px solid #2d3846; padding:10px 16px; box-shadow:-8px 0 24px #0008; }
    .detail-head { display:flex; justify-content:space-between; align-items:center; }
    dl { display:grid; grid-template-columns:max-content 1fr; gap:2px 12px; margin:0; } dt { color:var(--muted); } dd { margin:0; word-break:break-all; }
    .tl-row { display:grid; grid-template-columns:190px 1fr 80px; gap:8px; align-items:center; margin:2px 0; }
    .tl-track { position:relative; height:12px; background:#0b0f14; border-radius:3px; }
    .tl-bar { position:absolute; top:0; height:12px; background:var(--acc); border-radius:3px; min-width:2px; }
    .tl-bar.fail { background:var(--bad); } .tl-bar.point { background:var(--warn); width:3px; }
    .tl-ms { text-align:right; font-variant-numeric:tabular-nums; color:var(--muted); }

    """#
}
