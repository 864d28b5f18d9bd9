// The API as the dashboard calls it: every request carries the key the user signed in with (kept for this browser
// session only, never in a URL); paths are relative to the page's <base>, so the war may sit at any context root.

const KEY = "cdnodes.apiKey";

export const session = {
  key: () => sessionStorage.getItem(KEY),
  signIn: (key) => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.removeItem(KEY),
};

/** A refusal of the API: its status and its problem+json (RFC 9457) detail. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra = {}) {
  const h = { ...extra };
  const key = session.key();
  if (key) h.Authorization = `Bearer ${key}`;
  return h;
}

/** The raw response, refused ones thrown as ApiError; a 401 signs the page out (unless `trying` a key). */
export async function request(path, { method = "GET", json, accept = "application/json", signal, trying = false } = {}) {
  const res = await fetch(path, {
    method,
    signal,
    headers: headers({ Accept: accept, ...(json !== undefined ? { "Content-Type": "application/json" } : {}) }),
    body: json !== undefined ? JSON.stringify(json) : undefined,
  });
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { /* not JSON */ }
    if (res.status === 401 && !trying) {
      session.signOut();
      window.dispatchEvent(new CustomEvent("cdnodes:signed-out"));
    }
    throw new ApiError(res.status, problem);
  }
  return res;
}

/** The JSON answer of a GET (or of another method with a body). */
export async function get(path, options) {
  const res = await request(path, options);
  return res.status === 204 ? null : res.json();
}

export async function post(path, json) {
  const res = await request(path, { method: "POST", json });
  return res.status === 204 ? null : res.json();
}

/**
 * Follows an evaluation's Server-Sent Events over fetch (EventSource cannot send the key), resuming after a drop
 * with Last-Event-ID, until its `end` event or until stopped. Returns the function that stops it.
 */
export function follow(path, on) {
  const control = new AbortController();
  let lastId = null;
  let over = false;
  const dispatch = (event, id, data) => {
    if (id) lastId = id;
    if (event === "end") {
      over = true;
      on.end && on.end(data);
    } else if (on[event]) {
      on[event](JSON.parse(data));
    }
  };
  (async () => {
    // connections in a row that brought no event: each waits longer before the next, and 30 give up
    let failures = 0;
    while (!over && !control.signal.aborted && failures < 30) {
      let heard = false;
      try {
        const h = headers({ Accept: "text/event-stream" });
        if (lastId) h["Last-Event-ID"] = lastId;
        const res = await fetch(path, { headers: h, signal: control.signal });
        if (!res.ok) throw new ApiError(res.status, null);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        let event = "message", id = null, data = [];
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let nl;
          while ((nl = buffer.indexOf("\n")) >= 0) {
            const line = buffer.slice(0, nl).replace(/\r$/, "");
            buffer = buffer.slice(nl + 1);
            if (line === "") {
              if (data.length) {
                heard = true;
                dispatch(event, id, data.join("\n"));
              }
              event = "message"; id = null; data = [];
            } else if (!line.startsWith(":")) {
              const colon = line.indexOf(":");
              const field = colon < 0 ? line : line.slice(0, colon);
              let v = colon < 0 ? "" : line.slice(colon + 1);
              if (v.startsWith(" ")) v = v.slice(1);
              if (field === "event") event = v;
              else if (field === "data") data.push(v);
              else if (field === "id") id = v;
            }
          }
        }
      } catch (e) {
        if (control.signal.aborted) return;
        if (e instanceof ApiError && e.status === 401) {
          session.signOut();
          window.dispatchEvent(new CustomEvent("cdnodes:signed-out"));
          return;
        }
        if (e instanceof ApiError && e.status < 500 && e.status !== 429) {
          on.error && on.error(e);
          return;
        }
      }
      failures = heard ? 0 : failures + 1;
      if (!over) await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** failures)));
    }
    if (!over && !control.signal.aborted) on.error && on.error(new Error("the event stream was lost"));
  })();
  return () => control.abort();
}

/** Saves what the API answers at `path` as a file, the key sent as a header (a plain link could not send it). */
export async function download(path, filename, accept) {
  const res = await request(path, { accept });
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
