// rusket-beam report: draws the page from the JSON block #report-data. Plain JavaScript and
// inline SVG, no library and nothing fetched: the page works from disk, off line.
(function () {
  'use strict';
  var started = performance.now();
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var root = document.getElementById('report');
  var items = data.items;
  var SVG = 'http://www.w3.org/2000/svg';
  var TABLE_ROWS = 25;
  var GRAPH_RULES = 20;

  // ---- helpers --------------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    setAttrs(e, attrs);
    append(e, children);
    return e;
  }
  // SVG is built as text and parsed once per plot (innerHTML): much faster than a DOM call per
  // point with hundreds of groups. svg() makes a node that appendChild()s and serialises itself.
  function svg(tag, attrs, children) {
    var node = { tag: tag, attrs: attrs || {}, children: [],
      appendChild: function (c) { this.children.push(c); return c; } };
    if (children) (Array.isArray(children) ? children : [children]).forEach(function (c) { node.children.push(c); });
    return node;
  }
  function esc(v) {
    return String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  function markup(n) {
    var out = '<' + n.tag;
    Object.keys(n.attrs).forEach(function (k) {
      if (k !== 'text' && n.attrs[k] !== null && n.attrs[k] !== undefined) out += ' ' + k + '="' + esc(n.attrs[k]) + '"';
    });
    if (n.tag === 'svg') out += ' xmlns="' + SVG + '"';
    out += '>';
    if (n.attrs.text !== undefined) out += esc(n.attrs.text);
    n.children.forEach(function (c) { out += markup(c); });
    return out + '</' + n.tag + '>';
  }
  function setAttrs(e, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'on') Object.keys(attrs.on).forEach(function (ev) { e.addEventListener(ev, attrs.on[ev]); });
      else if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    });
  }
  function append(e, children) {
    if (children === null || children === undefined) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
  }
  function int(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'); }
  function dec(n, d) { return n === null || n === undefined ? '–' : Number(n).toFixed(d); }
  function side(ids) { return ids.map(function (i) { return items[i]; }).join(' + '); }
  function ruleText(r) { return side(r[0]) + ' → ' + side(r[1]); }
  function ruleTip(r) {
    return ruleText(r) + '\nsupport ' + dec(r[2], 4) + '  confidence ' + dec(r[3], 3) + '  lift ' + dec(r[4], 2);
  }

  // Viridis, five stops: low lift dark blue, high lift yellow.
  var STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  function colour(t) {
    if (!(t >= 0)) t = 0;
    if (t > 1) t = 1;
    var x = t * (STOPS.length - 1), i = Math.min(Math.floor(x), STOPS.length - 2), f = x - i;
    var c = STOPS[i].map(function (v, k) { return Math.round(v + f * (STOPS[i + 1][k] - v)); });
    return 'rgb(' + c.join(',') + ')';
  }
  function scale(lo, hi) {
    return function (v) { return hi > lo ? colour((v - lo) / (hi - lo)) : colour(0.5); };
  }
  function extent(values) {
    var lo = Infinity, hi = -Infinity;
    values.forEach(function (v) { if (isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; } });
    return lo <= hi ? [lo, hi] : [0, 1];
  }
  function ticks(lo, hi, n) {
    var span = hi - lo || 1, step = Math.pow(10, Math.floor(Math.log10(span / n)));
    [1, 2, 5, 10].some(function (m) { if (span / (step * m) <= n) { step *= m; return true; } return false; });
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toFixed(10));
    return out;
  }

  var tip = el('div', { id: 'tip', role: 'tooltip' });
  document.body.appendChild(tip);
  // One listener for every plot: an element with data-tip shows it beside the mouse.
  function hover(node, text) { node.attrs['data-tip'] = text; }
  document.addEventListener('mousemove', function (ev) {
    var t = ev.target && ev.target.closest ? ev.target.closest('[data-tip]') : null;
    if (!t) { tip.style.display = 'none'; return; }
    tip.textContent = t.getAttribute('data-tip');
    tip.style.display = 'block';
    tip.style.left = (ev.pageX + 12) + 'px';
    tip.style.top = (ev.pageY + 12) + 'px';
  });

  // A table whose columns sort on a click on their header; shows at most `limit` rows.
  // columns: {label, value(row) for sorting, cell(row) for display (text or node), num}
  function sortableTable(cls, columns, rows, opts) {
    opts = opts || {};
    var state = { col: -1, desc: false, filter: null };
    var head = el('tr');
    var body = el('tbody');
    var note = el('p', { 'class': 'note' });
    var table = el('table', { 'class': 'sortable ' + cls }, [el('thead', null, head), body]);
    columns.forEach(function (c, j) {
      var th = el('th', { 'class': c.num ? 'num' : null, scope: 'col', title: 'sort by ' + c.label,
        on: { click: function () { sortBy(j); } } }, c.label);
      head.appendChild(th);
    });
    function sortBy(j) {
      state.desc = state.col === j ? !state.desc : !!columns[j].num;
      state.col = j;
      Array.prototype.forEach.call(head.children, function (th, k) {
        th.setAttribute('aria-sort', k === j ? (state.desc ? 'descending' : 'ascending') : 'none');
      });
      render();
    }
    function render() {
      var shown = state.filter ? rows.filter(state.filter) : rows.slice();
      if (state.col >= 0) {
        var c = columns[state.col], sign = state.desc ? -1 : 1;
        shown = shown.map(function (r, i) { return [c.value(r), i, r]; });
        shown.sort(function (a, b) {
          var x = a[0], y = b[0];
          if (x === y) return a[1] - b[1];
          if (x === null || x === undefined) return 1;
          if (y === null || y === undefined) return -1;
          return (x < y ? -1 : 1) * sign;
        });
        shown = shown.map(function (t) { return t[2]; });
      }
      var total = shown.length, limit = opts.limit || total;
      body.textContent = '';
      shown.slice(0, limit).forEach(function (r) {
        var tr = el('tr');
        columns.forEach(function (c) { tr.appendChild(el('td', { 'class': c.num ? 'num' : null }, c.cell(r))); });
        body.appendChild(tr);
      });
      note.textContent = opts.note ? opts.note(Math.min(limit, total), total) : '';
    }
    render();
    return {
      node: el('div', { 'class': 'table-wrap' }, [table, note]),
      filter: function (f) { state.filter = f; render(); }
    };
  }

  function figure(cls, caption, plot) {
    var box = el('div', { 'class': 'plot-box' });
    box.innerHTML = markup(plot);
    return el('figure', { 'class': cls }, [el('figcaption', null, caption), box]);
  }

  // ---- plots ----------------------------------------------------------------------------------
  var W = 380, H = 250, M = { l: 46, r: 12, t: 10, b: 36 };

  function axes(g, xs, ys, xLabel, yLabel, xFmt, yFmt) {
    var x0 = M.l, x1 = W - M.r, y0 = H - M.b, y1 = M.t;
    g.appendChild(svg('line', { x1: x0, y1: y0, x2: x1, y2: y0, 'class': 'axis' }));
    g.appendChild(svg('line', { x1: x0, y1: y0, x2: x0, y2: y1, 'class': 'axis' }));
    xs.ticks.forEach(function (v) {
      var x = xs.map(v);
      g.appendChild(svg('line', { x1: x, y1: y0, x2: x, y2: y0 + 4, 'class': 'axis' }));
      g.appendChild(svg('text', { x: x, y: y0 + 15, 'class': 'tick', 'text-anchor': 'middle', text: xFmt(v) }));
    });
    ys.ticks.forEach(function (v) {
      var y = ys.map(v);
      g.appendChild(svg('line', { x1: x0 - 4, y1: y, x2: x1, y2: y, 'class': 'grid' }));
      g.appendChild(svg('text', { x: x0 - 6, y: y + 3, 'class': 'tick', 'text-anchor': 'end', text: yFmt(v) }));
    });
    g.appendChild(svg('text', { x: (x0 + x1) / 2, y: H - 4, 'class': 'label', 'text-anchor': 'middle', text: xLabel }));
    g.appendChild(svg('text', { x: 12, y: (y0 + y1) / 2, 'class': 'label', 'text-anchor': 'middle',
      transform: 'rotate(-90 12 ' + (y0 + y1) / 2 + ')', text: yLabel }));
  }
  function linear(lo, hi, a, b, n) {
    if (hi <= lo) { hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 0.1); }
    var t = ticks(lo, hi, n);
    lo = Math.min(lo, t[0]); hi = Math.max(hi, t[t.length - 1]);
    return { ticks: t, map: function (v) { return a + (v - lo) / (hi - lo) * (b - a); } };
  }

  function scatter(g) {
    var s = svg('svg', { 'class': 'plot scatter-plot', viewBox: '0 0 ' + (W + 56) + ' ' + H, role: 'img',
      'aria-label': 'support and confidence of the rules of ' + label(g) });
    if (!g.topRules.length) {
      s.appendChild(svg('text', { x: W / 2, y: H / 2, 'class': 'empty', 'text-anchor': 'middle', text: 'no rules' }));
      return s;
    }
    var sx = extent(g.topRules.map(function (r) { return r[2]; }));
    var sy = extent(g.topRules.map(function (r) { return r[3]; }));
    var lifts = extent(g.topRules.map(function (r) { return r[4]; }));
    var xs = linear(Math.max(0, sx[0] * 0.9), sx[1] * 1.05, M.l, W - M.r, 5);
    var ys = linear(Math.max(0, sy[0] - 0.05), Math.min(1, sy[1] + 0.02), H - M.b, M.t, 5);
    axes(s, xs, ys, 'support', 'confidence', function (v) { return dec(v, v < 0.01 ? 3 : 2); }, function (v) { return dec(v, 2); });
    var fill = scale(lifts[0], lifts[1]);
    // weakest first, so the strongest are drawn on top
    for (var i = g.topRules.length - 1; i >= 0; i--) {
      var r = g.topRules[i];
      var c = svg('circle', { cx: xs.map(r[2]).toFixed(1), cy: ys.map(r[3]).toFixed(1), r: 4,
        fill: fill(r[4]), 'class': 'point' });
      hover(c, ruleTip(r));
      s.appendChild(c);
    }
    legend(s, W + 8, M.t, lifts);
    return s;
  }

  var gradients = 0;
  function legend(s, x, y, lifts) {
    var id = 'lift-gradient-' + (gradients++);
    var grad = svg('linearGradient', { id: id, x1: 0, y1: 1, x2: 0, y2: 0 });
    STOPS.forEach(function (c, i) {
      grad.appendChild(svg('stop', { offset: (i / (STOPS.length - 1) * 100) + '%', 'stop-color': 'rgb(' + c.join(',') + ')' }));
    });
    s.appendChild(svg('defs', null, grad));
    var h = H - M.t - M.b;
    s.appendChild(svg('text', { x: x, y: y + 4, 'class': 'tick', text: 'lift' }));
    s.appendChild(svg('rect', { x: x, y: y + 10, width: 10, height: h - 10, fill: 'url(#' + id + ')' }));
    s.appendChild(svg('text', { x: x + 14, y: y + 18, 'class': 'tick', text: dec(lifts[1], 2) }));
    s.appendChild(svg('text', { x: x + 14, y: y + h, 'class': 'tick', text: dec(lifts[0], 2) }));
  }

  function bars(cls, labelText, entries, fmt) {
    // entries: [{label, value, tip}]; horizontal bars
    var rowH = 16, lw = 130, width = W;
    var h = Math.max(entries.length, 1) * rowH + 8;
    var s = svg('svg', { 'class': 'plot ' + cls, viewBox: '0 0 ' + width + ' ' + h, role: 'img', 'aria-label': labelText });
    if (!entries.length) {
      s.appendChild(svg('text', { x: width / 2, y: 14, 'class': 'empty', 'text-anchor': 'middle', text: 'none' }));
      return s;
    }
    var max = Math.max.apply(null, entries.map(function (e) { return e.value; })) || 1;
    entries.forEach(function (e, i) {
      var y = 4 + i * rowH, w = (width - lw - 70) * e.value / max;
      s.appendChild(svg('text', { x: lw - 6, y: y + 11, 'class': 'tick', 'text-anchor': 'end', text: e.label }));
      var b = svg('rect', { x: lw, y: y + 2, width: Math.max(w, 1).toFixed(1), height: rowH - 4, 'class': 'bar' });
      hover(b, e.tip);
      s.appendChild(b);
      s.appendChild(svg('text', { x: lw + w + 4, y: y + 11, 'class': 'tick', text: fmt(e.value) }));
    });
    return s;
  }

  function lengths(g) {
    var entries = [];
    g.lengths.forEach(function (n, len) {
      if (len > 0 || n > 0) entries.push({ label: 'length ' + len, value: n, tip: int(n) + ' itemsets of ' + len + ' items' });
    });
    return bars('lengths-plot', 'itemsets by length in ' + label(g), entries, int);
  }

  function topItems(g) {
    var n = g.transactions;
    var entries = g.topItems.map(function (t) {
      var sup = n ? t[1] / n : null;
      return { label: items[t[0]], value: sup === null ? t[1] : sup,
        tip: items[t[0]] + ': in ' + int(t[1]) + ' transactions' + (sup === null ? '' : ' (support ' + dec(sup, 4) + ')') };
    });
    return bars('items-plot', 'items of highest support in ' + label(g), entries, function (v) { return n ? dec(v, 3) : int(v); });
  }

  function graph(g) {
    var rules = g.topRules.slice(0, GRAPH_RULES);
    var gw = W + 56, gh = 300;
    var s = svg('svg', { 'class': 'plot graph-plot', viewBox: '0 0 ' + gw + ' ' + gh, role: 'img',
      'aria-label': 'graph of the strongest rules of ' + label(g) });
    if (!rules.length) {
      s.appendChild(svg('text', { x: gw / 2, y: gh / 2, 'class': 'empty', 'text-anchor': 'middle', text: 'no rules' }));
      return s;
    }
    var nodes = [], at = {};
    rules.forEach(function (r) {
      r[0].concat(r[1]).forEach(function (i) { if (!(i in at)) { at[i] = nodes.length; nodes.push(i); } });
    });
    // the items on an ellipse, in the order the strongest rules name them
    var cx = gw / 2, cy = gh / 2, rx = gw / 2 - 90, ry = gh / 2 - 20, pos = nodes.map(function (_, k) {
      var a = 2 * Math.PI * k / nodes.length - Math.PI / 2;
      return [cx + rx * Math.cos(a), cy + ry * Math.sin(a), a];
    });
    var lifts = extent(rules.map(function (r) { return r[4]; }));
    var stroke = scale(lifts[0], lifts[1]);
    var mid = 'arrow-' + (gradients++);
    // arrow heads in the plot's units (not scaled by the edge's width), tips at the node's rim
    s.appendChild(svg('defs', null, svg('marker', { id: mid, viewBox: '0 0 10 10', refX: 18, refY: 5,
      markerUnits: 'userSpaceOnUse', markerWidth: 8, markerHeight: 8, orient: 'auto' }, svg('path', { d: 'M0,0L10,5L0,10z', 'class': 'arrow' }))));
    for (var k = rules.length - 1; k >= 0; k--) {
      var r = rules[k];
      r[0].forEach(function (a) {
        r[1].forEach(function (c) {
          var p = pos[at[a]], q = pos[at[c]];
          var line = svg('line', { x1: p[0].toFixed(1), y1: p[1].toFixed(1), x2: q[0].toFixed(1), y2: q[1].toFixed(1),
            stroke: stroke(r[4]), 'stroke-width': (1 + 3 * r[3]).toFixed(2), 'class': 'edge', 'marker-end': 'url(#' + mid + ')' });
          hover(line, ruleTip(r));
          s.appendChild(line);
        });
      });
    }
    nodes.forEach(function (i, k) {
      var p = pos[k], right = Math.cos(p[2]) >= 0;
      var node = svg('circle', { cx: p[0].toFixed(1), cy: p[1].toFixed(1), r: 6, 'class': 'node' });
      hover(node, items[i]);
      s.appendChild(node);
      s.appendChild(svg('text', { x: (p[0] + (right ? 9 : -9)).toFixed(1), y: (p[1] + 3).toFixed(1),
        'text-anchor': right ? 'start' : 'end', 'class': 'node-label', text: items[i] }));
    });
    return s;
  }

  // ---- sections -------------------------------------------------------------------------------
  function label(g) {
    return data.groupCol === null ? 'all transactions' : data.groupCol + ' ' + g.key;
  }
  function groupId(i) { return 'group-' + i; }

  function summary() {
    var run = data.run, t = data.totals, dl = el('dl', { 'class': 'summary' });
    function row(k, v) { dl.appendChild(el('dt', null, k)); dl.appendChild(el('dd', null, v)); }
    var names = {
      command: 'command', runner: 'runner', input: 'input', inputFormat: 'input format', groupCol: 'group column',
      txnCol: 'transaction column', itemCol: 'item column', numItems: 'items (ids)', shards: 'shards',
      transactions: 'transactions (N)', groups: 'groups', minSupport: 'min support', minCount: 'min count',
      method: 'method', target: 'target', topK: 'top k', minLen: 'min length', maxLen: 'max length',
      metric: 'rule metric', minThreshold: 'min threshold', itemsets: 'itemsets', rules: 'rules',
      millis: 'time', finished: 'finished'
    };
    Object.keys(run).forEach(function (k) {
      var v = run[k];
      if (k === 'millis') v = dec(v / 1000, 1) + ' s';
      else if (typeof v === 'number' && Number.isInteger(v) && k !== 'minSupport' && k !== 'minThreshold') v = int(v);
      row(names[k] || k, String(v));
    });
    var notes = [];
    if (!Object.keys(run).length) {
      notes.push('The run is not recorded here (no run-info.json: grouped and stream write it with --report).');
    }
    var src = data.source;
    notes.push('Results: ' + src.dir + ' (itemsets: ' + (src.itemsets || 'none') + '; rules: ' + (src.rules || 'none') + '): '
      + (data.groupCol === null ? '' : int(t.groups) + ' groups, ') + int(t.transactions) + ' transactions, '
      + int(t.itemsets) + ' itemsets, ' + int(t.rules) + ' rules.');
    if (typeof run.groups === 'number' && run.groups > t.groups) {
      notes.push(int(run.groups - t.groups) + ' groups have no itemset and are not shown.');
    }
    notes.push('Shown per group: the ' + int(data.limits.topRules) + ' strongest rules (by lift, then confidence, then support) and the '
      + int(data.limits.topItems) + ' items of highest support; the counts of the rest are given.');
    return el('section', { id: 'summary' }, [el('h2', null, 'Run'), dl].concat(notes.map(function (n) {
      return el('p', { 'class': 'note' }, n);
    })));
  }

  function groupsTable() {
    var cols = [
      { label: data.groupCol || 'group', value: function (g) { return g.key; },
        cell: function (g) { return el('a', { href: '#' + groupId(g.index) }, g.key); } },
      { label: 'transactions', num: true, value: function (g) { return g.transactions; }, cell: function (g) { return int(g.transactions); } },
      { label: 'itemsets', num: true, value: function (g) { return g.itemsets; }, cell: function (g) { return int(g.itemsets); } },
      { label: 'rules', num: true, value: function (g) { return g.rules; }, cell: function (g) { return int(g.rules); } },
      { label: 'strongest rule', value: function (g) { return g.rules_[0] ? ruleText(g.rules_[0]) : null; },
        cell: function (g) { return g.rules_[0] ? ruleText(g.rules_[0]) : '–'; } },
      { label: 'its lift', num: true, value: function (g) { return g.rules_[0] ? g.rules_[0][4] : null; },
        cell: function (g) { return g.rules_[0] ? dec(g.rules_[0][4], 2) : '–'; } },
      { label: 'its confidence', num: true, value: function (g) { return g.rules_[0] ? g.rules_[0][3] : null; },
        cell: function (g) { return g.rules_[0] ? dec(g.rules_[0][3], 3) : '–'; } }
    ];
    var rows = data.groups.map(function (g, i) { return { index: i, key: g.key, transactions: g.transactions,
      itemsets: g.itemsets, rules: g.rules, rules_: g.topRules }; });
    var t = sortableTable('groups-table', cols, rows, {});
    t.node.querySelector('table').id = 'groups-table';
    return el('section', { id: 'groups' }, [el('h2', null, 'Groups (' + int(data.groups.length) + ')'),
      el('p', { 'class': 'hint' }, 'Click a column header to sort; click a group to see it.'), t.node]);
  }

  function rulesTable(g) {
    var cols = [
      { label: 'antecedents', value: function (r) { return side(r[0]); }, cell: function (r) { return side(r[0]); } },
      { label: 'consequents', value: function (r) { return side(r[1]); }, cell: function (r) { return side(r[1]); } },
      { label: 'support', num: true, value: function (r) { return r[2]; }, cell: function (r) { return dec(r[2], 4); } },
      { label: 'confidence', num: true, value: function (r) { return r[3]; }, cell: function (r) { return dec(r[3], 3); } },
      { label: 'lift', num: true, value: function (r) { return r[4]; }, cell: function (r) { return dec(r[4], 2); } }
    ];
    var t = sortableTable('rules-table', cols, g.topRules, {
      limit: TABLE_ROWS,
      note: function (shown, matching) {
        var s = 'Showing ' + int(shown) + ' of ' + int(matching) + (matching === g.topRules.length ? '' : ' matching') + ' rules';
        if (g.rulesNotShown > 0) s += '; ' + int(g.rulesNotShown) + ' weaker rules of this group are not in the report';
        return s + '.';
      }
    });
    var input = el('input', { type: 'search', 'class': 'filter', placeholder: 'filter by item', 'aria-label': 'filter the rules by item' });
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      t.filter(q ? function (r) {
        return r[0].concat(r[1]).some(function (i) { return items[i].toLowerCase().indexOf(q) >= 0; });
      } : null);
    });
    return el('div', { 'class': 'rules' }, [el('h3', null, 'Strongest rules'), input, t.node]);
  }

  function groupSection(g, i) {
    var stats = (g.transactions === null ? '' : int(g.transactions) + ' transactions, ') + int(g.itemsets) + ' itemsets, ' + int(g.rules) + ' rules';
    var shownRules = g.topRules.length + (g.rulesNotShown ? ' strongest of ' + int(g.topRules.length + g.rulesNotShown) : '');
    var shownItems = g.topItems.length + (g.itemsNotShown ? ' of ' + int(g.topItems.length + g.itemsNotShown) : '');
    return el('section', { 'class': 'group', id: groupId(i), 'data-group': g.key }, [
      el('h2', null, data.groupCol === null ? 'All transactions' : data.groupCol + ' ' + g.key),
      el('p', { 'class': 'stats' }, stats),
      el('div', { 'class': 'plots' }, [
        figure('scatter', 'Rules: support and confidence, coloured by lift (' + shownRules + ')', scatter(g)),
        figure('graph', 'Graph of the ' + Math.min(GRAPH_RULES, g.topRules.length) + ' strongest rules (item → item)', graph(g)),
        figure('items', 'Items of highest support (' + shownItems + ')', topItems(g)),
        figure('lengths', 'Itemsets by length', lengths(g))
      ]),
      rulesTable(g)
    ]);
  }

  var title = data.groupCol === null ? 'rusket-beam report: frequent itemsets and rules'
    : 'rusket-beam report: itemsets and rules per ' + data.groupCol;
  root.appendChild(el('header', null, [el('h1', null, title), el('p', { 'class': 'sub' }, data.source.dir)]));
  root.appendChild(summary());
  if (data.groupCol !== null) root.appendChild(groupsTable());
  data.groups.forEach(function (g, i) { root.appendChild(groupSection(g, i)); });
  root.setAttribute('data-ready', 'true');
  root.setAttribute('data-render-ms', String(Math.round(performance.now() - started)));
})();
