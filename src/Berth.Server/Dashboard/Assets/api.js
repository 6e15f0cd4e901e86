// Every call to Berth's API goes through here. The token lives in sessionStorage (gone when the tab closes) and is sent
// only in the Authorization header, never in a URL. No call is made before sign-in.

const tokenKey = "berth.token";
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function token() {
  return sessionStorage.getItem(tokenKey);
}

export function signIn(value) {
  sessionStorage.setItem(tokenKey, value);
}

/** Drops the token without ending the session's page (a sign-in that did not work). */
export function forget() {
  sessionStorage.removeItem(tokenKey);
}

export function signOut(reason) {
  sessionStorage.removeItem(tokenKey);
  for (const listener of listeners) listener(reason);
}

/** Calls back when the session ends (sign-out, or a token the server no longer takes). */
export function onSignedOut(listener) {
  listeners.add(listener);
}

function headers(accept) {
  const current = token();
  if (!current) throw new ApiError(401, "Not signed in.");
  return { Authorization: `Bearer ${current}`, Accept: accept };
}

async function send(path, accept, signal) {
  const response = await fetch(path, { headers: headers(accept), signal, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer" });
  if (response.ok) return response;
  let detail = `${response.status} ${response.statusText}`;
  try {
    const problem = await response.json();
    if (problem && problem.detail) detail = problem.detail;
  } catch {
    // not a problem document; the status says enough
  }
  if (response.status === 401) signOut(`The server refused the token: ${detail} Sign in again.`);
  throw new ApiError(response.status, detail);
}

/** GET a JSON document from the API. */
export async function get(path, signal) {
  const response = await send(path, "application/json", signal);
  return response.status === 204 ? null : response.json();
}

/** GET a JSON document, or null when the route answers 404 (an optional feature this server lacks). */
export async function getOptional(path, signal) {
  try {
    return await get(path, signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

async function readLines(response, signal, onLine) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let end;
      while ((end = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, end).replace(/\r$/, "");
        pending = pending.slice(end + 1);
        onLine(line);
      }
    }
    if (pending) onLine(pending);
  } finally {
    if (signal.aborted) reader.cancel().catch(() => {});
  }
}

/** Follows an NDJSON stream (agent logs), calling onItem per object until it ends or signal aborts. */
export async function streamJsonLines(path, signal, onItem) {
  const response = await send(path, "application/x-ndjson", signal);
  await readLines(response, signal, line => {
    if (line.trim()) onItem(JSON.parse(line));
  });
}

/**
 * Follows a server-sent event stream read with fetch(), since EventSource cannot send the Authorization header.
 * Calls onEvent({id, event, data}) per event; data is parsed JSON.
 */
export async function streamEvents(path, signal, onEvent) {
  const response = await send(path, "text/event-stream", signal);
  let current = { id: null, event: "message", data: [] };
  await readLines(response, signal, line => {
    if (line === "") {
      if (current.data.length > 0) onEvent({ id: current.id, event: current.event, data: JSON.parse(current.data.join("\n")) });
      current = { id: null, event: "message", data: [] };
    } else if (!line.startsWith(":")) {
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") current.data.push(value);
      else if (field === "event") current.event = value;
      else if (field === "id") current.id = value;
    }
  });
}

let routes = null;

/**
 * Whether this server maps a route (an OpenAPI path such as "/api/v1/agents/{name}/stats"), read once from its OpenAPI
 * document: a page asks before polling a route that newer servers have, rather than logging a 404 on older ones. When the
 * document cannot be read, the answer is yes and the caller handles a 404 itself.
 */
export async function hasRoute(path) {
  routes ??= get("/openapi/v1.json").then(document => new Set(Object.keys(document.paths ?? {})), () => null);
  const known = await routes;
  return known === null || known.has(path);
}

/** True for the error an aborted fetch or stream throws when its page is left. */
export function isAbort(error) {
  return error && (error.name === "AbortError" || error.name === "TimeoutError");
}
