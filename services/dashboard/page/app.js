// The dashboard page: one server-sent event stream (/events) brings everything, first whole,
// then what changed after each flush; the chart is TradingView's lightweight-charts, served
// by the dashboard itself. One symbol's series is loaded at a time (chosen in the select).
const LC = window.LightweightCharts;
const $ = (id) => document.getElementById(id);
const MAX_POSTS = 50;
const COLORS = { up: "#16a34a", down: "#dc2626", upVol: "#166534", downVol: "#7f1d1d", partial: "#a3a3a3" };
const LABEL_COLORS = { positive: "#16a34a", neutral: "#94a3b8", negative: "#dc2626" };
const LINE_COLORS = ["#38bdf8", "#f472b6", "#facc15", "#a78bfa", "#fb923c"];

const state = {
  dataset: decodeURIComponent(location.hash.slice(1)) || undefined,
  tables: [],
  services: [],
  statuses: [],
  events: undefined,
  fitted: false,
};

const chart = LC.createChart($("chart"), {
  autoSize: true,
  layout: {
    background: { color: "#111827" },
    textColor: "#cbd5e1",
    panes: { separatorColor: "#334155", enableResize: true },
  },
  grid: { vertLines: { color: "#1f2937" }, horzLines: { color: "#1f2937" } },
  timeScale: { timeVisible: true, secondsVisible: true, borderColor: "#334155" },
  rightPriceScale: { borderColor: "#334155" },
});
const candles = chart.addSeries(LC.CandlestickSeries, {
  upColor: COLORS.up,
  downColor: COLORS.down,
  wickUpColor: COLORS.up,
  wickDownColor: COLORS.down,
  borderVisible: false,
});
// Windows a recorded gap overlaps (the rows' gap flag): marked under their candles.
const gapMarkers = LC.createSeriesMarkers(candles, []);
const gaps = new Map(); // chart time -> gap flag (1 filled, 2 events may be missing) or "missing" (none came)
const volume = chart.addSeries(LC.HistogramSeries, { priceFormat: { type: "volume" } }, 1);
const missingMarkers = LC.createSeriesMarkers(volume, []);
const means = new Map(); // "score_mean" or "score_mean/<source>" -> line series (pane 2)
// Panes are numbered in order of creation: the mean pane (2) must exist before the labels' (3).
meanLine("score_mean");
const labels = Object.fromEntries(
  Object.entries(LABEL_COLORS).map(([l, color]) => [l, chart.addSeries(LC.LineSeries, { color, lineWidth: 1 }, 3)]),
);
chart.panes()[0].setStretchFactor(3);

// Tests read the chart's own data through these (series.data()), not the server's messages;
// latencies: ms from the processor's write of a file version to its update on this page.
const latencies = [];
window.dashboard = { chart, candles, gapMarkers, volume, missingMarkers, means, labels, state, latencies };

function heard(msg) {
  if (msg.mode !== "append" || msg.fileTime === undefined) return;
  latencies.push(Date.now() - msg.fileTime);
  if (latencies.length > 200) latencies.shift();
}

// "score_mean" is the mean over every source's posts; "score_mean/bluesky" one source's.
// A function declaration: meanLine("score_mean") runs above, before a const would exist.
function lineName(key) {
  return key.includes("/") ? key.replace(/_mean\//, " mean, ") : key.replace(/_mean/, " mean, all");
}

function meanLine(key) {
  let s = means.get(key);
  if (!s) {
    const color = LINE_COLORS[means.size % LINE_COLORS.length];
    s = chart.addSeries(LC.LineSeries, { color, lineWidth: 2, title: lineName(key).replace(/ mean/, "") }, 2);
    if (means.size === 0)
      s.createPriceLine({ price: 0, color: "#475569", lineWidth: 1, lineStyle: 2, axisLabelVisible: false });
    means.set(key, s);
    renderLegend();
  }
  return s;
}

function renderLegend() {
  const parts = [...means.keys()].map((k, i) => [lineName(k), LINE_COLORS[i % LINE_COLORS.length]]);
  parts.push(...Object.entries(LABEL_COLORS));
  $("legend").replaceChildren(
    ...parts.map(([name, color]) => {
      const s = document.createElement("span");
      s.style.color = color;
      s.textContent = `■ ${name}`;
      return s;
    }),
  );
}

function candle(p) {
  if (p.missing) return { time: p.time }; // no prices: a gap in the chart, marked in the volume pane
  const c = { time: p.time, open: p.open, high: p.high, low: p.low, close: p.close };
  // A window with only partial rows (complete = 0) is drawn grey: it may still change.
  return p.partial ? { ...c, color: COLORS.partial, wickColor: COLORS.partial } : c;
}
const bar = (p) =>
  p.missing
    ? { time: p.time, value: 0 }
    : { time: p.time, value: p.volume, color: p.close >= p.open ? COLORS.upVol : COLORS.downVol };

function markGaps(mode, points) {
  if (mode === "reset") gaps.clear();
  for (const p of points) {
    if (p.gap > 0) gaps.set(p.time, p.missing ? "missing" : p.gap);
    else gaps.delete(p.time);
  }
  const sorted = [...gaps].sort((a, b) => a[0] - b[0]);
  gapMarkers.setMarkers(
    sorted
      .filter(([, gap]) => gap !== "missing")
      .map(([time, gap]) =>
        gap >= 2
          ? { time, position: "belowBar", shape: "arrowUp", color: "#f97316", text: "gap" }
          : { time, position: "belowBar", shape: "circle", color: "#64748b", text: "filled" },
      ),
  );
  // A window with no events that an unfilled gap overlaps: data missing, not a quiet market.
  missingMarkers.setMarkers(
    sorted
      .filter(([, gap]) => gap === "missing")
      .map(([time]) => ({ time, position: "aboveBar", shape: "square", color: "#f97316", text: "missing" })),
  );
}

/** Applies points to a series: all of them (reset) or each in place (append). */
function apply(series, mode, points) {
  if (mode === "reset") series.setData(points);
  else for (const p of points) series.update(p);
}

function onMarket(msg) {
  if (msg.dataset !== state.dataset) return;
  $("volume-of").textContent =
    msg.volumeOf === "volume"
      ? "volume (base, sum of q)"
      : msg.volumeOf === "qty_sum"
        ? "volume (qty_sum)"
        : "volume (events per window)";
  const priced = msg.points.find((p) => !p.missing);
  if (msg.mode === "reset" && priced) {
    // Enough decimals for the symbol's price (0.4497 ADA, 64022.36 BTC).
    const precision = Math.min(8, Math.max(2, 3 - Math.floor(Math.log10(Math.abs(priced.close) || 1))));
    candles.applyOptions({ priceFormat: { type: "price", precision, minMove: 10 ** -precision } });
  }
  try {
    apply(candles, msg.mode, msg.points.map(candle));
    apply(volume, msg.mode, msg.points.map(bar));
    markGaps(msg.mode, msg.points);
  } catch {
    connect(); // out of step with the server (an update older than the last bar): start over
    return;
  }
  if (msg.mode === "reset" && !state.fitted) {
    chart.timeScale().fitContent();
    state.fitted = true;
  }
  heard(msg);
  showEmpty();
  if (!performance.getEntriesByName("first-candles").length && msg.points.length > 0) performance.mark("first-candles");
}

function onSentiment(msg) {
  if (msg.mode === "reset") {
    const lines = new Map();
    for (const p of msg.points)
      for (const [k, v] of Object.entries(p.means))
        (lines.get(k) ?? lines.set(k, []).get(k)).push({ time: p.time, value: v });
    for (const [k, s] of means) if (!lines.has(k)) s.setData([]);
    for (const [k, data] of lines) meanLine(k).setData(data);
    for (const [l, s] of Object.entries(labels))
      s.setData(msg.points.map((p) => ({ time: p.time, value: p.labels[l] })));
    return;
  }
  heard(msg);
  for (const p of msg.points) {
    for (const [k, v] of Object.entries(p.means)) meanLine(k).update({ time: p.time, value: v });
    for (const [l, s] of Object.entries(labels)) s.update({ time: p.time, value: p.labels[l] });
  }
}

const hhmmss = (ms) => new Date(ms).toISOString().slice(11, 19);

function postRow(p) {
  const tr = document.createElement("tr");
  if (!p.counted) tr.className = "late";
  tr.dataset.id = p.id;
  const cells = [
    [hhmmss(p.createdAt), new Date(p.createdAt).toISOString()],
    [p.label, p.counted ? "" : "arrived after its window closed: not counted"],
    [Number.isFinite(p.score) ? p.score.toFixed(2) : ""],
    [p.source ? `${p.lang} · ${p.source}` : p.lang],
    p.deleted ? DELETED : [p.text, p.text],
  ];
  for (const [text, title] of cells) {
    const td = document.createElement("td");
    td.textContent = text;
    if (title) td.title = title;
    tr.append(td);
  }
  tr.children[1].className = `label-${p.label}`;
  return tr;
}

const DELETED = ["(deleted by its author)", "deleted upstream: its text is no longer stored"];

function onPosts(msg) {
  const body = $("posts");
  if (msg.mode === "deleted") {
    // Deleted upstream after this page got them: the text goes, as it went from the file.
    const ids = new Set(msg.ids);
    for (const tr of body.children)
      if (ids.has(tr.dataset.id)) [tr.lastElementChild.textContent, tr.lastElementChild.title] = DELETED;
    return;
  }
  if (msg.mode === "reset") body.replaceChildren(...msg.posts.map(postRow));
  else body.prepend(...msg.posts.map(postRow));
  while (body.children.length > MAX_POSTS) body.lastElementChild.remove();
  $("posts-empty").hidden = body.children.length > 0;
}

function onTables(tables) {
  state.tables = tables;
  const select = $("symbol");
  const names = tables.map((t) => t.dataset).join(",");
  if (select.dataset.names !== names) {
    select.replaceChildren(
      ...tables.map((t) => {
        const o = document.createElement("option");
        o.value = t.dataset;
        o.textContent = tables.some((u) => u.stream !== t.stream) ? `${t.symbol} (${t.stream})` : t.symbol;
        return o;
      }),
    );
    select.dataset.names = names;
  }
  if (state.dataset === undefined && tables.length > 0) {
    select.value = tables[0].dataset;
    choose(tables[0].dataset);
    return;
  }
  if (state.dataset !== undefined) select.value = state.dataset;
  const t = tables.find((x) => x.dataset === state.dataset);
  $("symbol-info").textContent = t
    ? `${t.dataset} · ${t.rows} rows · ${tables.length} tables`
    : state.dataset
      ? `${state.dataset}: no window written yet`
      : "";
  showEmpty();
}

function showEmpty() {
  const el = $("chart-empty");
  const none = state.tables.length === 0;
  el.hidden = !none && candles.data().length > 0;
  el.textContent = none ? "No market windows in the binance store yet." : "Loading…";
}

function onFiles(f) {
  $("data-dir").textContent = f.dataDir;
  const problems = ["binance", "twitter"]
    .map((k) => f[k])
    .filter((s) => s.state !== "ok")
    .map((s) => {
      const p = document.createElement("p");
      p.dataset.state = s.state;
      p.textContent = `${s.file}: ${s.message ?? s.state}`;
      return p;
    });
  $("files").replaceChildren(...problems);
}

const rate = (v) => (v === undefined ? "–" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
function age(ms) {
  if (ms === undefined) return "none yet";
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 120 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

function renderHealth() {
  const byName = new Map(state.statuses.map((s) => [s.name, s]));
  const names = state.services.length > 0 ? state.services : [...byName.keys()];
  const cards = names.map((name) => {
    const s = byName.get(name);
    const div = document.createElement("div");
    div.className = "svc";
    div.dataset.service = name;
    div.dataset.state = s?.state ?? "unknown";
    const rejects = Object.entries(s?.rejects ?? {})
      .map(([r, n]) => `${r} ${n}`)
      .join(", ");
    const lines = [
      `${s?.state ?? "waiting"}${s?.detail ? `: ${s.detail}` : ""}`,
      `in ${rate(s?.inPerSecond)}/s · out ${rate(s?.outPerSecond)}/s`,
      `rejects: ${rejects || "none"}`,
      `last event: ${age(s?.lastEventTime)}`,
    ];
    const b = document.createElement("b");
    b.textContent = name;
    div.append(b, ...lines.map((l) => Object.assign(document.createElement("div"), { textContent: l })));
    // A processor's store: shown when its disk fills soon (the service stays up meanwhile).
    if (s?.store) div.dataset.store = s.store.state;
    if (s?.storeWarning) {
      const w = Object.assign(document.createElement("div"), { className: "store-warn", textContent: s.storeWarning });
      if (s.store?.reason) w.title = s.store.reason;
      div.append(w);
    }
    return div;
  });
  if (cards.length === 0) {
    const p = document.createElement("span");
    p.className = "muted";
    p.textContent = "No services to watch (DASHBOARD_METRICS_URLS is empty): showing the files only.";
    cards.push(p);
  }
  $("health").replaceChildren(...cards);
}

function onHealth(msg) {
  state.services = msg.services;
  state.statuses = msg.statuses;
  renderHealth();
}

function connect() {
  state.events?.close();
  const url = state.dataset ? `/events?dataset=${encodeURIComponent(state.dataset)}` : "/events";
  const es = new EventSource(url);
  state.events = es;
  const on = (name, fn) => es.addEventListener(name, (e) => fn(JSON.parse(e.data)));
  // The table the server will stream (its first one when the page named none).
  on("hello", (m) => {
    state.dataset = m.dataset;
    if (m.dataset) history.replaceState(null, "", `#${encodeURIComponent(m.dataset)}`);
  });
  on("files", onFiles);
  on("tables", onTables);
  on("market", onMarket);
  on("sentiment", onSentiment);
  on("posts", onPosts);
  on("health", onHealth);
  es.onopen = () => Object.assign($("connection"), { textContent: "live" }).setAttribute("data-state", "live");
  es.onerror = () =>
    Object.assign($("connection"), { textContent: "connection lost: retrying…" }).setAttribute("data-state", "lost");
}

function choose(dataset) {
  state.dataset = dataset;
  state.fitted = false;
  history.replaceState(null, "", `#${encodeURIComponent(dataset)}`);
  candles.setData([]);
  volume.setData([]);
  markGaps("reset", []);
  connect();
}

$("symbol").addEventListener("change", (e) => choose(e.target.value));
setInterval(renderHealth, 1000); // "last event ... ago" keeps counting between updates
renderLegend();
renderHealth();
connect();
