// Paths between two chosen nodes: the shortest chains of relations, as `kg path` finds
// them (one step per relation; a step no sentence supports costs a little more), with the
// sentence behind each hop.
var pathEnds = { from: null, to: null }, pathEdges = [];
var MAX_CHAINS = 5;

function setPathEnd(which, id) {
  pathEnds[which] = id;
  showPaths();
}

function stepCost(u, v) {
  var ev = adj[u].some(function (p) { return p[0] === v && data.edges[p[1]].ev.length > 0; });
  return ev ? 1 : 1.001;
}

// Dijkstra over the whole graph (hidden nodes too, as on the command line); every
// predecessor on a shortest route is kept so that all the shortest chains can be listed.
function shortestChains(a, b) {
  var dist = {}, pred = {}, done = {}, heap = [[0, a]];
  dist[a] = 0; pred[a] = [];
  while (heap.length) {
    var top = heapPop(heap), d = top[0], u = top[1];
    if (done[u]) continue;
    done[u] = true;
    if (u === b) break;
    var seen = {};
    adj[u].forEach(function (p) {
      var v = p[0];
      if (seen[v] || v === u) return;
      seen[v] = true;
      var nd = d + stepCost(u, v);
      if (dist[v] === undefined || nd < dist[v] - 1e-9) { dist[v] = nd; pred[v] = [u]; heapPush(heap, [nd, v]); }
      else if (Math.abs(nd - dist[v]) <= 1e-9 && pred[v].indexOf(u) < 0) pred[v].push(u);
    });
  }
  if (dist[b] === undefined) return [];
  var chains = [];
  (function walk(v, tail) {
    if (chains.length >= MAX_CHAINS) return;
    if (v === a) { chains.push([a].concat(tail)); return; }
    pred[v].slice().sort(function (x, y) { return x - y; }).forEach(function (u) { walk(u, [v].concat(tail)); });
  })(b, []);
  return chains;
}

function heapPush(h, x) {
  h.push(x);
  for (var i = h.length - 1; i > 0;) {
    var p = (i - 1) >> 1;
    if (less(h[p], h[i])) break;
    var t = h[p]; h[p] = h[i]; h[i] = t; i = p;
  }
}
function heapPop(h) {
  var top = h[0], last = h.pop();
  if (h.length) {
    h[0] = last;
    for (var i = 0; ;) {
      var l = 2 * i + 1, r = l + 1, m = i;
      if (l < h.length && less(h[l], h[m])) m = l;
      if (r < h.length && less(h[r], h[m])) m = r;
      if (m === i) break;
      var t = h[m]; h[m] = h[i]; h[i] = t; i = m;
    }
  }
  return top;
}
function less(x, y) { return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]); }

// the relation shown for a hop: one with a sentence first, then by name (as `kg path`)
function hopOf(u, v) {
  var facts = adj[u].filter(function (p) { return p[0] === v; }).map(function (p) { return data.edges[p[1]]; });
  facts.sort(function (x, y) { return (!x.ev.length - !y.ev.length) || (x.label < y.label ? -1 : x.label > y.label ? 1 : 0); });
  var e = facts[0];
  return { edge: e, index: data.edges.indexOf(e), forward: e.from === u, sentence: e.ev.length ? e.ev[0] : null };
}

function showPaths() {
  var box = el("section", null, "paths");
  var a = pathEnds.from, b = pathEnds.to;
  box.appendChild(el("h3", "Path"));
  box.appendChild(el("p", "From: " + (a === null ? "(choose a node, then “Path from here”)" : byId[a].names[0]), "path-end"));
  box.appendChild(el("p", "To: " + (b === null ? "(choose a node, then “Path to here”)" : byId[b].names[0]), "path-end"));
  panel.replaceChildren(box);
  if (a === null || b === null) return;
  var chains = a === b ? [] : shortestChains(a, b);
  markPath(chains);
  if (!chains.length) { box.appendChild(el("p", "No chain of relations links them.", "path-none")); return; }
  var hops = chains[0].length - 1;
  box.appendChild(el("p", chains.length + (chains.length === 1 ? " shortest chain" : " shortest chains") +
                     " of " + hops + " hop" + (hops === 1 ? "" : "s") + (chains.length >= MAX_CHAINS ? " (first " + MAX_CHAINS + ")" : ""), "path-count"));
  chains.forEach(function (chain, k) {
    var ol = el("ol", null, "chain");
    ol.dataset.chain = String(k);
    for (var i = 0; i + 1 < chain.length; i++) {
      var u = byId[chain[i]], v = byId[chain[i + 1]], h = hopOf(u.id, v.id), li = el("li", null, "hop");
      li.appendChild(el("span", u.names[0], "hop-source"));
      li.appendChild(el("span", h.forward ? " —" + h.edge.label + "→ " : " ←" + h.edge.label + "— ", "rel"));
      li.appendChild(el("span", v.names[0], "hop-target"));
      if (h.sentence !== null) li.appendChild(evidence(h.sentence, u.names.concat(v.names), spanOf(h.edge, h.sentence)));
      else li.appendChild(el("div", "(no sentence recorded)", "hint"));
      ol.appendChild(li);
    }
    box.appendChild(ol);
  });
}

// the nodes of every chain shown (whatever the filters) and selected, the first chain's edges bold
function markPath(chains) {
  if (pathEdges.length) edges.update(pathEdges.map(function (i) { return { id: i, width: 1 }; }));
  pathEdges = [];
  if (!chains.length) return;
  var ids = {};
  chains.forEach(function (c) { c.forEach(function (v) { ids[v] = true; }); });
  Object.keys(ids).forEach(function (v) { delete state.userHidden[v]; state.forced[v] = true; });
  applyFilters();
  var c = chains[0];
  for (var i = 0; i + 1 < c.length; i++) pathEdges.push(hopOf(c[i], c[i + 1]).index);
  edges.update(pathEdges.map(function (i) { return { id: i, width: 4 }; }));
  setSelection(Object.keys(ids).map(Number));
}
