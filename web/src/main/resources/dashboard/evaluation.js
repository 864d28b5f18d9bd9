// One evaluation, live: its progress, counts, grades, modules and tests update over the event stream without a
// reload; a failed test opens to its whole report; cancel, rerun-failed and JUnit XML; and the timeline.

import { ApiError, download, follow, get, post, request } from "./api.js";
import { badge, fill, fmt, h, moduleOf } from "./dom.js";
import { go } from "./app.js";
import { timeline } from "./timeline.js";

const SHOWN = 500;
const OUTCOMES = ["passed", "failed", "error", "skipped", "xfailed", "xpassed"];
const ENDED = ["done", "failed", "cancelled"];

export async function evaluationPage(main, idText) {
  const id = Number(idText);
  let view = await get(`evaluation/${id}?tests=true`);
  const tests = new Map(); // "project\u0000nodeid" -> test
  const keyOf = (project, nodeid) => `${project}\u0000${nodeid}`;
  const absorb = (v) => {
    for (const p of v.projects) for (const t of p.tests || []) tests.set(keyOf(p.name, t.nodeid), { ...t, project: p.name });
  };
  absorb(view);

  const title = h("h1", {}, `Evaluation #${id}`);
  const summary = h("section", { class: "summary", "aria-label": "Summary" });
  const actions = h("div", { class: "actions" });
  const projects = h("section", { "aria-labelledby": "projects-h" });
  const testsBox = h("section", { "aria-labelledby": "tests-h" });
  const timelineBox = h("section", { "aria-labelledby": "timeline-h" });
  const live = h("p", { class: "sr-only", "aria-live": "polite" });
  fill(main, title, summary, actions, live, projects, testsBox, timelineBox);

  // ---- summary, actions, projects ---------------------------------------------------------------------------
  function drawSummary() {
    const p = view.progress;
    const done = p.total ? Math.min(100, (100 * p.executed) / p.total) : ENDED.includes(view.status) ? 100 : 0;
    fill(summary,
      h("p", { class: "meta" }, badge(view.status), " ", view.source || "", " · submitted ", fmt.time(view.submitted_at),
        " · ", fmt.seconds(view.elapsed_seconds), view.grade !== null && view.grade !== undefined ? ` · grade ${fmt.grade(view.grade)} / 20` : ""),
      h("div", { class: "progress-line" },
        h("label", { for: "progress" }, `${p.executed} of ${p.total || "?"} tests`),
        h("progress", { id: "progress", max: 100, value: done.toFixed(1) }, `${Math.round(done)}%`),
        h("span", {}, p.running ? `${p.running} running` : "")),
      h("ul", { class: "counts", "aria-label": "Outcomes" }, OUTCOMES.map((o) =>
        h("li", { class: `c-${o}` }, h("span", { class: "n", "data-outcome": o }, view.outcomes[o]), " ", o))));
    summary.dataset.status = view.status;
    fill(actions,
      !ENDED.includes(view.status) ? h("button", { type: "button", onclick: cancel }, "Cancel") : null,
      ENDED.includes(view.status) && view.outcomes.failed + view.outcomes.error > 0
        ? h("button", { type: "button", onclick: rerunFailed }, "Rerun failed") : null,
      h("button", { type: "button", onclick: () => download(`evaluation/${id}/junit.xml`, `evaluation-${id}.xml`, "application/xml") },
        "Download JUnit XML"));
  }

  async function cancel() {
    if (!confirm(`Cancel evaluation #${id}?`)) return;
    await saying(() => request(`evaluation/${id}`, { method: "DELETE" }));
  }
  async function rerunFailed() {
    await saying(async () => {
      const again = await post(`evaluation/${id}/rerun`, { only: "failed" });
      go(`evaluations/${again.id}`);
    });
  }
  /** Runs an action, saying why when the API refuses it. */
  async function saying(action) {
    try { await action(); } catch (e) { alert(e instanceof ApiError ? e.message : String(e)); }
  }

  function drawProjects() {
    fill(projects, h("h2", { id: "projects-h" }, "Projects"),
      h("div", { class: "table-wrap" }, h("table", { class: "list" },
        h("thead", {}, h("tr", {}, ["project", "status", "grade", "passed", "failed", "modules"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, view.projects.map((p) => h("tr", {},
          h("th", { scope: "row" }, p.name),
          h("td", {}, badge(p.status), p.reason ? h("div", { class: "reason" }, p.reason) : null),
          h("td", { class: "num" }, fmt.grade(p.grade)),
          h("td", { class: "num" }, p.outcomes.passed + p.outcomes.xpassed),
          h("td", { class: "num" }, p.outcomes.failed + p.outcomes.error),
          h("td", {}, h("ul", { class: "modules" }, (p.modules || []).map((m) => h("li", {},
            h("span", { class: "module-name" }, m.module),
            h("span", { class: "bar", role: "img", "aria-label": `${m.module}: ${fmt.percent(m.passed_percent)} passed, ${fmt.percent(m.failed_percent)} failed` },
              h("span", { class: "pass", style: `width:${m.passed_percent}%` }),
              h("span", { class: "fail", style: `width:${m.failed_percent}%` }))))))))))));
  }

  // ---- tests ------------------------------------------------------------------------------------------------
  const search = h("input", { id: "t-search", type: "search", placeholder: "part of a node id" });
  const selects = {};
  const filters = h("form", { class: "filters", role: "search", onsubmit: (e) => e.preventDefault() },
    h("label", { for: "t-search" }, "Test"), search,
    ["outcome", "project", "module", "worker"].map((f) => {
      selects[f] = h("select", { id: `t-${f}` }, h("option", { value: "" }, "any"));
      return [h("label", { for: `t-${f}` }, f[0].toUpperCase() + f.slice(1)), selects[f]];
    }),
    h("label", { for: "t-min" }, "At least (s)"),
    selects.min = h("input", { id: "t-min", type: "number", min: 0, step: "0.1", inputmode: "decimal", size: 5 }),
    h("label", { for: "t-sort" }, "Order"),
    selects.sort = h("select", { id: "t-sort" }, h("option", { value: "run" }, "as run"),
      h("option", { value: "slowest" }, "slowest first"), h("option", { value: "name" }, "by node id")));
  const table = h("div", { class: "table-wrap" });
  const count = h("p", { class: "help" });
  fill(testsBox, h("h2", { id: "tests-h" }, "Tests"), filters, count, table);
  for (const el of [search, ...Object.values(selects)]) el.addEventListener("input", drawTests);

  function options(select, values) {
    const current = select.value;
    fill(select, h("option", { value: "" }, "any"), [...values].sort().map((v) => h("option", { value: v, selected: v === current }, v)));
  }

  function drawTests() {
    const all = [...tests.values()];
    options(selects.outcome, new Set(all.map((t) => t.outcome)));
    options(selects.project, new Set(all.map((t) => t.project)));
    options(selects.module, new Set(all.map((t) => moduleOf(t.nodeid))));
    options(selects.worker, new Set(all.map((t) => t.worker).filter(Boolean)));
    const q = search.value.trim().toLowerCase();
    let shown = all.filter((t) => (!q || t.nodeid.toLowerCase().includes(q))
      && (!selects.outcome.value || t.outcome === selects.outcome.value)
      && (!selects.project.value || t.project === selects.project.value)
      && (!selects.module.value || moduleOf(t.nodeid) === selects.module.value)
      && (!selects.worker.value || t.worker === selects.worker.value)
      && (!selects.min.value || t.duration >= Number(selects.min.value)));
    if (selects.sort.value === "slowest") shown.sort((a, b) => b.duration - a.duration);
    if (selects.sort.value === "name") shown.sort((a, b) => a.nodeid.localeCompare(b.nodeid));
    fill(count, shown.length > SHOWN ? `${shown.length} tests match; the first ${SHOWN} are shown: narrow the filters to see the rest.`
      : `${shown.length} of ${all.length} tests`);
    const several = view.projects.length > 1;
    fill(table, h("table", { class: "list tests" },
      h("thead", {}, h("tr", {}, ["test", "outcome", "duration", "worker", "message"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, shown.slice(0, SHOWN).map((t) => row(t, several)))));
  }

  const expanded = new Set(); // tests whose report is open: kept open when the table is drawn again
  const reports = new Map(); // their whole reports, fetched once

  function row(t, several) {
    const bad = t.outcome === "failed" || t.outcome === "error";
    const name = several ? `${t.project}/${t.nodeid}` : t.nodeid;
    const k = keyOf(t.project, t.nodeid);
    const open = expanded.has(k);
    const tr = h("tr", { class: `o-${t.outcome}`, dataset: { nodeid: t.nodeid } },
      h("td", { class: "nodeid" }, bad || t.attempts ? h("button", { type: "button", class: "link", "aria-expanded": String(open),
        onclick: () => { if (open) expanded.delete(k); else expanded.add(k); drawTests(); } }, name) : name,
      t.flaky ? [" ", h("span", { class: "badge b-flaky", title: "failed, then passed on a rerun" }, "flaky")] : null,
      t.twin ? [" ", h("span", { class: "badge b-running", title: "a speculative twin of its batch ran it first" }, "twin")] : null),
      h("td", {}, badge(t.outcome)),
      h("td", { class: "num" }, fmt.seconds(t.duration)),
      h("td", {}, t.worker || "–"),
      h("td", { class: "message" }, t.message || ""));
    if (!open) return tr;
    const cell = h("td", { colspan: 5 }, h("p", {}, "Loading the report…"));
    reportOf(t).then((full) => fill(cell, report(full)));
    return [tr, h("tr", { class: "report-row" }, cell)];
  }

  /** The test's whole report: what the evaluation's view holds once it has ended, else asked for once. */
  async function reportOf(t) {
    const k = keyOf(t.project, t.nodeid);
    if (t.longrepr !== undefined || t.stdout !== undefined || t.phase !== undefined) return t;
    if (!reports.has(k)) {
      const segments = t.nodeid.split("/");
      // a "." or ".." segment cannot go in a path (the browser resolves it away): the evaluation's view has it
      const whole = segments.some((s) => s === "." || s === "..")
        ? get(`evaluation/${id}?tests=true`).then((v) => v.projects.find((p) => p.name === t.project)
          .tests.find((x) => x.nodeid === t.nodeid))
        : get(`evaluation/${id}/tests/${segments.map(encodeURIComponent).join("/")}?project=${encodeURIComponent(t.project)}`);
      reports.set(k, whole.catch((e) => ({ ...t, longrepr: e.message })));
    }
    return reports.get(k);
  }

  function report(t) {
    const parts = [];
    if (t.phase) parts.push(h("p", {}, `${t.outcome} in ${t.phase}`));
    if (t.reason) parts.push(h("p", {}, `reason: ${t.reason}`));
    parts.push(h("pre", { class: "longrepr", tabindex: 0 }, t.longrepr || t.message || "(no report)"));
    for (const [field, label] of [["stdout", "Captured stdout"], ["stderr", "Captured stderr"], ["log", "Captured log"]]) {
      if (t[field]) parts.push(h("h4", {}, label), h("pre", { tabindex: 0 }, t[field]));
    }
    for (const a of t.attempts || []) {
      parts.push(h("details", {}, h("summary", {}, `attempt ${a.attempt}: ${a.outcome} on ${a.worker || "?"} (${fmt.seconds(a.duration)})`),
        h("pre", { tabindex: 0 }, a.longrepr || a.message || "")));
    }
    return h("div", { class: "report" }, parts);
  }

  // ---- live ---------------------------------------------------------------------------------------------------
  let stopStream = () => {};
  let chart = null;
  async function full() {
    view = await get(`evaluation/${id}?tests=true`);
    absorb(view);
    drawSummary();
    drawProjects();
    drawTests();
    chart = timeline(timelineBox, view, chart);
  }
  drawSummary();
  drawProjects();
  drawTests();
  chart = timeline(timelineBox, view, chart);
  if (!ENDED.includes(view.status)) {
    let pending = null;
    const redrawSoon = () => { pending = pending || setTimeout(() => { pending = null; drawTests(); }, 300); };
    stopStream = follow(`evaluation/${id}/events`, {
      result: (r) => {
        const k = keyOf(r.project, r.nodeid);
        tests.set(k, { ...(tests.get(k) || {}), ...r });
        redrawSoon();
      },
      progress: (v) => {
        view = { ...v, projects: v.projects };
        drawSummary();
        drawProjects();
      },
      end: (status) => {
        fill(live, `Evaluation ${id} ended: ${status}`);
        full();
      },
      error: (e) => {
        actions.after(h("p", { class: "error", role: "alert" }, `Live updates stopped (${e.message}): reload the page to see more.`));
      },
    });
  }
  return () => {
    stopStream();
    chart && chart.dispose();
  };
}
