// Export (PNG of the view, CSV of the selection, GraphML of the visible subgraph), the
// header buttons, and the start of the page.

function download(name, blob) {
  var a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// PNG of the graph on white, or of the map when the map is shown
function exportPng() {
  if (!mapBox.hidden) {
    var clone = mapSvg.cloneNode(true), r = mapSvg.getBoundingClientRect();
    clone.setAttribute("width", r.width); clone.setAttribute("height", r.height);
    clone.setAttribute("xmlns", SVG_NS);
    var style = document.createElementNS(SVG_NS, "style");
    style.textContent = MAP_STYLE;
    clone.insertBefore(style, clone.firstChild);
    var img = new Image();
    img.onload = function () {
      var c = document.createElement("canvas"); c.width = r.width; c.height = r.height;
      var g = c.getContext("2d"); g.fillStyle = "#fff"; g.fillRect(0, 0, c.width, c.height); g.drawImage(img, 0, 0);
      c.toBlob(function (b) { download("fraudkg-map.png", b); }, "image/png");
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(clone));
    return;
  }
  var src = document.querySelector("#graph canvas"), out = document.createElement("canvas");
  out.width = src.width; out.height = src.height;
  var ctx = out.getContext("2d");
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, out.width, out.height); ctx.drawImage(src, 0, 0);
  ctx.drawImage(overlay, 0, 0, out.width, out.height);        // the names and rings drawn above the network
  out.toBlob(function (b) { download("fraudkg-graph.png", b); }, "image/png");
}
var MAP_STYLE = ".province{fill:#f3f1ea;stroke:#aaa}.place-marker{fill:#8c564b;stroke:#fff}.case-marker{fill:#e377c2}" +
                ".gang-link{stroke:#d62728;fill:none}.place-label{fill:#333}";

// A spreadsheet cell: quoted, and a leading = + - @ made inert so that no spreadsheet
// runs an article's text as a formula.
function cell(v) {
  var s = v === null || v === undefined ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return '"' + s.replace(/"/g, '""') + '"';
}


// the selected nodes, then every relation that touches one of them, with its sentences
function selectionCsv() {
  var ids = selectedIds(), chosen = {}, rows = [];
  ids.forEach(function (id) { chosen[id] = true; });
  rows.push(["record", "id", "name", "type", "names", "articles", "crime type", "date", "lost", "recovered",
             "source", "relation", "target", "sentence", "article", "start", "end"].map(cell).join(","));
  ids.forEach(function (id) {
    var n = byId[id];
    rows.push(["node", n.iri, n.names[0], n.kind, n.names.join(" | "), n.arts.map(function (a) { return data.articles[a]; }).join(" | "),
               n.kind === "Case" ? n.crime : "", n.date || "", n.lost, n.rec, "", "", "", "", "", "", ""].map(cell).join(","));
  });
  data.edges.forEach(function (e) {
    if (!chosen[e.from] && !chosen[e.to]) return;
    var ev = e.ev.length ? e.ev : [null];
    ev.forEach(function (s) {
      var w = s === null ? [-1, null, null] : data.where[s], sp = s === null ? null : spanOf(e, s);
      rows.push(["fact", "", "", "", "", "", "", "", "", "", byId[e.from].names[0], e.label, byId[e.to].names[0],
                 s === null ? "" : data.sentences[s], w[0] >= 0 ? data.articles[w[0]] : "",
                 sp ? sp[0] : w[1], sp ? sp[1] : w[2]].map(cell).join(","));
    });
  });
  return "\ufeff" + rows.join("\r\n") + "\r\n";
}

// GraphML of the visible nodes and the relations between them, written through the XML
// DOM so that every name and sentence is escaped by the serializer
function visibleGraphml() {
  var NS = "http://graphml.graphdrawing.org/xmlns";
  var doc = document.implementation.createDocument(NS, "graphml", null), root = doc.documentElement;
  var keys = [["label", "node", "label"], ["type", "node", "type"], ["iri", "node", "iri"], ["crime", "node", "crimeType"],
              ["date", "node", "date"], ["x", "node", "x"], ["y", "node", "y"],
              ["relation", "edge", "relation"], ["sentence", "edge", "sentence"], ["article", "edge", "article"]];
  keys.forEach(function (k) {
    var key = doc.createElementNS(NS, "key");
    key.setAttribute("id", k[0]); key.setAttribute("for", k[1]); key.setAttribute("attr.name", k[2]);
    key.setAttribute("attr.type", k[0] === "x" || k[0] === "y" ? "double" : "string");
    root.appendChild(key);
  });
  var graph = doc.createElementNS(NS, "graph");
  graph.setAttribute("id", "fraudkg"); graph.setAttribute("edgedefault", "directed");
  root.appendChild(graph);
  function datum(parent, key, value) {
    if (value === null || value === undefined || value === "") return;
    var d = doc.createElementNS(NS, "data");
    // characters XML 1.0 cannot carry would make the file unreadable: dropped
    d.setAttribute("key", key); d.textContent = String(value).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "$1");
    parent.appendChild(d);
  }
  var pos = network.getPositions(visibleIds());
  data.nodes.forEach(function (n) {
    if (state.hidden[n.id]) return;
    var v = doc.createElementNS(NS, "node");
    v.setAttribute("id", "n" + n.id);
    datum(v, "label", n.names[0]); datum(v, "type", n.kind); datum(v, "iri", n.iri);
    if (n.kind === "Case") { datum(v, "crime", n.crime); datum(v, "date", n.date); }
    if (pos[n.id]) { datum(v, "x", pos[n.id].x); datum(v, "y", pos[n.id].y); }
    graph.appendChild(v);
  });
  data.edges.forEach(function (e, i) {
    if (state.hidden[e.from] || state.hidden[e.to]) return;
    var x = doc.createElementNS(NS, "edge");
    x.setAttribute("id", "e" + i); x.setAttribute("source", "n" + e.from); x.setAttribute("target", "n" + e.to);
    datum(x, "relation", e.label);
    if (e.ev.length) {
      datum(x, "sentence", data.sentences[e.ev[0]]);
      var w = data.where[e.ev[0]];
      if (w[0] >= 0) datum(x, "article", data.articles[w[0]]);
    }
    graph.appendChild(x);
  });
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc);
}

document.getElementById("export-png").addEventListener("click", exportPng);
document.getElementById("export-csv").addEventListener("click", function () {
  download("fraudkg-selection.csv", new Blob([selectionCsv()], { type: "text/csv;charset=utf-8" }));
});
document.getElementById("export-graphml").addEventListener("click", function () {
  download("fraudkg-visible.graphml", new Blob([visibleGraphml()], { type: "application/xml" }));
});

// ---------------------------------------------------------------- header buttons
var physicsButton = document.getElementById("physics");
physicsButton.addEventListener("click", function () {
  state.physics = !state.physics;
  network.setOptions({ physics: { enabled: state.physics, solver: "forceAtlas2Based", stabilization: false } });
  physicsButton.textContent = "Physics: " + (state.physics ? "on" : "off");
  physicsButton.setAttribute("aria-pressed", String(state.physics));
});
document.getElementById("fit").addEventListener("click", function () {
  if (!mapBox.hidden) { mapView = Object.assign({}, view0); setViewBox(); drawMap(); }
  else fitLinked();
});

applyFilters();
window.kgExplorer = {
  network: network, nodes: nodes, edges: edges, state: state, data: data, find: find, findAll: findAll,
  selectedIds: selectedIds, setSelection: setSelection, labels: function () { return drawnLabels; },
  select: select, applyFilters: applyFilters, visibleIds: visibleIds, shortestChains: shortestChains,
  project: project, setDates: setDates, selectionCsv: selectionCsv, visibleGraphml: visibleGraphml,
};
