// The dashboard's entry: a sign-in gate, then hash routes to read-only pages. Each page gets an AbortSignal that ends
// its polls and streams when another page opens.

import { ApiError, forget, get, onSignedOut, signIn, signOut, token } from "./api.js";
import { h, replace } from "./dom.js";
import overview from "./page-overview.js";
import agent from "./page-agent.js";
import requests from "./page-requests.js";
import workflows from "./page-workflows.js";
import run from "./page-run.js";
import plugins from "./page-plugins.js";
import topics from "./page-topics.js";
import llm from "./page-llm.js";

const routes = [
  [/^\/?$/, "overview", overview],
  [/^\/agents\/([^/]+)$/, "overview", agent],
  [/^\/requests(?:\/([a-z-]+))?$/, "requests", requests],
  [/^\/workflows$/, "workflows", workflows],
  [/^\/runs\/([^/]+)$/, "workflows", run],
  [/^\/plugins$/, "plugins", plugins],
  [/^\/topics$/, "topics", topics],
  [/^\/llm$/, "llm", llm],
];

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const signOutButton = document.getElementById("sign-out");
let current = null;

function showSignIn(message) {
  current?.abort();
  current = null;
  nav.hidden = true;
  signOutButton.hidden = true;
  const field = h("input", { id: "token", name: "token", type: "password", autocomplete: "off", spellcheck: "false", required: true, placeholder: "berth_…", "aria-label": "Token" });
  const note = h("p", { class: message ? "status error" : "status", role: "status" }, message ?? "");
  const form = h("form", { id: "sign-in", class: "card sign-in" },
    h("h1", {}, "Sign in"),
    h("p", {}, "Paste a Berth token with the viewer role or higher (", h("code", {}, "berth tokens create --role viewer"), "). It is kept in this tab only and sent only to this server."),
    h("label", { for: "token" }, "Token"), field,
    h("button", { type: "submit" }, "Sign in"), note);
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const value = field.value.trim();
    if (!value) return;
    signIn(value);
    note.textContent = "Checking…";
    try {
      await get("/api/v1/agents");
      route();
    } catch (error) {
      // a refused token (401) has already ended the session and shown this form again with the reason
      if (!token()) return;
      forget();
      note.classList.add("error");
      note.textContent = error instanceof ApiError && error.status === 403
        ? "This token may not read the dashboard: it needs the viewer, operator or admin role."
        : `Sign-in failed: ${error.message}`;
    }
  });
  replace(main, form);
  field.focus();
}

function route() {
  if (!token()) {
    showSignIn();
    return;
  }
  nav.hidden = false;
  signOutButton.hidden = false;
  const path = decodeURIComponent(location.hash.replace(/^#/, "").split("?")[0]);
  current?.abort();
  current = new AbortController();
  const match = routes.map(([pattern, section, page]) => [pattern.exec(path), section, page]).find(([found]) => found);
  for (const anchor of nav.querySelectorAll("a")) anchor.classList.toggle("active", match !== undefined && anchor.dataset.page === match[1]);
  if (!match) {
    replace(main, h("section", { class: "card" }, h("h1", {}, "Not found"), h("p", {}, "No such page. ", h("a", { href: "#/" }, "Back to the overview."))));
    return;
  }
  const [found, , page] = match;
  main.replaceChildren();
  window.scrollTo(0, 0);
  page(main, found.slice(1), current.signal);
}

signOutButton.addEventListener("click", () => signOut());
onSignedOut(message => showSignIn(message));
window.addEventListener("hashchange", route);
route();
