// Overview: every agent with its health, restarts and request rate, refreshed every few seconds.

import { get } from "./api.js";
import { badge, dash, enc, every, h, link, number, replace, section, statusLine, table } from "./dom.js";

const refresh = 5000;

function restarts(agent) {
  return (agent.instances ?? []).reduce((sum, instance) => sum + (instance.restartCount ?? 0), 0);
}

function rate(agent) {
  return typeof agent.requestRate === "number" ? `${number(agent.requestRate, 2)}/s` : dash;
}

function health(agent) {
  const unhealthy = (agent.instances ?? []).filter(i => i.state !== "running").length;
  return h("span", {}, badge(agent.state), unhealthy > 0 && agent.state === "running" ? h("small", {}, ` ${unhealthy} not running`) : null);
}

function tile(label, value, css) {
  return h("div", { class: `tile ${css ?? ""}` }, h("span", { class: "value" }, String(value)), h("span", { class: "label" }, label));
}

export default function render(main, _params, signal) {
  const status = statusLine();
  const tiles = h("div", { class: "tiles" });
  const agents = h("div", {}, h("p", { class: "empty" }, "Loading…"));
  main.append(h("h1", {}, "Overview"), status.element, tiles, section("Agents", agents));

  every(refresh, signal, status, async () => {
    const [list, runs, dead] = await Promise.all([
      get("/api/v1/agents", signal),
      get("/api/v1/runs?state=running&limit=1000", signal),
      get("/api/v1/requests?state=dead-lettered&limit=1000", signal),
    ]);
    const healthy = list.filter(a => a.state === "running").length;
    replace(tiles,
      tile("agents", list.length),
      tile("running", healthy, "good"),
      tile("not running", list.length - healthy, list.length - healthy > 0 ? "warn" : ""),
      tile("runs in progress", runs.length),
      tile("dead letters", dead.length >= 1000 ? "1000+" : dead.length, dead.length > 0 ? "bad" : ""));
    replace(agents, table([
      ["Agent", a => link(`#/agents/${enc(a.name)}`, a.name)],
      ["Health", health],
      ["Ready", a => `${a.readyReplicas}/${a.replicas}`],
      ["Restarts", restarts, "num"],
      ["Requests", rate, "num"],
      ["Runtime", a => a.runtime, "wide"],
      ["Updated", a => new Date(a.updatedAt).toLocaleString(), "wide"],
    ], list, "No agents yet. Deploy one with 'berth apply -f agent.yaml'.", { id: "agents" }));
  });
}
