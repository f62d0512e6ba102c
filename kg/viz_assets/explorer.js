// FraudKG explorer. Every piece of text from the graph is set with textContent: article
// text is hostile input and must never become markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var typeInfo = {};
  data.types.forEach(function (t) { typeInfo[t.type] = t; });
  var state = { selected: null, physics: false, typeOn: {}, crimeOn: {}, hidden: {} };
  data.types.forEach(function (t) { state.typeOn[t.type] = true; });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function tooltip(n) {
    var t = typeInfo[n.kind];
    return el("div", n.names.join(" / ") + "\n" + (t ? t.name : n.kind) + (n.crime ? "\n" + n.crime : ""));
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return { id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, shape: n.shape, color: n.color,
             font: n.font, title: tooltip(n) };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    return { id: i, from: e.from, to: e.to, label: e.label, arrows: e.arrows,
             color: { color: "#9a9a9a", highlight: "#333" }, font: { size: 10, color: "#555", strokeWidth: 2 } };
  }));
  var options = data.options || {};
  options.physics = Object.assign({}, options.physics || {}, { enabled: false });
  options.interaction = Object.assign({}, options.interaction || {}, { hover: true, tooltipDelay: 150, hideEdgesOnDrag: data.nodes.length > 1000 });
  options.layout = { improvedLayout: false };
  var network = new vis.Network(document.getElementById("graph"), { nodes: nodes, edges: edges }, options);

  // ---------------------------------------------------------------- neighbourhood highlight
  // Small graphs: everything outside the neighbourhood fades. Large ones: redrawing every
  // node costs a second or more, so only the neighbours are outlined.
  var FADE_LIMIT = 2000, outlined = [];
  function highlight(id) {
    var keep = {};
    if (id !== null) {
      keep[id] = true;
      network.getConnectedNodes(id).forEach(function (v) { keep[v] = true; });
    }
    if (data.nodes.length > FADE_LIMIT) {
      var changes = outlined.map(function (v) { return { id: v, borderWidth: 1 }; });
      outlined = Object.keys(keep).map(Number);
      outlined.forEach(function (v) { changes.push({ id: v, borderWidth: 4 }); });
      nodes.update(changes);
      return;
    }
    nodes.update(data.nodes.map(function (n) {
      var dim = id !== null && !keep[n.id];
      return { id: n.id, opacity: dim ? 0.15 : 1, font: { size: 14, color: dim ? "#bbb" : "#222" } };
    }));
    edges.update(data.edges.map(function (e, i) {
      var dim = id !== null && e.from !== id && e.to !== id;
      return { id: i, color: { color: dim ? "#e4e4e4" : "#9a9a9a", highlight: "#333" },
               font: { size: 10, color: dim ? "#ddd" : "#555", strokeWidth: 2 } };
    }));
  }

  function select(id, focus) {
    state.selected = id;
    highlight(id);
    showPanel(id);
    if (id === null) { network.unselectAll(); return; }
    network.selectNodes([id]);
    if (focus) network.focus(id, { scale: 1.4, animation: false });
  }

  network.on("click", function (p) { select(p.nodes.length ? p.nodes[0] : null, false); });

  // ---------------------------------------------------------------- side panel
  function showPanel(id) {
    var panel = document.getElementById("panel");
    panel.replaceChildren();
    if (id === null) { panel.appendChild(el("p", "Click a node to see its names, articles and the sentence behind each fact.", "hint")); return; }
    var n = byId[id], d = data.details[id], t = typeInfo[n.kind];
    panel.appendChild(el("h2", d.label));
    var dl = el("dl");
    function row(k, v) { if (v !== null && v !== undefined) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", v)); } }
    row("Type", t ? t.name : n.kind);
    row("Names", n.names.join("、"));
    row("Crime type", d.crime);
    row("Lost", d.lost);
    row("Recovered", d.recovered);
    panel.appendChild(dl);
    panel.appendChild(el("div", n.iri, "iri"));
    if (d.articles.length) {
      panel.appendChild(el("h3", "Articles"));
      var ul = el("ul");
      d.articles.forEach(function (a) { ul.appendChild(el("li", a)); });
      panel.appendChild(ul);
    }
    var facts = data.edges.filter(function (e) { return e.from === id || e.to === id; });
    panel.appendChild(el("h3", "Facts (" + facts.length + ")"));
    facts.forEach(function (e) {
      var out = e.from === id, other = byId[out ? e.to : e.from];
      var div = el("div", null, "fact");
      div.appendChild(el("span", out ? e.label + " → " : "← " + e.label + " ", "rel"));
      var b = el("button", other.names[0]);
      b.type = "button";
      b.addEventListener("click", function () { select(other.id, true); });
      div.appendChild(b);
      var words = n.names.concat(other.names);
      e.ev.forEach(function (i) { div.appendChild(quote(data.sentences[i], words)); });
      if (!e.ev.length) div.appendChild(el("div", "(no sentence recorded)", "hint"));
      panel.appendChild(div);
    });
  }

  // A sentence with the names of both ends marked; built from text nodes, never markup.
  function quote(text, words) {
    var q = el("blockquote"), i = 0, re = null;
    words = words.filter(function (w) { return w.length >= 2; })
                 .sort(function (a, b) { return b.length - a.length; })
                 .map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    if (words.length) re = new RegExp(words.join("|"), "g");
    if (re) {
      var m;
      while ((m = re.exec(text)) !== null) {
        if (m.index > i) q.appendChild(document.createTextNode(text.slice(i, m.index)));
        q.appendChild(el("mark", m[0]));
        i = m.index + m[0].length;
      }
    }
    if (i < text.length) q.appendChild(document.createTextNode(text.slice(i)));
    return q;
  }

  // ---------------------------------------------------------------- search
  var names = document.getElementById("names"), seen = new Set();
  data.nodes.forEach(function (n) {
    n.names.forEach(function (s) { if (!seen.has(s)) { seen.add(s); var o = el("option"); o.value = s; names.appendChild(o); } });
  });

  function find(q) {
    q = q.trim().toLowerCase();
    if (!q) return null;
    var exact = null, part = null;
    data.nodes.forEach(function (n) {
      n.names.forEach(function (s) {
        var t = s.toLowerCase();
        if (t === q && exact === null) exact = n;
        else if (t.indexOf(q) >= 0 && part === null) part = n;
      });
    });
    return exact || part;
  }

  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("search").value, n = find(q), status = document.getElementById("search-status");
    if (!n) { status.textContent = "Not found"; return; }
    status.textContent = "";
    if (state.hidden[n.id]) { state.typeOn[n.kind] = true; if (n.crime) state.crimeOn[n.crime] = true; syncBoxes(); applyFilters(); }
    select(n.id, true);
  });

  // ---------------------------------------------------------------- filters
  function applyFilters() {
    var changes = [];
    data.nodes.forEach(function (n) {
      var hide = !state.typeOn[n.kind] || (n.kind === "Case" && n.crime !== null && state.crimeOn[n.crime] === false);
      if (!!state.hidden[n.id] !== hide) { state.hidden[n.id] = hide; changes.push({ id: n.id, hidden: hide }); }
    });
    if (changes.length) nodes.update(changes);
  }

  var boxes = [];
  function syncBoxes() { boxes.forEach(function (b) { b.box.checked = b.get(); }); }

  function filterBox(parent, text, count, symbol, get, set, name) {
    var label = el("label", null, "filter"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.name = name;
    box.addEventListener("change", function () { set(box.checked); applyFilters(); });
    label.appendChild(box);
    if (symbol) label.appendChild(symbol);
    label.appendChild(el("span", text));
    label.appendChild(el("span", count, "count"));
    parent.appendChild(label);
    boxes.push({ box: box, get: get });
  }

  function symbol(t) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), shape;
    svg.setAttribute("width", "14"); svg.setAttribute("height", "14"); svg.setAttribute("viewBox", "0 0 14 14");
    var pts = { triangle: "7,1 13,13 1,13", triangleDown: "1,1 13,1 7,13", diamond: "7,0 14,7 7,14 0,7",
                hexagon: "3.5,1 10.5,1 14,7 10.5,13 3.5,13 0,7", star: "7,0 9,5 14,5 10,8.5 11.5,14 7,10.5 2.5,14 4,8.5 0,5 5,5" };
    if (t.shape === "square") { shape = document.createElementNS(ns, "rect"); shape.setAttribute("x", "1"); shape.setAttribute("y", "1"); shape.setAttribute("width", "12"); shape.setAttribute("height", "12"); }
    else if (pts[t.shape]) { shape = document.createElementNS(ns, "polygon"); shape.setAttribute("points", pts[t.shape]); }
    else { shape = document.createElementNS(ns, "circle"); shape.setAttribute("cx", "7"); shape.setAttribute("cy", "7"); shape.setAttribute("r", "6"); }
    shape.setAttribute("fill", t.color);
    svg.appendChild(shape);
    return svg;
  }

  var counts = {};
  data.summary.types.forEach(function (kv) { counts[kv[0]] = kv[1]; });
  var legend = document.getElementById("legend");
  data.types.forEach(function (t) {
    filterBox(legend, t.name, counts[t.type] || 0, symbol(t), function () { return state.typeOn[t.type]; },
              function (on) { state.typeOn[t.type] = on; }, "type-" + t.type);
  });
  var crimes = document.getElementById("crimes");
  data.summary.crimes.forEach(function (kv) {
    state.crimeOn[kv[0]] = true;
    filterBox(crimes, kv[0], kv[1], null, function () { return state.crimeOn[kv[0]]; },
              function (on) { state.crimeOn[kv[0]] = on; }, "crime-" + kv[0]);
  });
  if (!data.summary.crimes.length) crimes.appendChild(el("p", "No cases shown.", "hint"));

  // ---------------------------------------------------------------- summary
  var sm = document.getElementById("summary"), sdl = el("dl");
  function srow(k, v) { sdl.appendChild(el("dt", k)); sdl.appendChild(el("dd", v)); }
  srow("Nodes", data.nodes.length);
  srow("Relations", data.edges.length);
  srow("Cases", counts.Case || 0);
  srow("Money lost", data.summary.lost);
  srow("Recovered", data.summary.recovered);
  (data.summary.kept || []).forEach(function (kv) { srow("· " + kv[0], kv[1]); });
  if (data.focus !== null) srow("Around", data.focus);
  sm.appendChild(sdl);

  // ---------------------------------------------------------------- buttons
  var physicsButton = document.getElementById("physics");
  physicsButton.addEventListener("click", function () {
    state.physics = !state.physics;
    network.setOptions({ physics: { enabled: state.physics, solver: "forceAtlas2Based", stabilization: false } });
    physicsButton.textContent = "Physics: " + (state.physics ? "on" : "off");
    physicsButton.setAttribute("aria-pressed", String(state.physics));
  });
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: false }); });

  window.kgExplorer = { network: network, nodes: nodes, edges: edges, state: state, find: find, select: select };
})();
