// One run: its DAG with step states updated live from the run's event stream (SSE read with fetch), the selected step's
// details, log and cache explanation, and the run's events.

import { get, isAbort, streamEvents } from "./api.js";
import { badge, dash, enc, h, replace, section, statusLine, table, time } from "./dom.js";
import { dag } from "./dag.js";
import { exportButtons } from "./export.js";

const stepStates = {
  "step.queued": "queued",
  "step.started": "running",
  "step.retrying": "retrying",
  "step.succeeded": "succeeded",
  "step.cached": "cached",
  "step.skipped": "skipped",
  "step.failed": "failed",
  "step.cancelled": "cancelled",
};
const maxEvents = 2000;

export default function render(main, [id], signal) {
  const status = statusLine();
  const header = h("div", {});
  const graph = h("div", { class: "scroll dag-box" }, h("p", { class: "empty" }, "Loading…"));
  const detail = h("div", { id: "step-detail" }, h("p", { class: "empty" }, "Select a step to see its details and log."));
  const eventBox = h("div", {});
  const live = h("p", { class: "status", id: "live" }, "");
  const logs = new Map();
  const events = [];
  let run = null;
  let drawing = null;
  let selected = null;
  let refetch = null;

  main.append(h("h1", {}, "Run ", h("span", { class: "name" }, id)), status.element, header,
    section("Steps", live, graph), section("Step", detail),
    section("Events", h("div", { class: "controls" }, exportButtons(`run-${id}-events`, ["sequence", "time", "type", "stepId", "attempt", "message"], () => events)), eventBox));

  const drawHeader = () => replace(header, h("dl", { class: "facts card" },
    h("dt", {}, "Workflow"), h("dd", {}, run.workflow),
    h("dt", {}, "State"), h("dd", { id: "run-state" }, badge(run.state)),
    h("dt", {}, "Started by"), h("dd", {}, run.startedBy),
    h("dt", {}, "Created"), h("dd", {}, time(run.createdAt)),
    h("dt", {}, "Finished"), h("dd", {}, time(run.finishedAt)),
    run.error ? [h("dt", {}, "Error"), h("dd", { class: "error-text" }, run.error)] : null));

  const explain = async (stepId, target) => {
    replace(target, "Explaining…");
    try {
      const answer = await get(`/api/v1/runs/${enc(id)}/steps/${enc(stepId)}/explain`, signal);
      replace(target, h("p", {}, answer.hit ? "Cache hit. " : "Cache miss. ", answer.message),
        answer.differences.length > 0 ? h("ul", {}, answer.differences.map(d => h("li", {}, d))) : null);
    } catch (error) {
      if (!isAbort(error)) replace(target, h("p", { class: "error-text" }, error.message));
    }
  };

  const drawDetail = () => {
    const step = run?.steps?.find(s => s.id === selected);
    if (!step) return;
    const explanation = h("div", { class: "explain" });
    const lines = logs.get(step.id) ?? [];
    replace(detail,
      h("h3", {}, step.id, " ", badge(step.state)),
      h("dl", { class: "facts" },
        h("dt", {}, "Kind"), h("dd", {}, step.kind),
        h("dt", {}, "Needs"), h("dd", {}, step.needs.length ? step.needs.join(", ") : dash),
        h("dt", {}, "Attempt"), h("dd", {}, String(step.attempt)),
        h("dt", {}, "Started"), h("dd", {}, time(step.startedAt)),
        h("dt", {}, "Finished"), h("dd", {}, time(step.finishedAt)),
        h("dt", {}, "Cache key"), h("dd", {}, step.cacheKey ? h("code", {}, step.cacheKey) : dash)),
      step.failure ? h("div", { class: "failure" }, h("p", { class: "error-text" }, `${step.failure.class}: ${step.failure.message ?? ""}`),
        step.failure.logTail ? h("pre", {}, step.failure.logTail) : null) : null,
      step.outputs ? [h("h4", {}, "Outputs"), h("pre", { class: "outputs" }, JSON.stringify(step.outputs, null, 2))] : null,
      h("h4", {}, "Log"),
      lines.length ? h("pre", { class: "logs step-log" }, lines.join("\n")) : h("p", { class: "empty" }, "No log lines."),
      h("div", { class: "controls" }, step.cacheKey || step.state === "cached"
        ? h("button", { type: "button", id: "explain", onclick: () => explain(step.id, explanation) }, "Explain cache")
        : null),
      explanation);
  };

  const select = stepId => {
    selected = stepId;
    drawing?.select(stepId);
    drawDetail();
  };

  const drawEvents = () => replace(eventBox, table([
    ["#", e => e.sequence, "num"],
    ["Time", e => time(e.time), "wide"],
    ["Event", e => e.type],
    ["Step", e => e.stepId ?? dash],
    ["Message", e => e.message ?? ""],
  ], events.slice(-200).reverse(), "No events yet.", { id: "run-events" }));

  const load = async () => {
    run = await get(`/api/v1/runs/${enc(id)}`, signal);
    drawHeader();
    const ids = (run.steps ?? []).map(s => s.id).join("\n");
    if (!drawing || drawing.ids !== ids) {
      drawing = dag(run.steps ?? [], select);
      drawing.ids = ids;
      replace(graph, drawing.element);
      if (selected) drawing.select(selected);
    }
    drawing.update(run.steps ?? []);
    drawDetail();
  };

  const later = () => {
    clearTimeout(refetch);
    refetch = setTimeout(() => load().then(status.ok, error => { if (!isAbort(error)) status.fail(error); }), 300);
  };

  const onEvent = ({ event, data }) => {
    events.push(data);
    if (events.length > maxEvents) events.shift();
    if (event === "step.log" && data.stepId) {
      const lines = logs.get(data.stepId) ?? [];
      lines.push(data.message ?? "");
      logs.set(data.stepId, lines);
      if (data.stepId === selected) drawDetail();
    } else if (stepStates[event] && data.stepId && run) {
      const step = run.steps?.find(s => s.id === data.stepId);
      if (step) {
        step.state = stepStates[event];
        if (data.attempt) step.attempt = data.attempt;
        drawing?.update(run.steps);
      }
      later();
    } else if (event.startsWith("run.") && run) {
      later();
    }
    drawEvents();
  };

  const follow = async () => {
    let after = 0;
    while (!signal.aborted) {
      try {
        live.textContent = "Live: following the run's events.";
        await streamEvents(`/api/v1/runs/${enc(id)}/events?follow=true&after=${after}`, signal, item => {
          after = Number(item.id ?? after);
          onEvent(item);
        });
        live.textContent = "The run has finished.";
        later();
        return;
      } catch (error) {
        if (isAbort(error) || signal.aborted) return;
        if (error.status === 404 || error.status === 403) {
          live.textContent = `No events: ${error.message}`;
          return;
        }
        live.textContent = `Event stream interrupted (${error.message}); reconnecting…`;
      }
      await new Promise(resolve => setTimeout(resolve, 3000));
    }
  };

  signal.addEventListener("abort", () => clearTimeout(refetch));
  load().then(() => {
    status.ok();
    drawEvents();
    return follow();
  }, error => { if (!isAbort(error)) status.fail(error); });
}
