// The side panel: a node's details and actions, its facts with their sentences, and the
// article behind a fact with the fact's words marked.
var panel = document.getElementById("panel");
var HINT = "Click a node to see its names, articles and the sentence behind each fact.";

function showPanel(id) {
  panel.replaceChildren();
  if (id === null) { panel.appendChild(el("p", HINT, "hint")); return; }
  var n = byId[id];
  panel.appendChild(el("h2", n.names[0]));
  var dl = el("dl");
  function row(k, v) { if (v !== null && v !== undefined) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", v)); } }
  row("Type", typeName(n));
  row("Names", n.names.join("、"));
  row("Crime type", n.kind === "Case" ? n.crime : null);
  row("Date", n.date || (n.day ? n.day + " (year not given)" : null));
  row("Lost", yuan(n.lost));
  row("Recovered", yuan(n.rec));
  Object.keys(n.kept || {}).forEach(function (k) { row("· " + k, yuan(n.kept[k])); });
  row("Region", n.reg.map(function (r) { return byId[r].names[0]; }).join(" / ") || null);
  panel.appendChild(dl);
  panel.appendChild(el("div", n.iri, "iri"));
  panel.appendChild(actions(n));
  if (n.arts.length) {
    panel.appendChild(el("h3", "Articles (" + n.arts.length + ")"));
    var ul = el("ul");
    n.arts.forEach(function (a) {
      var li = el("li");
      li.appendChild(button(data.articles[a], function () { showArticle(a, null, n.names, null); }, "link"));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }
  var facts = adj[id];
  panel.appendChild(el("h3", "Facts (" + facts.length + ")"));
  facts.forEach(function (p) { panel.appendChild(factView(id, p[1])); });
}

function actions(n) {
  var bar = el("div", null, "actions");
  bar.appendChild(button("Expand", function () { expand(n.id); }));
  bar.appendChild(button("Collapse", function () { collapse(n.id); }));
  bar.appendChild(button("Hide", function () { hideNode(n.id); }));
  bar.appendChild(button(state.pinned[n.id] ? "Unpin" : "Pin", function () { pin(n.id); showPanel(n.id); }));
  bar.appendChild(button("Path from here", function () { setPathEnd("from", n.id); }));
  bar.appendChild(button("Path to here", function () { setPathEnd("to", n.id); }));
  return bar;
}

// one relation of the shown node: the other end (a link to it) and each sentence, which
// opens the article at that sentence
function factView(id, i) {
  var e = data.edges[i], out = e.from === id, other = byId[out ? e.to : e.from], n = byId[id];
  var div = el("div", null, "fact");
  div.appendChild(el("span", out ? e.label + " → " : "← " + e.label + " ", "rel"));
  div.appendChild(button(other.names[0], function () { select(other.id, true); }, "link"));
  var words = n.names.concat(other.names);
  e.ev.forEach(function (s) { div.appendChild(evidence(s, words, spanOf(e, s))); });
  if (!e.ev.length) div.appendChild(el("div", "(no sentence recorded)", "hint"));
  return div;
}

function spanOf(e, s) {
  for (var k = 0; k < e.sp.length; k++) if (e.sp[k][0] === s && e.sp[k][1] !== null) return [e.sp[k][1], e.sp[k][2]];
  return null;
}

// a sentence, its article and offsets; clicking it opens the article there
function evidence(s, words, span) {
  var w = data.where[s], box = el("div", null, "evidence");
  box.appendChild(quote(data.sentences[s], words, localSpan(s, span)));
  if (w[0] >= 0) {
    var where = data.articles[w[0]] + (w[1] !== null ? " [" + w[1] + "–" + w[2] + "]" : "");
    box.appendChild(button(where, function () { showArticle(w[0], s, words, span); }, "link source"));
  }
  return box;
}

// The span within the sentence; none where the sentence's text is not as long as its
// offsets say (text normalised after the offsets were taken): a wrong mark is worse than none.
function localSpan(s, span) {
  var w = data.where[s];
  if (!span || w[1] === null || w[2] - w[1] !== data.sentences[s].length) return null;
  var a = span[0] - w[1], b = span[1] - w[1];
  return a >= 0 && b <= data.sentences[s].length && a < b ? [a, b] : null;
}

// Where the words occur in the text, as [start, end) intervals, longest words first and
// without overlaps. indexOf, not one regular expression: a name of any length is harmless.
function marks(text, words, span) {
  var found = [], taken = new Uint8Array(text.length);
  if (span) { found.push(span); for (var k = span[0]; k < span[1]; k++) taken[k] = 1; }
  var uniq = Array.from(new Set(words)).filter(function (w) { return w.length >= 2 && w.length <= text.length; })
    .sort(function (a, b) { return b.length - a.length; });
  uniq.forEach(function (w) {
    var i = text.indexOf(w);
    while (i >= 0) {
      if (!taken[i] && !taken[i + w.length - 1]) {
        found.push([i, i + w.length]);
        for (var k = i; k < i + w.length; k++) taken[k] = 1;
      }
      i = text.indexOf(w, i + w.length);
    }
  });
  return found.sort(function (a, b) { return a[0] - b[0]; });
}

// A sentence with the words (and the fact's own span, more strongly) marked; built from
// text nodes, never markup.
function quote(text, words, span) {
  var q = el("blockquote"), i = 0;
  marks(text, words, span).forEach(function (m) {
    if (m[0] > i) q.appendChild(document.createTextNode(text.slice(i, m[0])));
    var mk = el("mark", text.slice(m[0], m[1]));
    if (span && m[0] === span[0] && m[1] === span[1]) mk.className = "fact-span";
    q.appendChild(mk);
    i = m[1];
  });
  if (i < text.length) q.appendChild(document.createTextNode(text.slice(i)));
  return q;
}

// The article as the graph holds it: its sentences in order of their offsets, a gap
// marked where text between them is not in the graph; the chosen sentence and the
// words of the fact marked.
function showArticle(a, s, words, span) {
  var sents = [];
  data.where.forEach(function (w, i) { if (w[0] === a) sents.push(i); });
  sents.sort(function (x, y) { return (data.where[x][1] || 0) - (data.where[y][1] || 0); });
  var back = state.selected;
  panel.replaceChildren();
  panel.appendChild(button("← Back", function () { showPanel(back); }));
  panel.appendChild(el("h2", data.articles[a], "article-title"));
  panel.appendChild(el("p", "The sentences of this article that the graph keeps, in order.", "hint"));
  var body = el("div", null, "article"), last = null, current = null;
  sents.forEach(function (i) {
    var w = data.where[i];
    if (last !== null && w[1] !== null && w[1] > last) body.appendChild(el("span", " … ", "gap"));
    var p = quote(data.sentences[i], i === s ? words : [], i === s ? localSpan(i, span) : null);
    p.className = i === s ? "sentence current" : "sentence";
    p.title = w[1] !== null ? "[" + w[1] + "–" + w[2] + "]" : "";
    body.appendChild(p);
    if (i === s) current = p;
    last = w[2];
  });
  panel.appendChild(body);
  if (current) current.scrollIntoView({ block: "center" });
}

// ---------------------------------------------------------------- expand, collapse, hide, pin
function expand(id) {
  delete state.userHidden[id];
  adj[id].forEach(function (p) { delete state.userHidden[p[0]]; state.forced[p[0]] = true; });
  applyFilters();
}

// hides the neighbours that hang on this node only
function collapse(id) {
  adj[id].forEach(function (p) {
    var w = p[0];
    var other = adj[w].some(function (q) { return q[0] !== id && !state.hidden[q[0]]; });
    if (!other) { state.userHidden[w] = true; delete state.forced[w]; }
  });
  applyFilters();
}

function hideNode(id) {
  state.userHidden[id] = true;
  delete state.forced[id];
  if (state.selected === id) select(null, false);
  applyFilters();
}

function pin(id) {
  state.pinned[id] = !state.pinned[id];
  if (!state.pinned[id]) delete state.pinned[id];
  nodes.update({ id: id, fixed: !!state.pinned[id], borderWidth: state.pinned[id] ? 3 : 1,
                 shapeProperties: { borderDashes: state.pinned[id] ? [4, 2] : false } });
}
