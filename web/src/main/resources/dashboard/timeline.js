// Where the time went: one lane per worker slot, a bar per test attempt from its start to its end, coloured by
// outcome; an earlier attempt of a test run again is dashed, a rerun's final attempt outlined in black, a result a
// speculative twin ran first outlined in blue, and a result the coordinator made itself (a lost worker, a missing
// result) a red mark where it was cut. Apache ECharts draws it;
// a table of the same bars is there for a screen reader.

import { fill, fmt, h } from "./dom.js";

export const COLOURS = { passed: "#2e7d32", failed: "#c62828", error: "#8e24aa", skipped: "#757575",
  xfailed: "#5d7e9a", xpassed: "#ef6c00" };

/** The bars: every attempt of every test, with its worker, start and end (ms). */
export function bars(view) {
  const out = [];
  for (const p of view.projects) {
    for (const t of p.tests || []) {
      for (const a of t.attempts || []) {
        out.push({ test: t.nodeid, project: p.name, worker: a.worker, outcome: a.outcome, kind: "earlier attempt",
          start: Date.parse(a.started_at || a.finished_at), end: Date.parse(a.finished_at), cut: !a.started_at });
      }
      out.push({ test: t.nodeid, project: p.name, worker: t.worker, outcome: t.outcome,
        kind: t.attempts ? (t.flaky ? "rerun (flaky)" : "rerun") : t.twin ? "twin (ran first)" : "run",
        start: Date.parse(t.started_at || t.finished_at), end: Date.parse(t.finished_at), cut: !t.started_at });
    }
  }
  return out.filter((b) => Number.isFinite(b.end)).sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Packs each worker's bars into lanes, one per slot as it was used: a bar goes to the first lane free at its start. */
export function lanes(list) {
  const byWorker = new Map();
  for (const b of list) {
    const w = b.worker || "(no worker)";
    if (!byWorker.has(w)) byWorker.set(w, []);
    const ends = byWorker.get(w);
    let lane = ends.findIndex((end) => end <= b.start);
    if (lane < 0) { lane = ends.length; ends.push(0); }
    ends[lane] = Math.max(b.end, b.start);
    b.lane = `${w} #${lane + 1}`;
  }
  return [...byWorker.entries()].flatMap(([w, ends]) => ends.map((_, i) => `${w} #${i + 1}`));
}

export function timeline(box, view, chart) {
  const list = bars(view);
  const names = lanes(list);
  if (chart) chart.dispose();
  const area = h("div", { class: "timeline", role: "img", "aria-label": `Timeline of ${list.length} test runs on ${names.length} worker slots` });
  const table = h("details", {}, h("summary", {}, "The timeline as a table"), h("div", { class: "table-wrap" },
    h("table", { class: "list" }, h("thead", {}, h("tr", {}, ["slot", "test", "kind", "outcome", "start", "end"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, list.slice(0, 1000).map((b) => h("tr", {}, h("td", {}, b.lane), h("td", {}, b.test), h("td", {}, b.cut ? "cut (no result)" : b.kind),
        h("td", {}, b.outcome), h("td", {}, new Date(b.start).toLocaleTimeString()), h("td", {}, new Date(b.end).toLocaleTimeString())))))));
  fill(box, h("h2", { id: "timeline-h" }, "Timeline"), list.length ? [area, table] : h("p", {}, "No test has run yet."));
  if (!list.length || !window.echarts) return null;
  area.style.height = `${Math.max(160, 34 * names.length + 70)}px`;
  const c = window.echarts.init(area, null, { renderer: "canvas" });
  const t0 = list[0].start;
  c.setOption({
    animation: false,
    grid: { left: 150, right: 20, top: 20, bottom: 40 },
    tooltip: { formatter: (p) => {
      const b = list[p.dataIndex];
      return `${escape(b.test)}<br>${b.cut ? "cut: no result came" : escape(b.kind)} · ${b.outcome} · ${fmt.seconds((b.end - b.start) / 1000)}`;
    } },
    xAxis: { type: "value", min: 0, name: "seconds", axisLabel: { formatter: (v) => (v / 1000).toFixed(1) } },
    yAxis: { type: "category", data: names, inverse: true },
    series: [{
      type: "custom",
      encode: { x: [1, 2], y: 0 },
      data: list.map((b) => [names.indexOf(b.lane), b.start - t0, Math.max(b.end - t0, b.start - t0 + 30)]),
      renderItem: (params, api) => {
        const b = list[params.dataIndex];
        const lane = api.value(0);
        const start = api.coord([api.value(1), lane]);
        const end = api.coord([api.value(2), lane]);
        const height = api.size([0, 1])[1] * 0.6;
        const colour = COLOURS[b.outcome] || "#444";
        if (b.cut) {
          return { type: "group", children: [
            { type: "line", shape: { x1: end[0], y1: end[1] - height, x2: end[0], y2: end[1] + height }, style: { stroke: "#c62828", lineWidth: 3 } },
            { type: "text", style: { text: "✕", x: end[0] + 3, y: end[1] - 8, fill: "#c62828", font: "bold 14px sans-serif" } }] };
        }
        return { type: "rect", shape: { x: start[0], y: start[1] - height / 2, width: Math.max(2, end[0] - start[0]), height },
          style: b.kind === "earlier attempt"
            ? { fill: "#fff", stroke: colour, lineWidth: 2, lineDash: [4, 2] }
            : { fill: colour, stroke: b.kind.startsWith("rerun") ? "#000" : b.kind.startsWith("twin") ? "#1565c0" : colour,
              lineWidth: b.kind === "run" ? 0 : 2 } };
      },
    }],
  });
  const watch = new ResizeObserver(() => c.resize());
  watch.observe(area);
  return { dispose: () => { watch.disconnect(); c.dispose(); } };
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch]));
}
