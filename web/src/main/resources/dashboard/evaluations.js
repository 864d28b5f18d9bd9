// The evaluations the key sees, newest first, a page at a time, filtered by status, source and (admin) owner.

import { request } from "./api.js";
import { badge, fill, fmt, h } from "./dom.js";

const PAGE = 25;
const STATUSES = ["queued", "running", "done", "failed", "cancelled"];

export async function evaluationsPage(main) {
  const params = new URLSearchParams(location.search);
  const state = { status: params.get("status") || "", source: params.get("source") || "",
    owner: params.get("owner") || "", offset: Number(params.get("offset") || 0) };
  const admin = document.body.dataset.admin === "true";
  const table = h("div", { class: "table-wrap" });
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  const status = h("select", { id: "f-status", name: "status" }, h("option", { value: "" }, "any"),
    STATUSES.map((s) => h("option", { value: s, selected: s === state.status }, s)));
  const source = h("input", { id: "f-source", name: "source", type: "search", value: state.source });
  const owner = h("input", { id: "f-owner", name: "owner", type: "search", value: state.owner });
  const form = h("form", { class: "filters", role: "search", onsubmit: (ev) => {
    ev.preventDefault();
    Object.assign(state, { status: status.value, source: source.value, owner: owner.value, offset: 0 });
    load();
  } },
  h("label", { for: "f-status" }, "Status"), status,
  h("label", { for: "f-source" }, "Source contains"), source,
  admin ? [h("label", { for: "f-owner" }, "Owner (key name)"), owner] : null,
  h("button", { type: "submit" }, "Filter"));
  fill(main, h("h1", {}, "Evaluations"), form, table, pager);

  let timer = null;
  let stopped = false;
  async function load() {
    if (stopped) return;
    const q = new URLSearchParams({ offset: state.offset, limit: PAGE });
    for (const k of ["status", "source", "owner"]) if (state[k]) q.set(k, state[k]);
    history.replaceState({}, "", `${location.pathname}?${q}`);
    const res = await request(`evaluation?${q}`);
    const list = await res.json();
    if (stopped) return;
    const total = Number(res.headers.get("X-Total-Count") || list.length);
    fill(table, list.length === 0 ? h("p", {}, "No evaluation matches.") : h("table", { class: "list" },
      h("caption", { class: "sr-only" }, "Evaluations, newest first"),
      h("thead", {}, h("tr", {}, ["#", "status", "source", "submitted", "projects", "passed", "failed", "errors",
        "grade", admin ? "owner" : null].filter(Boolean).map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, list.map((e) => h("tr", {},
        h("td", {}, h("a", { href: `evaluations/${e.id}`, "data-link": true }, `#${e.id}`)),
        h("td", {}, badge(e.status)),
        h("td", { class: "source" }, e.source || ""),
        h("td", {}, fmt.time(e.submitted_at)),
        h("td", { class: "num" }, e.projects),
        h("td", { class: "num" }, e.outcomes.passed + e.outcomes.xpassed),
        h("td", { class: "num" }, e.outcomes.failed),
        h("td", { class: "num" }, e.outcomes.error),
        h("td", { class: "num" }, fmt.grade(e.grade)),
        admin ? h("td", {}, e.owner || "–") : null)))));
    const last = Math.max(0, Math.ceil(total / PAGE) - 1);
    const page = Math.floor(state.offset / PAGE);
    fill(pager,
      h("button", { type: "button", disabled: page === 0, onclick: () => { state.offset -= PAGE; load(); } }, "Newer"),
      h("span", {}, `page ${page + 1} of ${last + 1} (${total} evaluations)`),
      h("button", { type: "button", disabled: page >= last, onclick: () => { state.offset += PAGE; load(); } }, "Older"));
    clearTimeout(timer);
    if (list.some((e) => e.status === "queued" || e.status === "running")) timer = setTimeout(load, 3000);
  }
  await load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
