// DashboardPage+Views: the page's script, part two: tables, dependency view and request detail.

extension DashboardPage {
    /// Rendering only: every value reaches the DOM as text, links only through `traceURL`.
    static let scriptViews = #"""
    function cells(tr, values) {
      for (const v of values) {
        const td = typeof v === 'object' && v !== null ? el('td', v.cls || '', v.text) : el('td', '', v);
        if (typeof v === 'object' && v !== null && v.num) td.classList.add('num');
        tr.appendChild(td);
      }
      return tr;
    }
    function num(v, digits) { return { text: fmt(v, digits), num: true }; }
    function ratio(v) { return { text: pct(v), num: true, cls: ratioClass(v) }; }
    function fill(tbody, rows) { tbody.replaceChildren(...rows); }

    function renderFigures(f) {
      fill($('routes').tBodies[0], f.routes.map((r) => {
        const tr = cells(el('tr'), [r.name, r.cluster, num(r.rate_per_s, 2), num(r.errors_per_s, 2), ratio(r.error_ratio),
          num(r.p50_ms), num(r.p99_ms), num(r.requests_total, 0),
          r.mirror ? { text: pct(r.mirror.match_ratio) + ' (' + r.mirror.matches_total + '/' + (r.mirror.matches_total + r.mirror.mismatches_total) + ')',
                       cls: r.mirror.match_ratio === null ? '' : r.mirror.match_ratio < 1 ? 'warn' : 'ok' } : '–']);
        tr.dataset.route = r.name;
        return tr;
      }));
      fill($('clusters').tBodies[0], f.clusters.map((c) => cells(el('tr'), [c.name, num(c.rate_per_s, 2), num(c.errors_per_s, 2),
        ratio(c.error_ratio), num(c.p50_ms), num(c.p99_ms), num(c.retries_per_s, 2), num(c.retry_budget_available, 0),
        num(c.retries_active, 0), num(c.circuit_open_rejections_total, 0)])));
      const eps = [];
      for (const c of f.clusters) {
        for (const e of c.endpoints) {
          eps.push(cells(el('tr'), [c.name, e.endpoint, num(e.rate_per_s, 2), ratio(e.error_ratio), num(e.p99_ms),
            { text: e.breaker === null ? 'none' : e.breaker, cls: e.breaker === 'open' ? 'bad' : e.breaker === 'half_open' ? 'warn' : 'ok' },
            { text: e.ejected_workers, cls: e.ejected_workers > 0 ? 'bad' : '' }, num(e.in_flight, 0)]));
        }
      }
      fill($('endpoints').tBodies[0], eps);
      renderDeps(f);
    }

    /// Routes → clusters → endpoints as three columns of boxes joined by lines, each box with its
    /// live rate and error ratio (its border coloured by the ratio).
    function renderDeps(f) {
      const NS = 'http://www.w3.org/2000/svg';
      const cols = [
        f.routes.map((r) => ({ id: 'r:' + r.name, label: r.name, rate: r.rate_per_s, err: r.error_ratio, to: ['c:' + r.cluster] })),
        f.clusters.map((c) => ({ id: 'c:' + c.name, label: c.name, rate: c.rate_per_s, err: c.error_ratio,
          to: c.endpoints.map((e) => 'e:' + c.name + '/' + e.endpoint) })),
        f.clusters.flatMap((c) => c.endpoints.map((e) => ({ id: 'e:' + c.name + '/' + e.endpoint, label: e.endpoint,
          rate: e.rate_per_s, err: e.error_ratio, breaker: e.breaker, to: [] }))),
      ];
      const W = 220, H = 40, GAP = 12, X = [10, 330, 650];
      const rows = Math.max(1, ...cols.map((c) => c.length));
      const svg = document.createElementNS(NS, 'svg');
      svg.setAttribute('viewBox', '0 0 890 ' + (rows * (H + GAP) + GAP));
      svg.setAttribute('preserveAspectRatio', 'xMinYMin meet');
      const pos = {};
      cols.forEach((col, ci) => col.forEach((n, i) => { pos[n.id] = { x: X[ci], y: GAP + i * (H + GAP) }; }));
      for (const col of cols) {
        for (const n of col) {
          for (const t of n.to) {
            if (!pos[t]) continue;
            const a = pos[n.id], b = pos[t];
            const p = document.createElementNS(NS, 'path');
            const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
            p.setAttribute('d', `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`);
            svg.appendChild(p);
          }
        }
      }
      cols.forEach((col, ci) => col.forEach((n) => {
        const g = document.createElementNS(NS, 'g');
        g.setAttribute('class', 'dep-node dep-col-' + ci);
        g.dataset.id = n.id;
        const r = document.createElementNS(NS, 'rect');
        r.setAttribute('x', pos[n.id].x); r.setAttribute('y', pos[n.id].y);
        r.setAttribute('width', W); r.setAttribute('height', H); r.setAttribute('rx', 5);
        r.setAttribute('class', n.breaker === 'open' ? 'bad' : ratioClass(n.err));
        const t1 = document.createElementNS(NS, 'text');
        t1.setAttribute('x', pos[n.id].x + 8); t1.setAttribute('y', pos[n.id].y + 16);
        t1.textContent = n.label.length > 30 ? n.label.slice(0, 29) + '…' : n.label;
        const t2 = document.createElementNS(NS, 'text');
        t2.setAttribute('x', pos[n.id].x + 8); t2.setAttribute('y', pos[n.id].y + 32); t2.setAttribute('class', 'sub');
        t2.textContent = fmt(n.rate, 2) + '/s · err ' + pct(n.err) + (n.breaker ? ' · breaker ' + n.breaker : '');
        g.append(r, t1, t2);
        svg.appendChild(g);
      }));
      $('deps').replaceChildren(svg);
    }

    function traceCell(id) {
      const td = el('td', 'trace');
      const url = traceURL(id);
      if (url) {
        const a = el('a', 'trace-link', id);
        a.setAttribute('href', url);
        a.setAttribute('target', '_blank');
        a.setAttribute('rel', 'noopener noreferrer');
        a.addEventListener('click', (ev) => ev.stopPropagation());
        td.appendChild(a);
      } else {
        td.textContent = id;
      }
      return td;
    }

    function renderRequests() {
      const f = filters();
      const shown = TG.requests.filter((r) => matches(r, f)).slice(0, 300);
      $('req-count').textContent = shown.length + ' shown of ' + TG.requests.length;
      fill($('requests').tBodies[0], shown.map((r) => {
        const tr = el('tr', 'req');
        tr.dataset.key = keyOf(r);
        if (TG.selected && keyOf(TG.selected) === tr.dataset.key) tr.classList.add('selected');
        cells(tr, [r.time.slice(11, 23), r.method, { text: r.path, cls: 'path' }, r.route,
          { text: r.status, cls: r.status >= 500 ? 'bad' : r.status >= 400 ? 'warn' : '' }, num(r.duration_ms, 1),
          num(r.attempts, 0), r.correlation_id]);
        tr.appendChild(traceCell(r.trace_id));
        tr.appendChild(el('td', '', r.session_id));
        tr.addEventListener('click', () => showDetail(r));
        return tr;
      }));
    }

    /// The request's fields and its timeline: connection accepted, head complete, route chosen,
    /// each attempt (connect, first byte, last byte) and the mirror outcome, on one time axis.
    function showDetail(r) {
      TG.selected = r;
      const dl = $('detail-fields');
      dl.replaceChildren();
      const add = (k, v) => { dl.append(el('dt', '', k)); const dd = el('dd', '', v); dd.dataset.field = k; dl.append(dd); return dd; };
      for (const k of ['time', 'method', 'path', 'route', 'status', 'duration_ms', 'attempts', 'correlation_id', 'session_id',
        'client_address', 'upstream', 'error', 'fault', 'fault_delay_ms']) if (r[k] !== undefined && r[k] !== '') add(k, r[k]);
      const tdd = add('trace_id', '');
      tdd.replaceChildren(...traceCell(r.trace_id).childNodes);
      const t = r.timeline || {};
      const events = [];
      if (t.connection_age_ms !== undefined) events.push({ name: 'connection accepted', note: fmt(t.connection_age_ms, 3) + ' ms before', at: 0, point: true });
      events.push({ name: 'headers read', at: t.head_complete_ms || 0, point: true });
      if (t.route_chosen_ms !== undefined) events.push({ name: 'route chosen', at: t.route_chosen_ms, point: true });
      // An injected delay holds the request between routing and its first attempt: show the hold.
      if (r.fault_delay_ms) events.push({ name: 'fault delay (injected)', at: t.route_chosen_ms || 0, end: (t.route_chosen_ms || 0) + r.fault_delay_ms, fail: true });
      (r.attempt_log || []).forEach((a, i) => {
        const n = 'attempt ' + (i + 1) + ' ' + a.upstream;
        events.push({ name: n, at: a.start_ms, end: a.end_ms, fail: a.outcome !== 'response' || a.status >= 500,
          note: a.outcome === 'response' ? String(a.status) : a.outcome });
        if (a.connect_ms !== undefined) events.push({ name: '  connect', at: a.start_ms, end: a.connect_ms });
        else if (a.reused_connection) events.push({ name: '  connect (reused)', at: a.start_ms, point: true });
        if (a.response_head_ms !== undefined) events.push({ name: '  first byte', at: a.start_ms, end: a.response_head_ms });
        events.push({ name: '  last byte', at: a.end_ms, point: true });
      });
      events.push({ name: 'response complete', at: r.duration_ms, point: true });
      if (t.mirror && t.mirror !== 'none') events.push({ name: 'mirror: ' + t.mirror, at: r.duration_ms, point: true });
      const span = Math.max(0.001, r.duration_ms, ...events.map((e) => e.end || e.at));
      $('timeline').replaceChildren(...events.map((e) => {
        const row = el('div', 'tl-row');
        row.dataset.event = e.name.trim();
        const track = el('div', 'tl-track');
        const bar = el('div', 'tl-bar' + (e.point ? ' point' : '') + (e.fail ? ' fail' : ''));
        bar.style.left = (100 * e.at / span).toFixed(2) + '%';
        if (!e.point) bar.style.width = (100 * Math.max(0, (e.end - e.at)) / span).toFixed(2) + '%';
        track.append(bar);
        const ms = e.point ? fmt(e.at, 3) : fmt(e.end - e.at, 3);
        row.append(el('div', '', e.name + (e.note ? ' · ' + e.note : '')), track, el('div', 'tl-ms', ms + ' ms'));
        return row;
      }));
      $('detail').hidden = false;
      renderRequests();
    }

    """#
}
