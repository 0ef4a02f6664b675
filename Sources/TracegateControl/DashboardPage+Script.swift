// DashboardPage+Script: the page's script, part one: the event stream, request store and filters.

extension DashboardPage {
    /// Connects to `/debug/stream` with `EventSource` (which reconnects by itself and sends
    /// `Last-Event-ID`, so no request is shown twice), keeps the newest requests in memory and
    /// filters them client-side; "search history" asks `/debug/requests` with the same filters for
    /// matches older than what the stream delivered. Rendering is in ``scriptViews``.
    static let script = #"""
    'use strict';
    const TG = { template: null, requests: [], keys: new Set(), selected: null, figures: null, max: 2000 };
    window.TG = TG;

    function $(id) { return document.getElementById(id); }
    function el(tag, cls, text) {
      const e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined && text !== null) e.textContent = String(text);
      return e;
    }
    function fmt(v, digits) { return v === null || v === undefined ? '–' : Number(v).toFixed(digits === undefined ? 1 : digits); }
    function pct(v) { return v === null || v === undefined ? '–' : (v * 100).toFixed(1) + '%'; }
    function ratioClass(v) { return v === null || v === undefined ? '' : v >= 0.05 ? 'bad' : v > 0 ? 'warn' : 'ok'; }
    function keyOf(r) { return r.trace_id + '/' + r.span_id + '/' + r.time; }

    /// The trace UI link for an id, or null without a template (the id is then plain text).
    function traceURL(id) {
      if (!TG.template || !/^[0-9a-f]{32}$/.test(id) || /^0+$/.test(id)) return null;
      return TG.template.split('{trace_id}').join(id);
    }

    function addRequests(list, front) {
      let added = 0;
      for (const r of list) {
        const k = keyOf(r);
        if (TG.keys.has(k)) continue;
        TG.keys.add(k);
        if (front) TG.requests.unshift(r); else TG.requests.push(r);
        added++;
      }
      TG.requests.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
      while (TG.requests.length > TG.max) TG.keys.delete(keyOf(TG.requests.pop()));
      if (added) renderRequests();
    }

    function filters() {
      return {
        correlation: $('f-correlation').value.trim(), trace: $('f-trace').value.trim().toLowerCase(),
        session: $('f-session').value.trim(), status: $('f-status').value.trim().toLowerCase(), route: $('f-route').value.trim(),
      };
    }

    /// "5xx"-style classes or an exact code, as /debug/requests reads `status`.
    function statusMatches(code, pattern) {
      if (/^[1-5]xx$/.test(pattern)) return Math.floor(code / 100) === Number(pattern[0]);
      return String(code) === pattern;
    }

    /// Ids match as substrings (paste a part of one), status and route exactly.
    function matches(r, f) {
      if (f.correlation && !(r.correlation_id || '').includes(f.correlation)) return false;
      if (f.trace && !(r.trace_id || '').includes(f.trace)) return false;
      if (f.session && !(r.session_id || '').includes(f.session)) return false;
      if (f.status && !statusMatches(r.status, f.status)) return false;
      if (f.route && r.route !== f.route) return false;
      return true;
    }

    function searchHistory() {
      const f = filters();
      const q = new URLSearchParams();
      if (f.correlation) q.set('correlation_id', f.correlation);
      if (f.trace) q.set('trace_id', f.trace);
      if (f.session) q.set('session_id', f.session);
      if (f.status) q.set('status', f.status);
      if (f.route) q.set('route', f.route);
      q.set('limit', '500');
      fetch('/debug/requests?' + q.toString(), { cache: 'no-store' })
        .then((res) => res.json())
        .then((body) => addRequests(body.requests || [], false))
        .catch(() => setStatus('down', 'search failed'));
    }

    function setStatus(kind, text) {
      const s = $('status');
      s.className = 'status ' + kind;
      s.textContent = text;
    }

    function connect() {
      const source = new EventSource('/debug/stream');
      source.addEventListener('open', () => setStatus('live', 'live'));
      source.addEventListener('error', () => setStatus(source.readyState === 2 ? 'down' : 'connecting', 'reconnecting…'));
      source.addEventListener('figures', (ev) => {
        const f = JSON.parse(ev.data);
        TG.template = f.trace_url_template;
        TG.figures = f;
        setStatus('live', 'live');
        $('updated').textContent = 'updated ' + new Date(f.time_ms).toLocaleTimeString();
        renderFigures(f);
      });
      source.addEventListener('requests', (ev) => {
        const body = JSON.parse(ev.data);
        addRequests(body.requests.map((e) => e.request), true);
      });
      TG.source = source;
    }

    document.addEventListener('DOMContentLoaded', () => {
      for (const id of ['f-correlation', 'f-trace', 'f-session', 'f-status', 'f-route']) {
        $(id).addEventListener('input', renderRequests);
      }
      $('f-search').addEventListener('click', searchHistory);
      $('f-clear').addEventListener('click', () => {
        for (const id of ['f-correlation', 'f-trace', 'f-session', 'f-status', 'f-route']) $(id).value = '';
        renderRequests();
      });
      $('detail-close').addEventListener('click', () => { $('detail').hidden = true; TG.selected = null; renderRequests(); });
      connect();
    });

    """#
}
