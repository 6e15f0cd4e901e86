// Workflows and their runs, newest first; runs filtered by workflow and state, exportable.

import { get } from "./api.js";
import { badge, enc, every, h, link, replace, section, statusLine, table, time } from "./dom.js";
import { exportButtons } from "./export.js";

const runStates = ["queued", "running", "succeeded", "failed", "cancelled"];

function counts(run) {
  return Object.entries(run.stepCounts ?? {}).map(([state, count]) => h("span", { class: `count state-${state}` }, `${count} ${state}`));
}

export default function render(main, _params, signal) {
  const status = statusLine();
  const workflows = h("div", {}, h("p", { class: "empty" }, "Loading…"));
  const runs = h("div", {});
  const workflowSelect = h("select", { id: "run-workflow", "aria-label": "Workflow" }, h("option", { value: "" }, "Every workflow"));
  const stateSelect = h("select", { id: "run-state", "aria-label": "State" }, h("option", { value: "" }, "Every state"), runStates.map(s => h("option", { value: s }, s)));
  let runRows = [];
  let known = new Set();

  main.append(h("h1", {}, "Workflows"), status.element,
    section("Workflows", workflows),
    section("Runs", h("div", { class: "controls" }, workflowSelect, stateSelect,
      exportButtons("runs", ["id", "workflow", "state", "startedBy", "createdAt", "finishedAt", "error", "stepCounts", "inputs"], () => runRows)), runs));

  const load = async () => {
    const query = new URLSearchParams({ limit: "100" });
    if (workflowSelect.value) query.set("workflow", workflowSelect.value);
    if (stateSelect.value) query.set("state", stateSelect.value);
    const [list, found] = await Promise.all([get("/api/v1/workflows", signal), get(`/api/v1/runs?${query}`, signal)]);
    runRows = found;
    for (const workflow of list) {
      if (!known.has(workflow.name)) workflowSelect.append(h("option", { value: workflow.name }, workflow.name));
    }
    known = new Set(list.map(w => w.name).concat([...known]));
    replace(workflows, table([
      ["Workflow", w => w.name],
      ["Steps", w => (w.spec?.steps ?? []).length, "num"],
      ["Schedule", w => (w.spec?.schedule ?? []).map(s => s.cron).join(", "), "wide"],
      ["Generation", w => w.generation, "num wide"],
      ["Updated", w => time(w.updatedAt), "wide"],
    ], list, "No workflows yet. Apply one with 'berth apply -f workflow.yaml'.", { id: "workflows" }));
    replace(runs, table([
      ["Run", r => link(`#/runs/${enc(r.id)}`, r.id)],
      ["Workflow", r => r.workflow],
      ["State", r => badge(r.state)],
      ["Steps", counts, "wide"],
      ["Created", r => time(r.createdAt), "wide"],
      ["Finished", r => time(r.finishedAt), "wide"],
    ], found, "No runs match.", { id: "runs" }));
  };
  for (const control of [workflowSelect, stateSelect]) control.addEventListener("change", () => load().then(status.ok, status.fail));
  every(5000, signal, status, load);
}
