// The timeline: cases per month (per day when they all fall in one month) from their
// fkg:date; dragging across it sets the date range that filters the graph and the map,
// a click without a drag clears it.
var tlBox = document.getElementById("timeline");
var dated = data.nodes.filter(function (n) { return n.kind === "Case" && n.date; });
var TL_H = 90, TL_PAD = 22;
var tlSvg = svgEl("svg", { id: "timeline-svg", height: TL_H, role: "img", "aria-label": "Cases by date" });
tlBox.appendChild(tlSvg);
var tlNote = el("div", "", "timeline-note");
tlBox.appendChild(tlNote);

function binsOf(list) {
  var days = list.map(function (n) { return padDate(n.date).lo; }).sort();
  if (!days.length) return [];
  var byDay = days[0].slice(0, 7) === days[days.length - 1].slice(0, 7) && days[0] !== days[days.length - 1];
  var out = [];
  if (byDay) {
    var d = new Date(days[0] + "T00:00:00Z"), end = new Date(days[days.length - 1] + "T00:00:00Z");
    for (; d <= end; d.setUTCDate(d.getUTCDate() + 1)) {
      var s = d.toISOString().slice(0, 10);
      out.push({ key: s, lo: s, hi: s });
    }
    return out;
  }
  var y = Number(days[0].slice(0, 4)), m = Number(days[0].slice(5, 7));
  var y1 = Number(days[days.length - 1].slice(0, 4)), m1 = Number(days[days.length - 1].slice(5, 7));
  for (; y < y1 || (y === y1 && m <= m1); m === 12 ? (y++, m = 1) : m++) {
    var k = y + "-" + (m < 10 ? "0" : "") + m;
    out.push({ key: k, lo: k + "-01", hi: k + "-31" });
  }
  return out;
}
var bins = binsOf(dated);

function binOf(n) {
  var lo = padDate(n.date).lo;
  for (var i = 0; i < bins.length; i++) if (lo >= bins[i].lo && lo <= bins[i].hi) return i;
  return -1;
}
dated.forEach(function (n) { n._bin = binOf(n); });

function drawTimeline() {
  tlSvg.replaceChildren();
  var w = tlBox.clientWidth || 600;
  tlSvg.setAttribute("width", w);
  if (!bins.length) { tlNote.textContent = "No case in the graph has a date (fkg:date)."; return; }
  var counts = bins.map(function () { return 0; }), inRange = bins.map(function () { return 0; });
  var undated = 0;
  data.nodes.forEach(function (n) {
    if (n.kind !== "Case" || state.userHidden[n.id] || !nodePasses(n) || !casePasses(n, true)) return;
    if (!n.date) { undated++; return; }
    counts[n._bin]++;
    if (!state.hidden[n.id]) inRange[n._bin]++;
  });
  var max = Math.max.apply(null, counts.concat([1])), bw = (w - 2 * TL_PAD) / bins.length;
  bins.forEach(function (b, i) {
    var h = (TL_H - 30) * counts[i] / max, x = TL_PAD + i * bw;
    var bar = svgEl("rect", { x: x + 1, y: TL_H - 18 - h, width: Math.max(1, bw - 2), height: h, class: "tl-bar", "data-bin": b.key, "data-count": counts[i] });
    var t = svgEl("title"); t.textContent = b.key + ": " + counts[i] + " cases"; bar.appendChild(t);
    tlSvg.appendChild(bar);
    var hi = (TL_H - 30) * inRange[i] / max;
    if (inRange[i]) tlSvg.appendChild(svgEl("rect", { x: x + 1, y: TL_H - 18 - hi, width: Math.max(1, bw - 2), height: hi, class: "tl-bar shown", "data-bin": b.key, "data-count": inRange[i] }));
    if (i === 0 || i === bins.length - 1 || bins.length <= 12 || i % Math.ceil(bins.length / 8) === 0) {
      var lab = svgEl("text", { x: x + bw / 2, y: TL_H - 4, class: "tl-label", "text-anchor": "middle" });
      lab.textContent = b.key;
      tlSvg.appendChild(lab);
    }
  });
  if (state.dateFrom || state.dateTo) {
    var a = 0, z = bins.length - 1;
    while (a < bins.length && state.dateFrom && bins[a].hi < state.dateFrom) a++;
    while (z >= 0 && state.dateTo && bins[z].lo > state.dateTo) z--;
    if (a <= z) tlSvg.appendChild(svgEl("rect", { x: TL_PAD + a * bw, y: 2, width: (z - a + 1) * bw, height: TL_H - 20, class: "tl-brush" }));
  }
  tlNote.textContent = "Cases by " + (bins[0].key.length === 10 ? "day" : "month") +
    (state.dateFrom || state.dateTo ? ", " + (state.dateFrom || "…") + " to " + (state.dateTo || "…") : ", drag to choose a range") +
    (undated ? "; " + undated + " cases without a date" : "");
}
onVisibleChange(drawTimeline);
window.addEventListener("resize", drawTimeline);

function binAt(clientX) {
  var r = tlSvg.getBoundingClientRect(), bw = (r.width - 2 * TL_PAD) / bins.length;
  return Math.max(0, Math.min(bins.length - 1, Math.floor((clientX - r.left - TL_PAD) / bw)));
}
var brushStart = null;
tlSvg.addEventListener("mousedown", function (ev) { if (bins.length) { brushStart = ev.clientX; ev.preventDefault(); } });
tlSvg.addEventListener("mouseup", function (ev) {
  if (brushStart === null) return;
  var a = binAt(Math.min(brushStart, ev.clientX)), z = binAt(Math.max(brushStart, ev.clientX));
  var click = Math.abs(ev.clientX - brushStart) < 3;
  brushStart = null;
  if (click) setDates(null, null);
  else setDates(bins[a].lo, bins[z].key.length === 10 ? bins[z].hi : lastDay(bins[z].key));
});

function lastDay(month) {
  var y = Number(month.slice(0, 4)), m = Number(month.slice(5, 7));
  return month + "-" + new Date(Date.UTC(y, m, 0)).getUTCDate();
}
