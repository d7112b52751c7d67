// civsearch page: plain JavaScript, no framework, no build step.
//
// Every piece of article data (titles, snippets, bodies, outlet names, URLs) is
// untrusted: it only ever reaches the page through textContent, createTextNode
// or attribute setters, never through HTML parsing. Highlights are built from the
// API's [start, end) character offsets, not from stored markup.
"use strict";

(function () {
  const PAGE_SIZE = 10;
  const MAX_OFFSET = 10000;
  const SVG_NS = "http://www.w3.org/2000/svg";

  const $ = (id) => document.getElementById(id);
  const els = {
    form: $("search-form"), q: $("q"), from: $("from"), to: $("to"), sort: $("sort"),
    chosen: $("chosen-outlets"), error: $("error"), status: $("status"),
    searchView: $("search-view"), chartSection: $("chart-section"), chart: $("chart"),
    share: $("share"), facets: $("facets"), facetList: $("facet-list"),
    facetsDetails: $("facets-details"),
    results: $("results"), hits: $("hits"), pager: $("pager"), prev: $("prev"),
    next: $("next"), pageInfo: $("page-info"), articleView: $("article-view"),
    back: $("back"), articleTitle: $("article-title"), articleMeta: $("article-meta"),
    articleSource: $("article-source"), articleBody: $("article-body"),
  };

  // What is shown, mirrored in the address bar so views can be shared and the
  // browser's Back button works.
  let state = { q: "", from: "", to: "", sort: "relevance", outlets: [], page: 1, article: "" };
  let searchAbort = null;
  let trendAbort = null;
  let lastTrend = null; // {key, data}
  let lastSearchKey = "";
  let cameFromResults = false;
  // Said in the status line when the page asked for does not exist.
  let pageNote = "";
  // The last page the API can serve (it caps the offset).
  const MAX_PAGE = Math.floor(MAX_OFFSET / PAGE_SIZE) + 1;
  // On a phone the outlet list would push the first result off the screen.
  const PHONE = window.matchMedia("(max-width: 720px)");

  const fmt = (n) => Number(n).toLocaleString("en-US");

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // ---- address bar <-> state -------------------------------------------------

  function readUrl() {
    const p = new URLSearchParams(location.search);
    const page = parseInt(p.get("page") || "1", 10);
    return {
      q: p.get("q") || "",
      from: p.get("from") || "",
      to: p.get("to") || "",
      sort: ["relevance", "newest", "oldest"].includes(p.get("sort")) ? p.get("sort") : "relevance",
      outlets: p.getAll("outlet").filter((o) => o.trim() !== ""),
      page: Number.isFinite(page) && page > 0 ? page : 1,
      article: p.get("article") || "",
    };
  }

  function stateUrl(s) {
    const p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    if (s.from) p.set("from", s.from);
    if (s.to) p.set("to", s.to);
    if (s.sort !== "relevance") p.set("sort", s.sort);
    for (const o of s.outlets) p.append("outlet", o);
    if (s.page > 1) p.set("page", String(s.page));
    if (s.article) p.set("article", s.article);
    const qs = p.toString();
    return qs ? "/?" + qs : "/";
  }

  function go(next, push) {
    state = next;
    const url = stateUrl(state);
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
    render();
  }

  function fillForm() {
    els.q.value = state.q;
    els.from.value = state.from;
    els.to.value = state.to;
    els.sort.value = state.sort;
    renderChosen();
  }

  // ---- API -------------------------------------------------------------------

  async function api(path, params, signal) {
    const qs = params ? "?" + params.toString() : "";
    const resp = await fetch(path + qs, { signal, headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await resp.json();
    } catch (_) {
      body = null;
    }
    if (!resp.ok) {
      const err = new Error((body && body.error) || "the server answered " + resp.status);
      err.parameter = body && body.parameter;
      err.status = resp.status;
      throw err;
    }
    return body;
  }

  function filterParams(s) {
    const p = new URLSearchParams();
    p.set("q", s.q);
    if (s.from) p.set("from", s.from);
    if (s.to) p.set("to", s.to);
    for (const o of s.outlets) p.append("outlet", o);
    return p;
  }

  // ---- errors and status -----------------------------------------------------

  function showError(err) {
    for (const input of [els.q, els.from, els.to]) input.removeAttribute("aria-invalid");
    if (!err) {
      els.error.hidden = true;
      els.error.textContent = "";
      return;
    }
    els.error.textContent = err.message;
    els.error.hidden = false;
    const field = { q: els.q, from: els.from, to: els.to }[err.parameter];
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }
  }

  // ---- rendering -------------------------------------------------------------

  function render() {
    fillForm();
    if (state.article) {
      showArticle(state.article);
      return;
    }
    els.articleView.hidden = true;
    els.searchView.hidden = false;
    if (!state.q) {
      clear(els.hits);
      els.pager.hidden = true;
      els.facets.hidden = true;
      els.chartSection.hidden = true;
      els.status.textContent = "";
      showError(null);
      lastSearchKey = "";
      return;
    }
    runSearch();
  }

  async function runSearch() {
    if (state.page > MAX_PAGE) {
      // ?page=5000: past what the API serves; show the last page it can.
      pageNote = "page " + fmt(state.page) + " is past the last page; showing page " + fmt(MAX_PAGE);
      state = { ...state, page: MAX_PAGE };
      history.replaceState(null, "", stateUrl(state));
    }
    const key = stateUrl({ ...state, article: "" });
    if (key === lastSearchKey) return; // back from an article: the page is still there
    if (searchAbort) searchAbort.abort();
    searchAbort = new AbortController();
    const params = filterParams(state);
    if (state.sort !== "relevance") params.set("sort", state.sort);
    params.set("limit", String(PAGE_SIZE));
    params.set("offset", String((state.page - 1) * PAGE_SIZE));
    params.set("facets", "1");
    els.status.textContent = "Searching…";
    els.results.setAttribute("aria-busy", "true");
    try {
      const data = await api("/api/search", params, searchAbort.signal);
      showError(null);
      const lastPage = Math.max(1, Math.ceil(Math.min(data.total, MAX_OFFSET + PAGE_SIZE) / PAGE_SIZE));
      if (data.hits.length === 0 && data.total > 0 && state.page > lastPage) {
        // Fewer results than the page asked for: go to the last one.
        pageNote = "page " + fmt(state.page) + " is past the last page; showing page " + fmt(lastPage);
        state = { ...state, page: lastPage };
        history.replaceState(null, "", stateUrl(state));
        searchAbort = null;
        runSearch();
        return;
      }
      lastSearchKey = key;
      renderResults(data);
      pageNote = "";
      loadTrend();
    } catch (err) {
      if (err.name === "AbortError") return;
      lastSearchKey = "";
      showError(err);
      els.status.textContent = "";
      clear(els.hits);
      els.pager.hidden = true;
      els.facets.hidden = true;
      els.chartSection.hidden = true;
    } finally {
      els.results.removeAttribute("aria-busy");
    }
  }

  function renderResults(data) {
    const total = data.total;
    const first = data.offset + 1;
    const last = data.offset + data.hits.length;
    let msg = fmt(total) + (total === 1 ? " article matches" : " articles match");
    if (data.hits.length > 0 && total > data.hits.length) {
      msg += " · showing " + fmt(first) + "–" + fmt(last);
    }
    if (state.from || state.to) {
      msg += " · from " + (state.from || "the start") + " to " + (state.to || "now");
    }
    if (data.undated_excluded) {
      msg += " · " + fmt(data.undated_excluded) +
        (data.undated_excluded === 1 ? " undated matching article" : " undated matching articles") +
        " left out by the date range";
    }
    if (pageNote) msg += " · " + pageNote;
    if (data.unknown_outlets && data.unknown_outlets.length) {
      msg += " · no article has the outlet " + data.unknown_outlets.join(", ");
    }
    els.status.textContent = msg;
    els.status.dataset.total = String(total);

    clear(els.hits);
    data.hits.forEach((h, i) => els.hits.appendChild(renderHit(h, data.offset + i + 1)));
    els.hits.setAttribute("start", String(first));

    const pages = Math.max(1, Math.ceil(Math.min(total, MAX_OFFSET + PAGE_SIZE) / PAGE_SIZE));
    els.pager.hidden = total <= PAGE_SIZE;
    els.prev.disabled = state.page <= 1;
    els.next.disabled = state.page >= pages;
    els.pageInfo.textContent = "Page " + fmt(state.page) + " of " + fmt(pages);

    renderFacets(data.facets);
  }

  function renderHit(h, n) {
    const title = h.title && h.title.trim() ? h.title : "(untitled)";
    const link = el("a", { href: stateUrl({ ...state, article: h.id }), class: "hit-title", text: title });
    link.addEventListener("click", (ev) => {
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      cameFromResults = true;
      go({ ...state, article: h.id }, true);
    });
    const meta = [h.date || "undated", h.outlet, h.author].filter((x) => x).join(" · ");
    return el("li", { class: "hit", value: n },
      el("h3", {}, link),
      el("p", { class: "meta", text: meta }),
      el("p", { class: "where", text: h.url || h.path || h.id }),
      highlighted(h.snippet || "", h.highlights || []),
    );
  }

  // The snippet as text nodes, with <mark> around the [start, end) character
  // ranges. Offsets count Unicode scalar values (Rust chars), so split by code
  // point, not by UTF-16 unit.
  function highlighted(snippet, ranges) {
    const p = el("p", { class: "snippet" });
    const chars = Array.from(snippet);
    let pos = 0;
    const sorted = ranges
      .filter((r) => Array.isArray(r) && r.length === 2 && Number.isInteger(r[0]) && Number.isInteger(r[1]))
      .map((r) => [Math.max(0, r[0]), Math.min(chars.length, r[1])])
      .filter((r) => r[0] < r[1])
      .sort((a, b) => a[0] - b[0]);
    for (const [s, e] of sorted) {
      if (s < pos) continue; // overlapping: keep the first
      if (s > pos) p.appendChild(document.createTextNode(chars.slice(pos, s).join("")));
      p.appendChild(el("mark", { text: chars.slice(s, e).join("") }));
      pos = e;
    }
    if (pos < chars.length) p.appendChild(document.createTextNode(chars.slice(pos).join("")));
    return p;
  }

  function renderFacets(facets) {
    clear(els.facetList);
    const values = (facets && facets.outlet) || [];
    els.facets.hidden = values.length === 0;
    els.facetsDetails.open = !PHONE.matches;
    const chosen = new Set(state.outlets);
    for (const f of values) {
      const on = chosen.has(f.value);
      const b = el("button", { type: "button", class: "facet", "aria-pressed": on ? "true" : "false" },
        el("span", { class: "facet-name", text: f.value }),
        el("span", { class: "count", text: fmt(f.count) }));
      b.addEventListener("click", () => toggleOutlet(f.value));
      els.facetList.appendChild(el("li", {}, b));
    }
  }

  function renderChosen() {
    clear(els.chosen);
    if (state.outlets.length === 0) {
      els.chosen.hidden = true;
      return;
    }
    els.chosen.hidden = false;
    els.chosen.appendChild(el("span", { class: "hint", text: "Outlet:" }));
    for (const o of state.outlets) {
      const b = el("button", { type: "button", class: "chip", "aria-label": "Remove outlet filter " + o },
        o, el("span", { "aria-hidden": "true", text: " ×" }));
      b.addEventListener("click", () => toggleOutlet(o));
      els.chosen.appendChild(b);
    }
  }

  function toggleOutlet(name) {
    const outlets = state.outlets.includes(name)
      ? state.outlets.filter((o) => o !== name)
      : state.outlets.concat([name]);
    go({ ...state, outlets, page: 1, article: "" }, true);
  }

  // ---- coverage chart ----------------------------------------------------------

  async function loadTrend() {
    const params = filterParams(state);
    const key = params.toString();
    if (lastTrend && lastTrend.key === key) {
      drawChart(lastTrend.data);
      return;
    }
    if (trendAbort) trendAbort.abort();
    trendAbort = new AbortController();
    const signal = trendAbort.signal;
    try {
      // Months first; years when that is too many bars, weeks or days when too few.
      let data = await fetchTrend(params, "month", signal);
      const n = data.series[0] ? data.series[0].points.length : 0;
      if (n > 120) data = await fetchTrend(params, "year", signal);
      else if (n > 0 && n <= 2) data = await fetchTrend(params, n === 1 ? "day" : "week", signal);
      lastTrend = { key, data };
      drawChart(data);
    } catch (err) {
      if (err.name === "AbortError") return;
      els.chartSection.hidden = true;
    }
  }

  function fetchTrend(params, by, signal) {
    const p = new URLSearchParams(params);
    p.set("by", by);
    return api("/api/trend", p, signal);
  }

  function drawChart(data) {
    const s = data && data.series && data.series[0];
    clear(els.chart);
    if (!s || s.points.length === 0) {
      els.chartSection.hidden = true;
      return;
    }
    els.chartSection.hidden = false;
    const share = els.share.checked;
    const values = s.points.map((p) => (share ? p.share : p.count));
    const max = Math.max(...values, 0);
    const W = Math.max(280, els.chart.clientWidth || 600);
    const H = 150;
    const pad = { l: 44, r: 8, t: 10, b: 22 };
    const iw = W - pad.l - pad.r;
    const ih = H - pad.t - pad.b;
    const bw = iw / values.length;
    const label = (v) => (share ? (v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 1) + "%" : fmt(v));
    const dated = s.points.reduce((a, p) => a + p.count, 0);
    let peak = 0;
    values.forEach((v, i) => { if (v > values[peak]) peak = i; });
    const root = svg("svg", {
      viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", class: "chart-svg",
      "aria-label": "Matching articles per " + data.by + ", " + s.points[0].period + " to " +
        s.points[s.points.length - 1].period + ": " + fmt(dated) + " dated; most in " +
        s.points[peak].period + " (" + label(values[peak]) + ")",
    });
    // Axis and gridline at the maximum.
    root.appendChild(svg("line", { x1: pad.l, y1: pad.t + ih, x2: W - pad.r, y2: pad.t + ih, class: "axis" }));
    root.appendChild(svg("line", { x1: pad.l, y1: pad.t, x2: W - pad.r, y2: pad.t, class: "grid" }));
    const text = (x, y, t, anchor) => {
      const e = svg("text", { x, y, "text-anchor": anchor, class: "tick" });
      e.textContent = t;
      root.appendChild(e);
    };
    text(pad.l - 6, pad.t + 4, label(max), "end");
    text(pad.l - 6, pad.t + ih, "0", "end");
    values.forEach((v, i) => {
      const h = max > 0 ? (v / max) * ih : 0;
      const x = pad.l + i * bw;
      const p = s.points[i];
      const bar = svg("rect", {
        x: (x + Math.min(1, bw * 0.1)).toFixed(2), y: (pad.t + ih - h).toFixed(2),
        width: Math.max(0.5, bw - Math.min(2, bw * 0.2)).toFixed(2), height: h.toFixed(2),
        class: "bar",
      });
      const tip = svg("title", {});
      tip.textContent = p.period + ": " + fmt(p.count) + " of " + fmt(p.total) + " articles (" +
        (p.share * 100).toFixed(1) + "%)";
      bar.appendChild(tip);
      bar.addEventListener("click", () => narrowTo(p.period));
      root.appendChild(bar);
    });
    const first = s.points[0].period;
    const lastP = s.points[s.points.length - 1].period;
    text(pad.l, H - 6, first, "start");
    if (s.points.length > 1) text(W - pad.r, H - 6, lastP, "end");
    els.chart.appendChild(root);
    const note = s.undated > 0 ? fmt(s.undated) + " matching articles have no date and are not in the chart. " : "";
    els.chart.appendChild(el("p", { class: "hint", text: note + "Click a bar to search that " + data.by + "." }));
  }

  // A period label (2018, 2018-01, 2018-W03, 2018-01-16) is also a date form the
  // API takes for from/to.
  function narrowTo(period) {
    go({ ...state, from: period, to: period, page: 1, article: "" }, true);
  }

  // ---- article view ----------------------------------------------------------

  async function showArticle(id) {
    els.searchView.hidden = true;
    els.articleView.hidden = false;
    els.articleTitle.textContent = "Loading…";
    clear(els.articleMeta);
    clear(els.articleSource);
    clear(els.articleBody);
    try {
      const a = await api("/api/articles/" + encodeURIComponent(id));
      if (state.article !== id) return;
      showError(null);
      els.articleTitle.textContent = a.title && a.title.trim() ? a.title : "(untitled)";
      els.articleMeta.textContent = [a.date || "undated", a.outlet, a.author].filter((x) => x).join(" · ");
      const link = safeHttpUrl(a.url);
      if (link) {
        els.articleSource.appendChild(document.createTextNode("Original: "));
        els.articleSource.appendChild(el("a", { href: link, rel: "noopener noreferrer", target: "_blank", text: a.url }));
      } else if (a.url) {
        els.articleSource.textContent = "Original: " + a.url;
      }
      if (a.path) {
        els.articleSource.appendChild(el("span", { class: "path", text: (link || a.url ? " · file " : "File ") + a.path }));
      }
      for (const para of (a.body || "").split(/\n\s*\n/)) {
        if (para.trim()) els.articleBody.appendChild(el("p", { text: para.trim() }));
      }
      els.articleTitle.focus();
    } catch (err) {
      els.articleTitle.textContent = err.status === 404 ? "Article not found" : "Could not load the article";
      els.articleBody.appendChild(el("p", { text: err.message }));
    }
  }

  // Only http(s) links become clickable: a stored "javascript:" URL stays text.
  function safeHttpUrl(u) {
    if (!u) return null;
    try {
      const parsed = new URL(u);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_) {
      return null;
    }
  }

  // ---- events ----------------------------------------------------------------

  els.form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = els.q.value.trim();
    if (!q) {
      showError({ message: "Type a query (or * for every article).", parameter: "q" });
      return;
    }
    lastSearchKey = "";
    go({ ...state, q, from: els.from.value.trim(), to: els.to.value.trim(),
      sort: els.sort.value, page: 1, article: "" }, true);
    els.results.focus({ preventScroll: true });
  });
  els.sort.addEventListener("change", () => {
    if (state.q) go({ ...state, sort: els.sort.value, page: 1, article: "" }, true);
  });
  els.prev.addEventListener("click", () => {
    go({ ...state, page: Math.max(1, state.page - 1) }, true);
    els.results.focus();
  });
  els.next.addEventListener("click", () => {
    go({ ...state, page: state.page + 1 }, true);
    els.results.focus();
  });
  els.back.addEventListener("click", () => {
    if (cameFromResults) history.back();
    else go({ ...state, article: "" }, true);
  });
  els.share.addEventListener("change", () => { if (lastTrend) drawChart(lastTrend.data); });
  window.addEventListener("popstate", () => {
    state = readUrl();
    cameFromResults = false;
    render();
  });
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (lastTrend && !els.chartSection.hidden) drawChart(lastTrend.data); }, 150);
  });
  document.addEventListener("keydown", (ev) => {
    // "/" jumps to the search box, as on many search sites.
    if (ev.key === "/" && document.activeElement && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      ev.preventDefault();
      els.q.focus();
      els.q.select();
    } else if (ev.key === "Escape" && !els.articleView.hidden) {
      els.back.click();
    }
  });

  state = readUrl();
  render();
  if (!state.q && !state.article) els.q.focus();
})();
