// Building the page: elements from data only through text nodes and attributes, never through HTML, since test
// names, messages and reports come from submitted (hostile) projects.

/** An element: h("a", {href: "x", class: "y", onclick: fn}, "text", child...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const fmt = {
  seconds: (s) => (s === null || s === undefined ? "–" : s < 1 ? `${Math.round(s * 1000)} ms` : s < 120 ? `${s.toFixed(2)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`),
  grade: (g) => (g === null || g === undefined ? "–" : g.toFixed(2)),
  time: (iso) => (iso ? new Date(iso).toLocaleString() : "–"),
  percent: (p) => `${Math.round(p)}%`,
};

/** A status or outcome as a badge: its word is always written, the colour only adds to it. */
export function badge(word) {
  return h("span", { class: `badge b-${word}` }, word);
}

/** The module of a node id: its file part. */
export function moduleOf(nodeid) {
  const i = nodeid.indexOf("::");
  return i < 0 ? nodeid : nodeid.slice(0, i);
}
