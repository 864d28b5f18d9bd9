// The network, live: the coordinator, every worker connected (and those gone in the last minutes, in red) with its
// load, the backup edges between them; and /stats as small charts. Polled every two seconds.

import { get } from "./api.js";
import { badge, fill, fmt, h } from "./dom.js";

const STATE_COLOURS = { idle: "#2e7d32", busy: "#1565c0", draining: "#ef6c00", gone: "#c62828" };

export async function workersPage(main) {
  const graphArea = h("div", { class: "graph", role: "img", "aria-label": "The coordinator and its workers" });
  const table = h("div", { class: "table-wrap" });
  const charts = h("div", { class: "charts" });
  const perNode = h("div", { class: "chart", role: "img", "aria-label": "Passed and failed tests per worker" });
  const overTime = h("div", { class: "chart", role: "img", "aria-label": "Evaluations submitted per day" });
  fill(charts, h("figure", {}, h("figcaption", {}, "Tests per worker (connected now)"), perNode),
    h("figure", {}, h("figcaption", {}, "Evaluations per day"), overTime));
  const totals = h("p", { class: "meta" });
  fill(main, h("h1", {}, "Workers"), graphArea, h("h2", {}, "Every worker"), table, h("h2", {}, "Statistics"), totals, charts);
  const graph = window.echarts ? window.echarts.init(graphArea) : null;
  const nodeChart = window.echarts ? window.echarts.init(perNode) : null;
  const timeChart = window.echarts ? window.echarts.init(overTime) : null;
  const resize = () => [graph, nodeChart, timeChart].forEach((c) => c && c.resize());
  window.addEventListener("resize", resize);

  async function load() {
    const [nodes, network, stats] = await Promise.all([get("network/nodes?recent=true"), get("network"), get("stats")]);
    const byAddress = new Map(nodes.filter((n) => n.state !== "gone").map((n) => [n.address, n]));
    fill(table, nodes.length === 0 ? h("p", {}, "No worker is connected.") : h("table", { class: "list workers" },
      h("thead", {}, h("tr", {}, ["worker", "state", "address", "slots", "busy", "sandboxed", "Python", "pytest", "last heartbeat"]
        .map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, nodes.map((n) => h("tr", { class: `s-${n.state}`, dataset: { worker: n.name, state: n.state } },
        h("th", { scope: "row" }, n.name),
        h("td", {}, badge(n.state), n.state === "gone" ? h("div", { class: "reason" }, `${fmt.time(n.gone_at)}: ${n.reason || ""}`) : null),
        h("td", {}, n.address), h("td", { class: "num" }, n.slots), h("td", { class: "num" }, n.busy),
        h("td", {}, n.sandboxed ? "yes" : "NO"), h("td", {}, n.python), h("td", {}, n.pytest),
        h("td", {}, fmt.time(n.last_heartbeat)))))));
    if (graph) drawGraph(graph, nodes, network, byAddress);
    fill(totals, `Since the first start: ${stats.all.evaluations} evaluations, ${stats.all.projects} projects, `
      + `${stats.all.passed} tests passed, ${stats.all.failed} failed.`);
    if (nodeChart) {
      const names = stats.nodes.map((n) => byAddress.get(n.address)?.name || n.address);
      nodeChart.setOption({ animation: false, tooltip: {}, legend: {}, grid: { left: 50, right: 10, bottom: 60 },
        xAxis: { type: "category", data: names, axisLabel: { rotate: 30 } }, yAxis: { type: "value" },
        series: [{ name: "passed", type: "bar", stack: "t", data: stats.nodes.map((n) => n.passed), itemStyle: { color: "#2e7d32" } },
          { name: "failed", type: "bar", stack: "t", data: stats.nodes.map((n) => n.failed), itemStyle: { color: "#c62828" } }] });
    }
  }

  async function loadHistory() {
    if (!timeChart) return;
    const list = await get("evaluation?limit=1000");
    const perDay = new Map();
    for (const e of list) {
      const day = (e.submitted_at || "").slice(0, 10);
      perDay.set(day, (perDay.get(day) || 0) + 1);
    }
    const days = [...perDay.keys()].sort();
    timeChart.setOption({ animation: false, tooltip: {}, grid: { left: 50, right: 10, bottom: 40 },
      xAxis: { type: "category", data: days }, yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "line", data: days.map((d) => perDay.get(d)), areaStyle: {}, itemStyle: { color: "#1f4e79" } }] });
  }

  await load();
  await loadHistory();
  const timer = setInterval(() => load().catch(() => {}), 2000);
  return () => {
    clearInterval(timer);
    window.removeEventListener("resize", resize);
    [graph, nodeChart, timeChart].forEach((c) => c && c.dispose());
  };
}

function drawGraph(chart, nodes, network, byAddress) {
  const data = [{ id: "coordinator", name: "coordinator", symbolSize: 46, itemStyle: { color: "#1f4e79" }, x: 0, y: 0, fixed: true }];
  const links = [];
  // a worker gone and one connected now may share an address (a Unix socket's peer pid): a gone one's id is its own
  const idOf = (n) => (n.state === "gone" ? `gone ${n.address} ${n.gone_at}` : n.address);
  nodes.forEach((n, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, nodes.length);
    data.push({ id: idOf(n), name: `${n.name}\n${n.state}${n.state === "busy" ? ` ${n.busy}/${n.slots}` : ""}`,
      x: 200 * Math.cos(angle), y: 200 * Math.sin(angle), symbolSize: 24 + 4 * Math.min(8, n.slots),
      itemStyle: { color: STATE_COLOURS[n.state] || "#555" } });
    if (n.state !== "gone") links.push({ source: "coordinator", target: idOf(n), lineStyle: { width: 2 } });
  });
  for (const [from, tos] of Object.entries(network)) {
    if (!byAddress.has(from) || byAddress.get(from).state === "gone") continue;
    for (const to of tos) {
      if (byAddress.has(to)) links.push({ source: from, target: to, lineStyle: { type: "dashed", color: "#888" } });
    }
  }
  chart.setOption({ animation: false, tooltip: {},
    series: [{ type: "graph", layout: "none", roam: true, label: { show: true, position: "bottom", lineHeight: 15 },
      edgeSymbol: ["none", "arrow"], data, links }] }, true);
}
