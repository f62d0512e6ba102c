// FraudKG explorer: the graph, what is visible, selection. The other scripts of the page
// (panel, search, filters, paths, map, timeline, export) are joined after this one inside
// one function, and share its names. Every piece of text from the graph is set with
// textContent: article text is hostile input and must never become markup.
"use strict";
var data = JSON.parse(document.getElementById("kg-data").textContent);
var byId = {};
data.nodes.forEach(function (n) { byId[n.id] = n; });
var typeInfo = {};
data.types.forEach(function (t) { typeInfo[t.type] = t; });
var state = {
  selected: null, physics: false, typeOn: {}, crimeOn: {}, region: null, article: null,
  dateFrom: null, dateTo: null, moneyMin: null, moneyMax: null,
  hidden: {},        // node id → hidden now (by filters or by the user)
  userHidden: {},    // node id → hidden with the Hide button
  forced: {},        // node id → shown by Expand whatever the filters say
  pinned: {},
};
data.types.forEach(function (t) { state.typeOn[t.type] = true; });
var listeners = [];            // called with no argument after the visible set changes
function onVisibleChange(f) { listeners.push(f); }
var selectListeners = [];      // called with the selected id (or null)
function onSelect(f) { selectListeners.push(f); }

// adjacency: node id → [[other id, edge index], …]
var adj = {};
data.nodes.forEach(function (n) { adj[n.id] = []; });
data.edges.forEach(function (e, i) { adj[e.from].push([e.to, i]); adj[e.to].push([e.from, i]); });

function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function button(text, onclick, cls) {
  var b = el("button", text, cls);
  b.type = "button";
  b.addEventListener("click", onclick);
  return b;
}

function yuan(x) {
  if (x === null || x === undefined) return null;
  return (Math.round(x * 100) / 100).toLocaleString("en-US", { maximumFractionDigits: 2 }) + " 元";
}

function typeName(n) { var t = typeInfo[n.kind]; return t ? t.name : n.kind; }

// a string: vis-network shows a string title with innerText (as text), and strings cost
// far less than 20 k elements made up front
function tooltip(n) {
  return n.names.join(" / ") + "\n" + typeName(n) + (n.crime ? "\n" + n.crime : "");
}

var BASE_FONT = 14;
// Large graphs: vis-network re-processes every node on any DataSet update and redraws
// every node on a selection, each far slower than a click should be; there the selection,
// its neighbourhood and the names of the largest nodes are drawn on a canvas of our own
// above the network, and vis-network's own selection is off.
var LARGE = 200;
var large = data.nodes.length > LARGE;
// colour, shape and font come from the type's group and the defaults: options given node
// by node are merged node by node, which is most of vis-network's start at 20 k nodes
var nodes = new vis.DataSet(data.nodes.map(function (n) {
  return { id: n.id, label: n.top ? "" : n.label, x: n.x, y: n.y, size: n.lone ? Math.min(n.size, 10) : n.size,
           group: n.kind, title: tooltip(n) };
}));
var edges = new vis.DataSet(data.edges.map(function (e, i) {
  return { id: i, from: e.from, to: e.to, label: e.label };
}));
var options = data.options || {};
options.physics = Object.assign({}, options.physics || {}, { enabled: false });
options.interaction = Object.assign({}, options.interaction || {}, {
  hover: !large, tooltipDelay: 150, multiselect: true, selectable: !large,
  hideEdgesOnDrag: data.nodes.length > 1000, hideEdgesOnZoom: data.nodes.length > 5000 });
options.layout = { improvedLayout: false };
options.nodes = Object.assign({}, options.nodes || {}, { font: { size: BASE_FONT, strokeWidth: 3, strokeColor: "#fff" } });
options.groups = {};
data.types.forEach(function (t) { options.groups[t.type] = { color: t.color, shape: t.shape }; });
options.edges = Object.assign({}, options.edges || {}, { smooth: false, arrows: "to",
  color: { color: "#9a9a9a", highlight: "#333", inherit: false }, font: { size: 10, color: "#555", strokeWidth: 2 } });
var graphBox = document.getElementById("graph");
var network = new vis.Network(graphBox, { nodes: nodes, edges: edges }, options);
var overlay = el("canvas", null, "overlay");
graphBox.appendChild(overlay);

// ---------------------------------------------------------------- first view
// Fit to the connected nodes (the unconnected ones wait, grouped, to their right); the
// names of the largest nodes are drawn on the overlay at a size readable at any zoom
// (vis-network skips labels smaller than a few pixels on screen).
var topIds = data.nodes.filter(function (n) { return n.top; })
  .sort(function (a, b) { return b.size - a.size || a.id - b.id; }).map(function (n) { return n.id; });
var linkedIds = data.nodes.filter(function (n) { return !n.lone; }).map(function (n) { return n.id; });
var LABEL_PX = 13;
function fitLinked() { network.fit({ nodes: linkedIds.length ? linkedIds : undefined, animation: false }); }

var rings = [];        // ids outlined on the overlay (a large graph's selection and neighbours)
var picked = [];       // a large graph's multi-selection (Ctrl-click)
var drawnLabels = [];  // what the overlay shows: [name, left, top, width, px]
function drawOverlay() {
  var w = graphBox.clientWidth, h = graphBox.clientHeight, ratio = window.devicePixelRatio || 1;
  if (overlay.width !== Math.round(w * ratio) || overlay.height !== Math.round(h * ratio)) {
    overlay.width = Math.round(w * ratio); overlay.height = Math.round(h * ratio);
    overlay.style.width = w + "px"; overlay.style.height = h + "px";
  }
  var ctx = overlay.getContext("2d"), scale = network.getScale();
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  var dim = state.selected !== null && !large, keep = {};
  if (dim) { keep[state.selected] = true; adj[state.selected].forEach(function (p) { keep[p[0]] = true; }); }
  var ids = topIds.concat(rings, picked), pos = network.getPositions(ids);
  ctx.lineWidth = 3;
  rings.concat(picked).forEach(function (id) {
    var p = pos[id]; if (!p || state.hidden[id]) return;
    var d = network.canvasToDOM(p), r = byId[id].size * scale + 5;
    ctx.strokeStyle = id === state.selected || picked.indexOf(id) >= 0 ? "#ffb000" : "#1f77b4";
    ctx.beginPath(); ctx.arc(d.x, d.y, r, 0, 2 * Math.PI); ctx.stroke();
  });
  drawnLabels = [];
  ctx.font = LABEL_PX + "px system-ui, 'Noto Sans CJK SC', sans-serif";
  ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.lineJoin = "round";
  var boxes = [];        // a name that would overlap a larger node's name is left out
  topIds.forEach(function (id) {
    var p = pos[id]; if (!p || state.hidden[id]) return;
    var n = byId[id], d = network.canvasToDOM(p), y = d.y + Math.max(4, n.size * scale) + 2;
    if (d.x < -100 || d.y < -50 || d.x > w + 100 || d.y > h + 50) return;
    var half = ctx.measureText(n.label).width / 2, box = [d.x - half, y, d.x + half, y + LABEL_PX + 2];
    if (boxes.some(function (b) { return b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]; })) return;
    boxes.push(box);
    ctx.globalAlpha = dim && !keep[id] ? 0.3 : 1;
    ctx.strokeStyle = "#fff"; ctx.lineWidth = 4; ctx.strokeText(n.label, d.x, y);
    ctx.fillStyle = "#222"; ctx.fillText(n.label, d.x, y);
    drawnLabels.push([n.names[0], box[0], box[1], box[2] - box[0], LABEL_PX]);
  });
  ctx.globalAlpha = 1;
}
network.on("afterDrawing", drawOverlay);
fitLinked();
// ---------------------------------------------------------------- visibility
function caseFilterOn() {
  if (state.dateFrom || state.dateTo || state.moneyMin !== null || state.moneyMax !== null) return true;
  return Object.keys(state.crimeOn).some(function (c) { return state.crimeOn[c] === false; });
}

// a case passes the filters on cases (crime type, date, money); skipDate for the timeline
function casePasses(n, skipDate) {
  if (n.crime !== null && state.crimeOn[n.crime] === false) return false;
  if (!skipDate && (state.dateFrom || state.dateTo)) {
    if (!n.date) return false;
    var d = padDate(n.date);
    if (state.dateFrom && d.hi < state.dateFrom) return false;
    if (state.dateTo && d.lo > state.dateTo) return false;
  }
  if (state.moneyMin !== null || state.moneyMax !== null) {
    if (n.lost === null || n.lost === undefined) return false;
    if (state.moneyMin !== null && n.lost < state.moneyMin) return false;
    if (state.moneyMax !== null && n.lost > state.moneyMax) return false;
  }
  return true;
}

// 2024 → 2024-01-01 … 2024-12-31; 2024-03 → the month; a day is itself
function padDate(s) {
  if (/^\d{4}$/.test(s)) return { lo: s + "-01-01", hi: s + "-12-31" };
  if (/^\d{4}-\d{2}$/.test(s)) return { lo: s + "-01", hi: s + "-31" };
  var d = s.slice(0, 10);
  return { lo: d, hi: d };
}

// the node passes the filters on every node: type, region, article
function nodePasses(n) {
  if (!state.typeOn[n.kind]) return false;
  if (state.region !== null && n.reg.indexOf(state.region) < 0) return false;
  if (state.article !== null && n.arts.indexOf(state.article) < 0) return false;
  return true;
}

// What is shown: nodes that pass; cases also the case filters; with a case filter on, an
// entity tied to cases only through cases that are filtered out goes with them.
function computeVisible() {
  var show = {}, cases = caseFilterOn();
  data.nodes.forEach(function (n) {
    show[n.id] = nodePasses(n) && (n.kind !== "Case" || casePasses(n, false));
  });
  if (cases) {
    data.nodes.forEach(function (n) {
      if (n.kind === "Case" || !show[n.id]) return;
      var linked = false, kept = false;
      adj[n.id].forEach(function (p) {
        var m = byId[p[0]];
        if (m.kind === "Case") { linked = true; if (show[m.id]) kept = true; }
      });
      if (linked && !kept) show[n.id] = false;
    });
  }
  Object.keys(state.forced).forEach(function (id) { show[id] = true; });
  Object.keys(state.userHidden).forEach(function (id) { show[id] = false; });
  return show;
}

function applyFilters() {
  var show = computeVisible(), changes = [];
  data.nodes.forEach(function (n) {
    var hide = !show[n.id];
    if (!!state.hidden[n.id] !== hide) { state.hidden[n.id] = hide; changes.push({ id: n.id, hidden: hide }); }
  });
  if (changes.length) nodes.update(changes);
  listeners.forEach(function (f) { f(); });
}

function visibleIds() {
  return data.nodes.filter(function (n) { return !state.hidden[n.id]; }).map(function (n) { return n.id; });
}

// shows a node whatever the filters say (a search hit, a path)
function reveal(id) {
  if (!state.hidden[id]) return;
  delete state.userHidden[id];
  state.forced[id] = true;
  applyFilters();
}

// ---------------------------------------------------------------- neighbourhood highlight
// Small graphs: everything outside the neighbourhood fades. Large ones: the neighbours
// are ringed on the overlay, which costs no redraw of the network.
function highlight(id) {
  if (large) {
    rings = id === null ? [] : [id].concat(adj[id].map(function (p) { return p[0]; }));
    drawOverlay();
    return;
  }
  var keep = {};
  if (id !== null) {
    keep[id] = true;
    adj[id].forEach(function (p) { keep[p[0]] = true; });
  }
  nodes.update(data.nodes.map(function (n) {
    var dim = id !== null && !keep[n.id];
    return { id: n.id, opacity: dim ? 0.15 : 1, font: { size: BASE_FONT, color: dim ? "#bbb" : "#222", strokeWidth: 3, strokeColor: "#fff" } };
  }));
  edges.update(data.edges.map(function (e, i) {
    var dim = id !== null && e.from !== id && e.to !== id;
    return { id: i, color: { color: dim ? "#e4e4e4" : "#9a9a9a", highlight: "#333" },
             font: { size: 10, color: dim ? "#ddd" : "#555", strokeWidth: 2 } };
  }));
}

// the selected nodes: vis-network's selection, or on a large graph our own
function selectedIds() {
  var ids = large ? picked.slice() : network.getSelectedNodes();
  if (!ids.length && state.selected !== null) ids = [state.selected];
  return ids;
}
function setSelection(ids) {
  if (large) { picked = ids.slice(); drawOverlay(); }
  else network.selectNodes(ids);
}

function select(id, focus) {
  state.selected = id;
  if (id !== null) reveal(id);
  highlight(id);
  showPanel(id);
  setSelection(id === null ? [] : [id]);
  if (id !== null && focus) network.focus(id, { scale: 1.4, animation: false });
  selectListeners.forEach(function (f) { f(id); });
}

network.on("click", function (p) {
  var multi = p.event && p.event.srcEvent && (p.event.srcEvent.ctrlKey || p.event.srcEvent.metaKey);
  var id = large ? network.getNodeAt(p.pointer.DOM) : (p.nodes.length ? p.nodes[0] : undefined);
  if (id === undefined) id = null;
  if (multi) {                       // adding to (or taking from) a multi-selection
    if (large && id !== null) { var k = picked.indexOf(id); if (k >= 0) picked.splice(k, 1); else picked.push(id); drawOverlay(); }
    return;
  }
  select(id, false);
});
