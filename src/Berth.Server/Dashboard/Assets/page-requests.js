// Stored requests, filtered by state and agent; dead letters show their last error.

import { get } from "./api.js";
import { badge, dash, enc, every, h, link, replace, section, statusLine, table, time } from "./dom.js";
import { exportButtons } from "./export.js";

const states = ["accepted", "dispatched", "retrying", "completed", "dead-lettered"];

export default function render(main, [state], signal) {
  const status = statusLine();
  const list = h("div", {}, h("p", { class: "empty" }, "Loading…"));
  const stateSelect = h("select", { id: "request-state", "aria-label": "State" },
    h("option", { value: "" }, "Every state"), states.map(s => h("option", { value: s, selected: s === state }, s)));
  const agentField = h("input", { id: "request-agent", type: "search", placeholder: "Agent", "aria-label": "Agent" });
  let rows = [];
  stateSelect.addEventListener("change", () => { location.hash = stateSelect.value ? `#/requests/${stateSelect.value}` : "#/requests"; });

  const draw = () => replace(list, table([
    ["Accepted", r => time(r.acceptedAt)],
    ["Agent", r => link(`#/agents/${enc(r.agent)}`, r.agent)],
    ["Request", r => h("code", {}, `${r.method} ${r.target}`)],
    ["State", r => badge(r.state)],
    ["Status", r => r.status ?? dash, "num"],
    ["Attempts", r => `${r.attempts}/${r.maxAttempts}`, "num"],
    ["Last error", r => r.lastError ?? "", "error-text"],
    ["Caller", r => r.caller, "wide"],
    ["Id", r => h("code", {}, r.id), "wide"],
  ], rows, state ? `No ${state} requests.` : "No stored requests.", { id: "requests" }));

  main.append(
    h("h1", {}, state === "dead-lettered" ? "Dead letters" : "Requests"),
    status.element,
    section("Stored requests",
      h("div", { class: "controls" }, stateSelect, agentField,
        exportButtons("requests", ["id", "agent", "method", "target", "state", "status", "attempts", "maxAttempts", "lastError", "caller", "acceptedAt", "finishedAt"], () => rows)),
      list));

  const load = async () => {
    const query = new URLSearchParams({ limit: "200" });
    if (state) query.set("state", state);
    if (agentField.value.trim()) query.set("agent", agentField.value.trim());
    rows = await get(`/api/v1/requests?${query}`, signal);
    draw();
  };
  agentField.addEventListener("change", () => load().then(status.ok, status.fail));
  every(5000, signal, status, load);
}
