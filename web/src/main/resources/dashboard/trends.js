// A project by its name across the evaluations the key sees: its 20 slowest tests, each one's durations over time,
// and the tests that flipped between passing and failing (flaky).

import { ApiError, get } from "./api.js";
import { fill, fmt, h } from "./dom.js";

export async function trendsPage(main) {
  const names = await get("projects");
  const params = new URLSearchParams(location.search);
  const select = h("select", { id: "project", name: "project" }, names.map((n) => h("option", { value: n, selected: n === params.get("project") }, n)));
  const out = h("div", {});
  fill(main, h("h1", {}, "Trends"),
    names.length === 0 ? h("p", {}, "No evaluation has ended yet.") : h("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); show(); } },
      h("label", { for: "project" }, "Project"), select, h("button", { type: "submit" }, "Show")), out);
  let charts = [];
  async function show() {
    charts.forEach((c) => c.dispose());
    charts = [];
    const name = select.value;
    history.replaceState({}, "", `${location.pathname}?project=${encodeURIComponent(name)}`);
    const path = `projects/${encodeURIComponent(name)}`;
    const [slowest, flaky] = await Promise.all([get(`${path}/slowest`), get(`${path}/flaky`).catch((e) => {
      if (e instanceof ApiError && e.status === 404) return { tests: [] };
      throw e;
    })]);
    const chartArea = h("div", { class: "chart wide", role: "img", "aria-label": `Durations of the slowest tests of ${name} per evaluation` });
    fill(out,
      h("h2", {}, `The 20 slowest tests of ${name}`),
      h("p", { class: "meta" }, `over ${slowest.evaluations} ended evaluations`),
      chartArea,
      h("div", { class: "table-wrap" }, h("table", { class: "list" },
        h("thead", {}, h("tr", {}, ["test", "last", "mean", "runs"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, slowest.tests.map((t) => h("tr", {}, h("td", { class: "nodeid" }, t.nodeid),
          h("td", { class: "num" }, fmt.seconds(t.last)), h("td", { class: "num" }, fmt.seconds(t.mean)),
          h("td", { class: "num" }, t.runs.length)))))),
      h("h2", {}, "Flaky tests"),
      flaky.tests.length === 0 ? h("p", {}, "No test of this project flipped between passing and failing.")
        : h("div", { class: "table-wrap" }, h("table", { class: "list" },
          h("thead", {}, h("tr", {}, ["test", "runs", "passed", "failed", "flips", "last"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, flaky.tests.map((t) => h("tr", {}, h("td", { class: "nodeid" }, t.nodeid), h("td", { class: "num" }, t.runs),
            h("td", { class: "num" }, t.passed), h("td", { class: "num" }, t.failed), h("td", { class: "num" }, t.flips),
            h("td", {}, `${t.last_outcome} (#${t.last_evaluation})`)))))));
    if (window.echarts && slowest.tests.length) {
      const c = window.echarts.init(chartArea);
      const evaluations = [...new Set(slowest.tests.flatMap((t) => t.runs.map((r) => r.evaluation)))].sort((a, b) => a - b);
      c.setOption({ animation: false, tooltip: { trigger: "axis" }, grid: { left: 60, right: 20, bottom: 40 },
        xAxis: { type: "category", name: "evaluation", data: evaluations.map((e) => `#${e}`) },
        yAxis: { type: "value", name: "seconds" },
        series: slowest.tests.slice(0, 10).map((t) => ({ name: t.nodeid, type: "line", connectNulls: true,
          data: evaluations.map((e) => t.runs.find((r) => r.evaluation === e)?.duration ?? null) })) });
      charts.push(c);
    }
  }
  if (names.length) await show();
  return () => charts.forEach((c) => c.dispose());
}
