/* The workshop's phone page (LEARN dashboard): the questionnaire in four steps,
   the room's result after the facilitator's reveal and the dot vote. Talks
   only to this server (mitmachen/api/...); builds every element with
   textContent, never from markup, so no text of a workshop can become code. */
"use strict";

(function () {
  const BASE = document.body.dataset.base || "";
  // the texts the page needs before it has joined (the code form), from the server's texts file
  const FIRST = JSON.parse(document.getElementById("first-texts").textContent);
  const API = BASE + "/mitmachen/api/";
  const POLL_MS = 1000;
  const S = {
    code: "", lang: "de", data: null, answers: {}, group: null, step: 0, submitted: false,
    phase: null, results: null, resultsSeq: null, given: {}, sending: 0, queued: null, error: "",
  };
  const view = document.getElementById("view");
  const status = document.getElementById("status");

  // ------------------------------------------------------------------ helpers
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
  }
  function tx(name, values) { return fill((S.data && S.data.texts[name]) || name, values || {}); }
  function box(kind, text) { return el("div", { class: "box " + kind, role: kind === "error" ? "alert" : null, text }); }
  function save() {
    try { sessionStorage.setItem("learn_answers_" + S.code, JSON.stringify({ a: S.answers, g: S.group })); } catch (e) { /* private mode */ }
  }
  function restore() {
    try {
      const held = JSON.parse(sessionStorage.getItem("learn_answers_" + S.code) || "null");
      if (held && typeof held === "object") { S.answers = held.a || {}; S.group = held.g || null; }
    } catch (e) { S.answers = {}; }
  }
  async function api(action, body) {
    const options = body === undefined ? { credentials: "same-origin" } : {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    };
    const url = body === undefined
      ? API + action + "?code=" + encodeURIComponent(S.code) + "&lang=" + S.lang
      : API + action;
    let response;
    try { response = await fetch(url, options); } catch (e) { return { ok: false, status: 0, data: {} }; }
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return { ok: response.ok, status: response.status, data };
  }
  function setLang(lang) {
    S.lang = lang === "en" ? "en" : "de";
    document.documentElement.lang = S.lang;
    for (const b of document.querySelectorAll("#langs button")) b.setAttribute("aria-pressed", String(b.dataset.lang === S.lang));
    try { localStorage.setItem("learn_lang", S.lang); } catch (e) { /* private mode */ }
  }
  function top() { window.scrollTo(0, 0); document.getElementById("main").focus({ preventScroll: true }); }

  // ------------------------------------------------------------------ join
  function codeForm(message) {
    view.replaceChildren();
    const input = el("input", { type: "text", id: "code", maxlength: 12, autocomplete: "off", autocapitalize: "characters",
                                "aria-describedby": "code-help", value: S.code });
    const form = el("form", { on: { submit: (ev) => { ev.preventDefault(); S.code = input.value.trim().toUpperCase(); join(true); } } },
      el("label", { class: "field", for: "code", text: FIRST[S.lang].code_label }), input,
      el("p", { id: "code-help", class: "note", text: FIRST[S.lang].code_intro }),
      el("button", { type: "submit", class: "primary", text: FIRST[S.lang].code_button }));
    if (message) view.append(box("error", message));
    view.append(form);
  }

  async function join(fresh) {
    if (!S.code) { codeForm(""); return; }
    const url = new URL(location.href);
    url.searchParams.set("join", S.code);
    history.replaceState(null, "", url);
    const r = await api("join", { code: S.code, lang: S.lang });
    if (!r.ok) { codeForm(r.data.error || tx("offline")); return; }
    const firstJoin = !S.data || S.data.code !== r.data.code;
    S.data = r.data; S.code = r.data.code;
    S.phase = { revealed: r.data.revealed, seq: r.data.seq, closed: r.data.closed };
    S.submitted = r.data.submitted; S.given = r.data.given || {};
    if (firstJoin) { restore(); S.step = 0; }
    S.results = null; S.resultsSeq = null;
    document.getElementById("title").textContent = r.data.title;
    document.title = r.data.title + " – LEARN-Workshop";
    footer();
    await render();
    if (fresh) top();
    poll();
  }

  function footer() {
    const foot = document.getElementById("footer");
    foot.replaceChildren(...(S.data.links || []).map((l) => el("a", { href: l.url, text: l.label, rel: "noopener" })));
  }

  // ------------------------------------------------------------------ questionnaire
  function privacy() {
    const p = S.data.privacy;
    const body = el("div", { class: "privacy" }, ...p.lines.map((line) => el("p", {},
      line.label ? el("strong", { text: line.label + ": " }) : null, line.text)));
    if (p.more) body.append(el("p", {}, el("a", { href: p.more.url, text: p.more.label, rel: "noopener" })));
    return el("div", {}, el("p", { class: "note", text: tx("privacy_short") }),
      el("details", {}, el("summary", { text: tx("privacy_title") }), body));
  }

  function answeredCount() {
    return Object.values(S.answers).filter((v) => v !== null && v !== undefined && v !== S.data.instrument.no_answer).length;
  }

  function questions() {
    const inst = S.data.instrument, dims = inst.dimensions, dim = dims[S.step], last = S.step === dims.length - 1;
    const total = dims.reduce((n, d) => n + d.items.length, 0);
    const part = el("section", { "aria-labelledby": "dim-title" });
    if (S.phase.closed) part.append(box("warn", tx("closed")));
    const stepText = tx("step", { i: S.step + 1, n: dims.length });
    part.append(el("label", { class: "note", for: "progress", text: stepText }),
      el("progress", { id: "progress", max: dims.length, value: S.step + 1, "aria-label": stepText }));
    if (S.step === 0) {
      part.append(privacy(), el("p", { class: "note", text: tx("intro") }));
      if (S.data.groups.length) {
        const select = el("select", { id: "group", on: { change: (ev) => { S.group = ev.target.value || null; save(); } } },
          el("option", { value: "", text: tx("group_none") }),
          ...S.data.groups.map((g) => el("option", { value: g, text: g, selected: g === S.group })));
        part.append(el("label", { class: "field", for: "group", text: tx("group_label") }), select);
      }
    }
    part.append(el("h2", { id: "dim-title", text: dim.name }), el("p", { class: "note", text: dim.description }));
    const counter = el("p", { class: "note", "aria-live": "polite", text: tx("answered", { n: answeredCount(), total }) });
    const scale = [...inst.scale, { value: inst.no_answer, label: tx("no_answer") }];
    for (const item of dim.items) {
      const options = el("div", { class: "options" }, ...scale.map((opt) => el("label", {},
        el("input", { type: "radio", name: "item-" + item.id, value: opt.value, checked: S.answers[item.id] === opt.value,
                      on: { change: () => { S.answers[item.id] = opt.value; save(); counter.textContent = tx("answered", { n: answeredCount(), total }); } } }),
        el("span", { text: opt.label }))));
      part.append(el("fieldset", { class: "item" }, el("legend", { text: item.text }), options));
    }
    part.append(counter);
    const note = el("div", {});
    part.append(note);
    if (last) {
      const send = el("button", { type: "button", class: "primary", text: tx("submit"), disabled: S.phase.closed });
      send.addEventListener("click", async () => {
        if (!answeredCount()) { note.replaceChildren(box("error", tx("none_answered"))); return; }
        send.disabled = true; status.textContent = tx("sending");
        const r = await api("submit", { code: S.code, answers: S.answers, group: S.group, lang: S.lang });
        send.disabled = false; status.textContent = "";
        if (!r.ok) { note.replaceChildren(box("error", r.data.error || tx("offline"))); return; }
        S.submitted = true; await render(); top();
      });
      part.append(send);
    } else {
      part.append(el("button", { type: "button", class: "primary", text: tx("next"), on: { click: () => { S.step += 1; render(); top(); } } }));
    }
    if (S.step) part.append(el("button", { type: "button", class: "secondary", text: tx("back"), on: { click: () => { S.step -= 1; render(); top(); } } }));
    return part;
  }

  // ------------------------------------------------------------------ the room's result
  function radar(dims) {
    const w = 520, h = 390, cx = w / 2, c = h / 2, r = 115, n = dims.length, ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    const summary = dims.map((d) => d.name + " " + (d.score === null ? "–" : d.score_text)).join("; ");
    const label = tx("radar_label", { values: summary });
    for (const [k, v] of Object.entries({ viewBox: `0 0 ${w} ${h}`, class: "radar", role: "img", "aria-label": label })) svg.setAttribute(k, v);
    const add = (tag, attrs, text) => {
      const node = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      if (text !== undefined) node.textContent = text;
      svg.append(node); return node;
    };
    add("title", {}, label);
    const at = (i, value) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      return [cx + Math.cos(a) * r * value / 100, c + Math.sin(a) * r * value / 100];
    };
    const rings = [25, 50, 75, 100];
    for (const ring of rings) {
      add("polygon", { points: dims.map((_, i) => at(i, ring).join(",")).join(" "), fill: "none", stroke: "#c9d2db", "stroke-width": 1 });
    }
    dims.forEach((d, i) => {
      const [x, y] = at(i, 100);
      add("line", { x1: cx, y1: c, x2: x, y2: y, stroke: "#c9d2db" });
      const [lx, ly] = at(i, 122);
      const anchor = Math.abs(lx - cx) < 4 ? "middle" : lx > cx ? "start" : "end";
      const dy = ly < c - 4 ? -22 : ly > c + 4 ? 16 : -6;
      add("text", { x: lx, y: ly + dy, "text-anchor": anchor, "font-size": 17, "font-weight": 700 }, d.name);
      add("text", { x: lx, y: ly + dy + 17, "text-anchor": anchor, "font-size": 17 }, d.score === null ? "–" : d.score_text);
    });
    if (dims.every((d) => d.score !== null)) {
      add("polygon", { points: dims.map((d, i) => at(i, d.score).join(",")).join(" "), fill: "rgba(31,95,139,0.25)", stroke: "#1f5f8b", "stroke-width": 3 });
    }
    dims.forEach((d, i) => { if (d.score !== null) { const [x, y] = at(i, d.score); add("circle", { cx: x, cy: y, r: 5, fill: "#1f5f8b" }); } });
    // the ring values on the bisector of the first two axes, where the rings' edges lie, over the polygon
    // with a white halo: on the first axis they sat on its line and under its point
    const bisector = -Math.PI / 2 + Math.PI / n, edge = Math.cos(Math.PI / n);
    for (const ring of rings) {
      add("text", { x: cx + Math.cos(bisector) * r * edge * ring / 100 + 2, y: c + Math.sin(bisector) * r * edge * ring / 100 - 2,
                    "font-size": 11, fill: "#4a5560", stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke",
                    class: "ring-value" }, String(ring));
    }
    return svg;
  }

  function table(res) {  // a data table may scroll on its own on a narrow screen; the page does not (WCAG 1.4.10)
    return el("div", { class: "tablewrap", tabindex: 0, role: "region", "aria-label": tx("table") }, el("table", {}, el("caption", { class: "note", text: tx("results_caption_room", { n: res.n }) }),
      el("thead", {}, el("tr", {}, ...res.columns.map((name) => el("th", { scope: "col", text: name })))),
      el("tbody", {}, ...res.dimensions.map((d) => el("tr", {},
        el("th", { scope: "row", text: d.name }), el("td", { text: d.score === null ? d.hidden_text : d.score_text }),
        el("td", { text: d.ci_text }), el("td", { text: d.favourable_text }), el("td", { text: d.level_text }))))));
  }

  function used() { return Object.values(S.given).reduce((a, b) => a + b, 0); }

  function voteSection(res) {
    const part = el("section", { "aria-labelledby": "vote-title" }, el("h2", { id: "vote-title", text: tx("vote_title") }));
    if (!res.measures.length) { part.append(box("info", tx("no_measures"))); return part; }
    const left = el("div", { class: "dotsleft", role: "status", "aria-live": "polite" });
    const note = el("div", {});
    part.append(el("p", { class: "note", text: tx("vote_rule") }), left, note);
    const cards = [];
    const paint = () => {
      const free = S.data.dots - used();
      left.textContent = tx("dots_left", { n: free, dots: S.data.dots });
      for (const card of cards) card.paint(free);
    };
    const send = async () => {  // one request at a time, always the latest allocation
      if (S.sending) { S.queued = true; return; }
      S.sending = 1; S.queued = false;
      const wanted = { ...S.given };
      const r = await api("vote", { code: S.code, given: wanted, lang: S.lang });
      S.sending = 0;
      if (r.ok) {
        note.replaceChildren();
        if (!S.queued) { S.given = r.data.given; paint(); }
      } else {
        note.replaceChildren(box("error", r.data.error || tx("offline")));
        const back = await api("join", { code: S.code, lang: S.lang });  // what the server holds
        if (back.ok) { S.given = back.data.given || {}; paint(); }
      }
      if (S.queued) send();
    };
    const tap = (id, delta) => {
      const n = S.given[id] || 0;
      if (delta > 0 && (used() >= S.data.dots || n >= S.data.per_measure)) return;
      if (delta < 0 && n === 0) return;
      S.given = { ...S.given, [id]: n + delta };
      if (!S.given[id]) delete S.given[id];
      paint(); send();
    };
    for (const m of res.measures) {
      const dots = el("p", { class: "dots" });
      const plus = el("button", { type: "button", class: "primary", text: tx("dot_add"), "aria-label": tx("dot_add") + ": " + m.title, on: { click: () => tap(m.id, 1) } });
      const minus = el("button", { type: "button", class: "secondary", text: tx("dot_take"), "aria-label": tx("dot_take") + ": " + m.title, on: { click: () => tap(m.id, -1) } });
      part.append(el("article", { class: "measure" }, el("h3", { text: m.title }), el("p", { class: "dim", text: m.dimension }), dots,
        el("div", { class: "row" }, plus, minus), el("details", {}, el("summary", { text: tx("why") }), el("p", { text: m.why }))));
      cards.push({ paint: (free) => {
        const n = S.given[m.id] || 0;
        dots.replaceChildren(el("span", { class: "pips", "aria-hidden": "true", text: "●".repeat(n) + "○".repeat(Math.max(0, S.data.per_measure - n)) }),
          " " + tx(n === 1 ? "dot_on" : "dots_on", { n }));
        plus.disabled = S.phase.closed || free <= 0 || n >= S.data.per_measure;
        minus.disabled = S.phase.closed || n === 0;
      } });
    }
    paint();
    return part;
  }

  async function results() {
    const part = el("section", { "aria-labelledby": "res-title" });
    if (S.results === null || S.resultsSeq !== S.phase.seq) {
      const r = await api("results");
      if (!r.ok) { part.append(box(r.status === 409 ? "info" : "error", r.data.error || tx("offline"))); return part; }
      S.results = r.data; S.resultsSeq = S.phase.seq;
    }
    const res = S.results;
    if (res.too_few) { part.append(box("info", res.too_few)); return part; }
    part.append(el("h2", { id: "res-title", text: tx("results_title") }), radar(res.dimensions),
      el("p", { class: "legend" }, el("span", { class: "swatch", "aria-hidden": "true" }), tx("this_workshop")),
      el("p", { class: "note", text: tx("results_caption_room", { n: res.n }) }),
      el("details", {}, el("summary", { text: tx("table") }), table(res)));
    return el("div", {}, part, voteSection(res));
  }

  // ------------------------------------------------------------------ the views
  let rendering = Promise.resolve();
  function render() {
    rendering = rendering.then(draw, draw);
    return rendering;
  }
  async function draw() {
    if (!S.submitted) { view.replaceChildren(questions()); return; }
    const parts = [];
    if (S.phase.closed) parts.push(box("warn", tx("closed")));
    parts.push(box("ok", tx("thanks")));
    if (!S.phase.closed) {
      parts.push(el("button", { type: "button", class: "secondary", text: tx("change"), title: tx("change_help"),
        on: { click: () => { S.submitted = false; S.step = 0; render(); top(); } } }),
        el("p", { class: "note", text: tx("change_help") }));
    }
    if (!S.phase.revealed) parts.push(box("info", tx("waiting")));
    else parts.push(await results());
    view.replaceChildren(...parts);
  }

  // ------------------------------------------------------------------ following the facilitator
  let timer = null;
  function poll() {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (document.visibilityState === "hidden" || !S.data) { poll(); return; }
      const r = await api("state");
      if (!r.ok) {
        status.textContent = r.status === 0 ? tx("offline") : (r.data.error || "");
        timer = setTimeout(poll, 2 * POLL_MS); return;
      }
      if (status.textContent === tx("offline")) status.textContent = "";
      const now = r.data, was = S.phase;
      S.phase = now;
      if (now.revealed !== was.revealed || now.seq !== was.seq || now.closed !== was.closed) {
        if (S.submitted || now.closed !== was.closed) await render();
      }
      poll();
    }, POLL_MS);
  }
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible" && S.data) poll(); });

  // ------------------------------------------------------------------ start
  const params = new URLSearchParams(location.search);
  let preferred = params.get("lang");
  try { preferred = preferred || localStorage.getItem("learn_lang"); } catch (e) { /* private mode */ }
  setLang(preferred || "de");  // German first; English when chosen (the choice is kept on this phone)
  for (const b of document.querySelectorAll("#langs button")) {
    b.addEventListener("click", () => { setLang(b.dataset.lang); if (S.data) join(false); else codeForm(""); });
  }
  S.code = (params.get("join") || "").trim().toUpperCase();
  join(true);
})();
