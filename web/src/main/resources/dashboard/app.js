// The dashboard's shell: sign-in, the header, and the router that draws a page for the path (real paths the
// browser can open and reload: /evaluations/{id} and the rest), each page returning how to stop what it started.

import { ApiError, get, session } from "./api.js";
import { fill, h } from "./dom.js";
import { evaluationsPage } from "./evaluations.js";
import { evaluationPage } from "./evaluation.js";
import { workersPage } from "./workers.js";
import { trendsPage } from "./trends.js";

const main = document.getElementById("main");
const who = document.getElementById("who");
let stop = () => {};

const routes = [
  [/^$/, evaluationsPage],
  [/^evaluations$/, evaluationsPage],
  [/^evaluations\/(\d+)$/, evaluationPage],
  [/^workers$/, workersPage],
  [/^trends$/, trendsPage],
];

/** The path below the page's base, without a trailing slash: "evaluations/12". */
function route() {
  const base = new URL(document.baseURI).pathname;
  return decodeURIComponent(location.pathname.slice(base.length)).replace(/\/$/, "");
}

export function go(path) {
  history.pushState({}, "", new URL(path, document.baseURI));
  render();
}

async function render() {
  stop();
  stop = () => {};
  for (const a of document.querySelectorAll("header nav a")) {
    const here = route().startsWith(a.getAttribute("href")) || (route() === "" && a.getAttribute("href") === "evaluations");
    if (here) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  if (!session.key()) {
    signInForm();
    return;
  }
  await showWho();
  const path = route();
  for (const [pattern, page] of routes) {
    const m = pattern.exec(path);
    if (m) {
      fill(main);
      try {
        stop = (await page(main, ...m.slice(1))) || (() => {});
      } catch (e) {
        fill(main, h("p", { class: "error", role: "alert" }, e instanceof ApiError ? e.message : String(e)));
      }
      main.focus({ preventScroll: true });
      return;
    }
  }
  fill(main, h("h1", {}, "Not found"), h("p", {}, "The dashboard has no page here."));
}

async function showWho() {
  let admin = false;
  try {
    await get("api-keys");
    admin = true;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status === 401) throw e;
  }
  document.body.dataset.admin = admin;
  fill(who, h("span", {}, admin ? "Signed in with the admin key" : "Signed in"), " ",
    h("button", { type: "button", class: "link", onclick: () => { session.signOut(); render(); } }, "Sign out"));
}

function signInForm() {
  fill(who);
  const input = h("input", { id: "api-key", name: "api-key", type: "password", autocomplete: "off", required: true,
    spellcheck: "false", "aria-describedby": "key-help" });
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "sign-in", onsubmit: async (ev) => {
    ev.preventDefault();
    session.signIn(input.value.trim());
    try {
      await get("stats", { trying: true });
      render();
    } catch (e) {
      session.signOut();
      fill(error, e instanceof ApiError && e.status === 401 ? "That key was refused: unknown, revoked or mistyped."
        : `The coordinator did not answer: ${e.message}`);
      input.focus();
    }
  } },
  h("h1", {}, "Sign in"),
  h("label", { for: "api-key" }, "API key"),
  input,
  h("p", { id: "key-help", class: "help" }, "The key is kept for this browser tab only and sent in a header, never in an address. ",
    "The admin key sees every evaluation; another key sees its own."),
  h("button", { type: "submit" }, "Sign in"),
  error);
  fill(main, form);
  input.focus();
}

document.addEventListener("click", (ev) => {
  const a = ev.target.closest("a[data-link]");
  if (!a || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) return;
  ev.preventDefault();
  go(a.getAttribute("href"));
});
window.addEventListener("popstate", render);
window.addEventListener("cdnodes:signed-out", render);
render();
