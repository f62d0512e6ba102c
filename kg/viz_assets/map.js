// The map: province outlines (shipped in the page), the visible places at their
// coordinates, cases at their place, criminal groups linked from their origin to where
// they were arrested. Clicking a marker selects its node, as in the graph.
var SVG_NS = "http://www.w3.org/2000/svg";
var outlines = JSON.parse(document.getElementById("kg-outlines").textContent);
var mapBox = document.getElementById("map");
var LON0 = 73, LAT0 = 54, KX = 8.1, KY = 10;     // equirectangular, longitude shrunk by cos 36°

function project(lon, lat) { return [(lon - LON0) * KX, (LAT0 - lat) * KY]; }

function svgEl(tag, attrs) {
  var e = document.createElementNS(SVG_NS, tag);
  Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
  return e;
}

var mapSvg = svgEl("svg", { id: "map-svg", role: "img", "aria-label": "Map of the shown places and cases" });
var view0 = { x: 0, y: 0, w: 63 * KX, h: 38 * KY }, mapView = Object.assign({}, view0);
var provLayer = svgEl("g", { class: "provinces" }), gangLayer = svgEl("g", { class: "gangs" });
var markLayer = svgEl("g", { class: "markers" });
mapSvg.appendChild(svgEl("defs"));
var arrow = svgEl("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "6", markerHeight: "6", orient: "auto-start-reverse" });
arrow.appendChild(svgEl("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#d62728" }));
mapSvg.firstChild.appendChild(arrow);
mapSvg.appendChild(provLayer); mapSvg.appendChild(gangLayer); mapSvg.appendChild(markLayer);
mapBox.appendChild(mapSvg);
var mapNote = el("div", "", "map-note");
mapBox.appendChild(mapNote);

outlines.provinces.forEach(function (p) {
  var d = p.rings.map(function (r) {
    var s = "";
    for (var i = 0; i < r.length; i += 2) {
      var xy = project(r[i] / 100, r[i + 1] / 100);
      s += (i ? "L" : "M") + xy[0].toFixed(2) + " " + xy[1].toFixed(2);
    }
    return s + "Z";
  }).join("");
  var path = svgEl("path", { d: d, class: "province", "data-code": p.code });
  var t = svgEl("title"); t.textContent = p.name; path.appendChild(t);
  provLayer.appendChild(path);
});

function setViewBox() { mapSvg.setAttribute("viewBox", [mapView.x, mapView.y, mapView.w, mapView.h].join(" ")); }
setViewBox();
function pxPerUnit() { var r = mapSvg.getBoundingClientRect(); return r.width ? Math.min(r.width / mapView.w, r.height / mapView.h) : 1; }

function geoOf(n) {
  if (n.geo) return n.geo;
  if (n.at !== undefined && byId[n.at].geo) return byId[n.at].geo;
  return null;
}

// markers of the visible nodes; a place's radius grows with the visible nodes drawn there
function drawMap() {
  if (mapBox.hidden) return;
  markLayer.replaceChildren(); gangLayer.replaceChildren();
  var k = 1 / pxPerUnit(), atPlace = {}, placed = 0, unplaced = 0, labels = [];
  data.nodes.forEach(function (n) {
    if (state.hidden[n.id] || n.kind === "Place") return;
    if (n.at !== undefined && byId[n.at].geo) { (atPlace[n.at] = atPlace[n.at] || []).push(n); placed++; }
    else unplaced++;
  });
  data.gangs.forEach(function (g) {
    if (state.hidden[g[0]]) return;
    var a = project.apply(null, byId[g[1]].geo || [0, 0]), b = project.apply(null, byId[g[2]].geo || [0, 0]);
    if (!byId[g[1]].geo || !byId[g[2]].geo) return;
    var line = svgEl("line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], class: "gang-link", "data-id": g[0],
                               "stroke-width": 2 * k, "marker-end": "url(#arrow)" });
    var t = svgEl("title"); t.textContent = byId[g[0]].names[0] + ": " + byId[g[1]].names[0] + " → " + byId[g[2]].names[0];
    line.appendChild(t);
    gangLayer.appendChild(line);
  });
  data.nodes.forEach(function (n) {
    if (n.kind !== "Place" || !n.geo || state.hidden[n.id]) return;
    var xy = project(n.geo[0], n.geo[1]), here = atPlace[n.id] || [];
    var c = svgEl("circle", { cx: xy[0], cy: xy[1], r: (4 + 2 * Math.sqrt(here.length)) * k,
                              class: "place-marker" + (state.selected === n.id ? " selected" : ""), "data-id": n.id, "stroke-width": k });
    var t = svgEl("title"); t.textContent = n.names[0] + (here.length ? " (" + here.length + ")" : ""); c.appendChild(t);
    c.addEventListener("click", function () { select(n.id, false); });
    markLayer.appendChild(c);
    var cases = here.filter(function (m) { return m.kind === "Case"; });
    cases.forEach(function (m, i) {        // a small ring of dots around the place
      var ang = i * 2.39996, rr = (7 + 2.2 * Math.sqrt(i)) * k;
      var d = svgEl("circle", { cx: xy[0] + rr * Math.cos(ang), cy: xy[1] + rr * Math.sin(ang), r: 2.5 * k,
                                class: "case-marker" + (state.selected === m.id ? " selected" : ""), "data-id": m.id, "stroke-width": 0.5 * k });
      var t2 = svgEl("title"); t2.textContent = m.names[0] + (m.date ? " · " + m.date : ""); d.appendChild(t2);
      d.addEventListener("click", function () { select(m.id, false); });
      markLayer.appendChild(d);
    });
    if (here.length || state.selected === n.id || mapView.w < view0.w / 3)
      labels.push([state.selected === n.id ? 1e9 : here.length, n.names[0], xy]);
  });
  // names of the busiest places first; one that would overlap a name already written is left out
  labels.sort(function (a, b) { return b[0] - a[0] || (a[1] < b[1] ? -1 : 1); });
  var taken = [];
  labels.forEach(function (l) {
    var w = 11 * k * l[1].length, box = [l[2][0] + 6 * k, l[2][1] - 17 * k, l[2][0] + 6 * k + w, l[2][1] - 4 * k];
    if (taken.some(function (b) { return b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]; })) return;
    taken.push(box);
    var label = svgEl("text", { x: box[0], y: l[2][1] - 6 * k, "font-size": 11 * k, class: "place-label" });
    label.textContent = l[1];
    markLayer.appendChild(label);
  });
  mapNote.textContent = placed + " shown nodes drawn at their place; " + unplaced + " without a known place";
}
onVisibleChange(drawMap);
onSelect(drawMap);

// zoom with the wheel around the pointer, pan by dragging
mapSvg.addEventListener("wheel", function (ev) {
  ev.preventDefault();
  var r = mapSvg.getBoundingClientRect(), f = ev.deltaY > 0 ? 1.25 : 0.8, k = 1 / pxPerUnit();
  var cx = mapView.x + (ev.clientX - r.left) * k, cy = mapView.y + (ev.clientY - r.top) * k;
  mapView = { x: cx - (cx - mapView.x) * f, y: cy - (cy - mapView.y) * f, w: mapView.w * f, h: mapView.h * f };
  setViewBox(); drawMap();
}, { passive: false });
var drag = null;
mapSvg.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, v: Object.assign({}, mapView) }; });
window.addEventListener("mouseup", function () { drag = null; });
mapSvg.addEventListener("mousemove", function (ev) {
  if (!drag) return;
  var k = 1 / pxPerUnit();
  mapView = Object.assign({}, drag.v, { x: drag.v.x - (ev.clientX - drag.x) * k, y: drag.v.y - (ev.clientY - drag.y) * k });
  setViewBox();
});

// ---------------------------------------------------------------- switching views
function showView(which) {
  var map = which === "map";
  mapBox.hidden = !map;
  document.getElementById("graph").hidden = map;
  document.getElementById("view-map").setAttribute("aria-selected", String(map));
  document.getElementById("view-graph").setAttribute("aria-selected", String(!map));
  if (map) drawMap(); else network.redraw();
}
document.getElementById("view-graph").addEventListener("click", function () { showView("graph"); });
document.getElementById("view-map").addEventListener("click", function () { showView("map"); });
