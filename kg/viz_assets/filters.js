// Search, filters and the summary of what is shown.

// ---------------------------------------------------------------- search
var namesList = document.getElementById("names"), seenNames = new Set();
if (data.nodes.length <= 5000) {      // a datalist of tens of thousands of names slows typing
  data.nodes.forEach(function (n) {
    n.names.forEach(function (s) {
      if (!seenNames.has(s) && s.length <= 200) { seenNames.add(s); var o = el("option"); o.value = s; namesList.appendChild(o); }
    });
  });
}

// Every node one of whose names contains the query (case-insensitive): exact names first,
// then by how many articles mention them, then by name.
function findAll(q) {
  q = q.trim().toLowerCase();
  if (!q) return [];
  var hits = [];
  data.nodes.forEach(function (n) {
    var exact = false, part = false;
    n.names.forEach(function (s) {
      var t = s.toLowerCase();
      if (t === q) exact = true;
      else if (t.indexOf(q) >= 0) part = true;
    });
    if (exact || part) hits.push({ n: n, exact: exact });
  });
  hits.sort(function (a, b) {
    return (b.exact - a.exact) || (b.n.arts.length - a.n.arts.length) || (a.n.names[0] < b.n.names[0] ? -1 : a.n.names[0] > b.n.names[0] ? 1 : a.n.id - b.n.id);
  });
  return hits.map(function (h) { return h.n; });
}

function find(q) { var h = findAll(q); return h.length ? h[0] : null; }

function showHits(q, hits) {
  var box = el("section", null, "hits");
  box.appendChild(el("h3", hits.length + " hit" + (hits.length === 1 ? "" : "s") + " for “" + q + "”"));
  var ul = el("ul", null, "hit-list");
  hits.forEach(function (n) {
    var li = el("li");
    li.appendChild(button(n.names[0], function () { select(n.id, true); panel.prepend(box); }, "link hit"));
    li.appendChild(el("span", typeName(n), "hit-type"));
    li.appendChild(el("span", n.arts.length + (n.arts.length === 1 ? " article" : " articles"), "count"));
    ul.appendChild(li);
  });
  box.appendChild(ul);
  return box;
}

document.getElementById("search-form").addEventListener("submit", function (ev) {
  ev.preventDefault();
  var q = document.getElementById("search").value, hits = findAll(q), status = document.getElementById("search-status");
  if (!hits.length) { status.textContent = "Not found"; return; }
  status.textContent = hits.length === 1 ? "" : hits.length + " hits";
  select(hits[0].id, true);
  if (hits.length > 1) panel.prepend(showHits(q.trim(), hits));
});

// ---------------------------------------------------------------- filters
// a changed filter starts afresh: nodes shown by Expand, a search or a path go back under it
function refilter() { state.forced = {}; applyFilters(); }
var boxes = [];
function syncBoxes() { boxes.forEach(function (b) { b.box.checked = b.get(); }); }

function filterBox(parent, text, symbol, get, set, name) {
  var label = el("label", null, "filter"), box = el("input"), count = el("span", "", "count");
  box.type = "checkbox"; box.checked = true; box.name = name;
  box.addEventListener("change", function () { set(box.checked); refilter(); });
  label.appendChild(box);
  if (symbol) label.appendChild(symbol);
  label.appendChild(el("span", text));
  label.appendChild(count);
  parent.appendChild(label);
  boxes.push({ box: box, get: get });
  return count;
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

var typeCount = {}, crimeCount = {};
var legend = document.getElementById("legend");
data.types.forEach(function (t) {
  typeCount[t.type] = filterBox(legend, t.name, symbol(t), function () { return state.typeOn[t.type]; },
                                function (on) { state.typeOn[t.type] = on; }, "type-" + t.type);
});
var crimesBox = document.getElementById("crimes");
data.summary.crimes.forEach(function (kv) {
  state.crimeOn[kv[0]] = true;
  crimeCount[kv[0]] = filterBox(crimesBox, kv[0], null, function () { return state.crimeOn[kv[0]]; },
                                function (on) { state.crimeOn[kv[0]] = on; }, "crime-" + kv[0]);
});
if (!data.summary.crimes.length) crimesBox.appendChild(el("p", "No cases.", "hint"));

var filtersBox = document.getElementById("filters");
function field(label, input) {
  var l = el("label", null, "field");
  l.appendChild(el("span", label));
  l.appendChild(input);
  filtersBox.appendChild(l);
  return input;
}
function selectOf(name, first, items) {
  var s = el("select");
  s.name = name;
  var o = el("option", first); o.value = ""; s.appendChild(o);
  items.forEach(function (it) { var o = el("option", it[1]); o.value = String(it[0]); s.appendChild(o); });
  return s;
}

// regions: provinces, then their cities, each with how many nodes lie in it
var regionCount = {};
data.nodes.forEach(function (n) { n.reg.forEach(function (r) { regionCount[r] = (regionCount[r] || 0) + 1; }); });
var regionItems = Object.keys(regionCount).map(Number).map(function (r) {
  var p = byId[r], prov = p.reg.filter(function (x) { return x !== r; }).map(function (x) { return byId[x].names[0]; });
  var key = (prov.length ? prov[0] + " " : "") + p.names[0];
  return [r, (prov.length ? "  " + prov[0] + " › " : "") + p.names[0] + " (" + regionCount[r] + ")", key];
}).sort(function (a, b) { return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0; });
var regionSel = field("Province / city", selectOf("region", "All regions", regionItems));
regionSel.addEventListener("change", function () { state.region = regionSel.value === "" ? null : Number(regionSel.value); refilter(); });

var articleSel = field("Article", selectOf("article", "All articles", data.articles.map(function (a, i) { return [i, a]; })));
articleSel.addEventListener("change", function () { state.article = articleSel.value === "" ? null : Number(articleSel.value); refilter(); });

function input(name, type, placeholder) { var i = el("input"); i.name = name; i.type = type; i.placeholder = placeholder; return i; }
var dateFrom = field("Date from", input("date-from", "date", ""));
var dateTo = field("Date to", input("date-to", "date", ""));
function setDates(from, to) {
  state.dateFrom = from || null; state.dateTo = to || null;
  dateFrom.value = from || ""; dateTo.value = to || "";
  refilter();
}
dateFrom.addEventListener("change", function () { setDates(dateFrom.value, dateTo.value); });
dateTo.addEventListener("change", function () { setDates(dateFrom.value, dateTo.value); });
var moneyMin = field("Lost at least (元)", input("money-min", "number", "0"));
var moneyMax = field("Lost at most (元)", input("money-max", "number", ""));
function moneyChanged() {
  state.moneyMin = moneyMin.value === "" ? null : Number(moneyMin.value);
  state.moneyMax = moneyMax.value === "" ? null : Number(moneyMax.value);
  refilter();
}
moneyMin.addEventListener("change", moneyChanged);
moneyMax.addEventListener("change", moneyChanged);
filtersBox.appendChild(el("p", "Filters on cases also hide the people, groups and places tied only to the cases they hide.", "hint"));
var hiddenNote = el("p", "", "hint");
filtersBox.appendChild(hiddenNote);
filtersBox.appendChild(button("Reset filters", function () {
  data.types.forEach(function (t) { state.typeOn[t.type] = true; });
  Object.keys(state.crimeOn).forEach(function (c) { state.crimeOn[c] = true; });
  state.region = null; state.article = null; state.userHidden = {}; state.forced = {};
  regionSel.value = ""; articleSel.value = ""; moneyMin.value = ""; moneyMax.value = "";
  state.moneyMin = state.moneyMax = null;
  syncBoxes();
  setDates(null, null);
}));

// ---------------------------------------------------------------- summary of what is shown
var summaryBox = document.getElementById("summary"), summaryList = el("dl");
summaryBox.appendChild(summaryList);
function summarise() {
  var shown = 0, rels = 0, cases = 0, lost = 0, rec = 0, types = {}, crimes = {}, kept = {};
  data.nodes.forEach(function (n) {
    if (state.hidden[n.id]) return;
    shown++;
    types[n.kind] = (types[n.kind] || 0) + 1;
    if (n.kind === "Case") {
      cases++;
      crimes[n.crime] = (crimes[n.crime] || 0) + 1;
      if (n.lost) lost += n.lost;
      if (n.rec) rec += n.rec;
      Object.keys(n.kept || {}).forEach(function (k) { kept[k] = (kept[k] || 0) + n.kept[k]; });
    }
  });
  data.edges.forEach(function (e) { if (!state.hidden[e.from] && !state.hidden[e.to]) rels++; });
  summaryList.replaceChildren();
  function row(k, v, name) { summaryList.appendChild(el("dt", k)); var d = el("dd", v); d.dataset.key = name; summaryList.appendChild(d); }
  row("Nodes", shown + " of " + data.nodes.length, "nodes");
  row("Relations", rels, "relations");
  row("Cases", cases, "cases");
  row("Money lost", yuan(lost), "lost");
  row("Recovered", yuan(rec), "recovered");
  // the kinds of money kept from the fraudsters (fkg:amountKind), each a different fact
  Object.keys(kept).sort().forEach(function (k) { row("· " + k, yuan(kept[k]), "kept-" + k); });
  if (data.focus !== null) row("Around", data.focus, "focus");
  Object.keys(typeCount).forEach(function (t) { typeCount[t].textContent = types[t] || 0; });
  Object.keys(crimeCount).forEach(function (c) { crimeCount[c].textContent = crimes[c] || 0; });
  var hiddenByUser = Object.keys(state.userHidden).length;
  hiddenNote.textContent = hiddenByUser ? hiddenByUser + " hidden by you (Reset shows them)" : "";
}
onVisibleChange(summarise);
summarise();
