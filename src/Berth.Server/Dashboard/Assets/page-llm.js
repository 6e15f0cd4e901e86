// The LLM gateway: what calls used and cost over a window (grouped by agent, model, workflow, day or endpoint), the budgets
// of agents and workflows with what is left, and the model endpoints. An endpoint's key is never shown: the API gives only
// the secret it is read from.

import { get } from "./api.js";
import { cost, count, dash, enc, every, h, link, replace, section, statusLine, table, time } from "./dom.js";
import { exportButtons } from "./export.js";

const windows = [["24h", "Last 24 hours"], ["7d", "Last 7 days"], ["30d", "Last 30 days"]];
const groupings = [["agent", "By agent"], ["model", "By model"], ["workflow", "By workflow"], ["day", "By day"], ["endpoint", "By endpoint"]];
const usageColumns = ["key", "calls", "inFlight", "promptTokens", "cachedTokens", "completionTokens", "totalTokens", "cost"];

// Below this share of a limit left, a budget is marked: the next calls may be refused with 429.
const lowShare = 0.1;

function select(id, label, options, chosen) {
  return h("select", { id, "aria-label": label }, options.map(([value, text]) => h("option", { value, selected: value === chosen }, text)));
}

function groupKey(group, by) {
  if (group.total) return "Total";
  if (group.key === null || group.key === undefined) return h("span", { class: "empty" }, "(none)");
  // an agent links to its page; a user's calls are keyed token:ID, which has none
  if (by === "agent" && !group.key.startsWith("token:")) return link(`#/agents/${enc(group.key)}`, group.key);
  return by === "workflow" ? link("#/workflows", group.key) : group.key;
}

/** "agent/NAME" linked to the agent's page, or "workflow/NAME" to the workflows page (a workflow has no page of its own). */
function subject(budget) {
  const text = `${budget.scope}/${budget.name}`;
  return budget.scope === "workflow" ? link("#/workflows", text) : link(`#/agents/${enc(budget.name)}`, text);
}

/** When a calendar budget is whole again; a per-run budget never resets, and what it shows used is its latest run's, linked. */
function resets(status) {
  if (status.budget.period !== "run") return time(status.resetsAt);
  return h("span", {}, "each run", " ", status.runId
    ? h("small", {}, "(latest run ", link(`#/runs/${enc(status.runId)}`, status.runId), ")")
    : h("small", {}, "(no run has made calls yet)"));
}

function calls(group) {
  return group.inFlight > 0 ? [count(group.calls), " ", h("small", {}, `(${count(group.inFlight)} in flight)`)] : count(group.calls);
}

/** "used / limit", marked when less than a tenth of the limit is left; "used (no limit)" without one. */
function against(used, limit, remaining, format) {
  if (limit === null || limit === undefined) return h("span", {}, format(used), " ", h("small", {}, "(no limit)"));
  const share = limit > 0 ? remaining / limit : 0;
  return h("span", {}, `${format(used)} / ${format(limit)}`, share < lowShare
    ? [" ", h("span", { class: "badge budget-low", title: "Less than 10% of this limit is left" }, remaining <= 0 ? "used up" : `${Math.floor(share * 100)}% left`)]
    : null);
}

function secretName(reference) {
  const match = /^\$\{secret:([^}]+)\}$/.exec(reference ?? "");
  return match ? h("code", {}, match[1]) : dash;
}

// A spec comes as its document is written: fields left at their defaults are left out, and a model without an alias may be
// a bare name.
function models(endpoint) {
  return (endpoint.spec.models ?? []).map(entry => typeof entry === "string" ? { name: entry } : entry).map((model, i) =>
    h("span", { class: "model" }, i > 0 ? h("br", {}) : null,
      h("code", {}, model.name), model.alias ? [" as ", h("code", { class: "alias" }, model.alias)] : null));
}

export default function render(main, _params, signal) {
  const status = statusLine();
  const since = select("llm-since", "Window", windows, "7d");
  const by = select("llm-by", "Group by", groupings, "agent");
  const usage = h("div", {}, h("p", { class: "empty" }, "Loading…"));
  const budgets = h("div", {});
  const endpoints = h("div", {});
  let groups = [];
  let asked = 0;

  main.append(h("h1", {}, "LLM gateway"), status.element,
    section("Usage", h("div", { class: "controls" }, since, by, exportButtons("llm-usage", usageColumns, () => groups)), usage),
    section("Budgets", budgets),
    section("Model endpoints", endpoints));

  const loadUsage = async () => {
    const grouping = by.value;
    const mine = ++asked;
    const report = await get(`/api/v1/usage?since=${enc(since.value)}&by=${enc(grouping)}`, signal);
    // a poll that set out before the window or grouping changed must not draw over the newer answer
    if (mine !== asked) return;
    groups = report.groups.map(g => ({ ...g, totalTokens: g.promptTokens + g.completionTokens }));
    replace(usage, table([
      [grouping === "day" ? "Day" : grouping[0].toUpperCase() + grouping.slice(1), g => groupKey(g, grouping)],
      ["Calls", calls, "num"],
      ["Prompt", g => count(g.promptTokens), "num"],
      ["Cached", g => count(g.cachedTokens), "num wide"],
      ["Completion", g => count(g.completionTokens), "num"],
      ["Total tokens", g => count(g.promptTokens + g.completionTokens), "num"],
      ["Cost", g => cost(g.cost), "num"],
    ], groups, "No LLM calls in this window.", { id: "llm-usage" }, { ...report.total, total: true }));
  };

  const loadRest = async () => {
    const [budgetList, endpointList] = await Promise.all([get("/api/v1/budgets", signal), get("/api/v1/model-endpoints", signal)]);
    replace(budgets, table([
      ["Budget", b => subject(b.budget)],
      ["Period", b => b.budget.period],
      ["Tokens used", b => against(b.usedTokens, b.budget.maxTokens, b.remainingTokens, count)],
      ["Cost used", b => against(b.usedCost, b.budget.maxCost, b.remainingCost, cost)],
      ["Resets", resets, "wide"],
    ], budgetList, "No budgets set. Set one with 'berth budgets set'.", { id: "llm-budgets" }));
    replace(endpoints, table([
      ["Endpoint", e => e.name],
      ["Provider", e => e.spec.provider ?? "openai"], // left out at its default
      ["Base URL", e => h("code", {}, e.spec.baseUrl)],
      ["Models", models],
      ["Fallbacks", e => (e.spec.fallbacks ?? []).length > 0 ? e.spec.fallbacks.join(", ") : dash],
      ["Key secret", e => secretName(e.spec.apiKey), "wide"],
      ["Gateway path", e => h("code", {}, e.basePath), "wide"],
    ], endpointList, "No model endpoints. Apply one with 'berth apply -f endpoint.yaml'.", { id: "llm-endpoints" }));
  };

  for (const control of [since, by]) control.addEventListener("change", () => loadUsage().then(status.ok, status.fail));
  every(10000, signal, status, () => Promise.all([loadUsage(), loadRest()]));
}
