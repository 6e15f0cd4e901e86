// One agent: its instances with CPU and memory sparklines, events, live logs (search and filter), request history, and
// what its LLM calls used in the last 7 days (when it made any).

import { get, getOptional, hasRoute, isAbort, streamJsonLines } from "./api.js";
import { badge, bytes, cost, count, dash, enc, every, h, link, number, replace, section, statusLine, table, time } from "./dom.js";
import { exportButtons } from "./export.js";
import { sparkline } from "./spark.js";

const history = 60;
const maxLines = 2000;
const shownLines = 1000;

function statsCells(stats, instanceId) {
  const series = stats.history.get(instanceId) ?? [];
  if (!stats.available || series.length === 0) return { cpu: dash, memory: dash, network: dash };
  const last = series[series.length - 1];
  return {
    cpu: h("span", { class: "metric" }, sparkline(series.map(s => s.cpuPercent ?? 0)), ` ${number(last.cpuPercent)}%`),
    memory: h("span", { class: "metric" }, sparkline(series.map(s => s.memoryBytes ?? 0), 160, 32, last.memoryLimitBytes ?? undefined),
      ` ${bytes(last.memoryBytes)}${last.memoryLimitBytes ? ` / ${bytes(last.memoryLimitBytes)}` : ""}`),
    network: last.networkRxBytes === null || last.networkRxBytes === undefined ? dash : `↓${bytes(last.networkRxBytes)} ↑${bytes(last.networkTxBytes)}`,
  };
}

function logView(name, signal) {
  const lines = [];
  const instances = new Set();
  const search = h("input", { type: "search", id: "log-search", placeholder: "Search logs", "aria-label": "Search logs" });
  const instance = h("select", { id: "log-instance", "aria-label": "Instance" }, h("option", { value: "" }, "All instances"));
  const source = h("select", { id: "log-source", "aria-label": "Stream" },
    h("option", { value: "" }, "stdout and stderr"), h("option", { value: "stdout" }, "stdout"), h("option", { value: "stderr" }, "stderr"));
  const box = h("div", { id: "logs", class: "logs", role: "log", "aria-live": "polite" });
  const note = h("p", { class: "status" }, "Connecting…");
  const matches = line => {
    const text = search.value.trim().toLowerCase();
    return (!instance.value || line.instanceId === instance.value) &&
      (!source.value || line.source === source.value) &&
      (!text || line.line.toLowerCase().includes(text));
  };
  const row = line => h("div", { class: `line ${line.source}` },
    h("span", { class: "when" }, time(line.time).slice(11)), " ", h("span", { class: "who" }, line.instanceId.slice(-8)), " ", line.line);
  const redraw = () => replace(box, lines.filter(matches).slice(-shownLines).map(row));
  for (const control of [search, instance, source]) control.addEventListener("input", redraw);

  const add = line => {
    line.source = String(line.source ?? "").toLowerCase();
    lines.push(line);
    if (lines.length > maxLines) lines.splice(0, lines.length - maxLines);
    if (!instances.has(line.instanceId)) {
      instances.add(line.instanceId);
      instance.append(h("option", { value: line.instanceId }, line.instanceId));
    }
    if (!matches(line)) return;
    const stick = box.scrollTop + box.clientHeight >= box.scrollHeight - 8;
    box.append(row(line));
    while (box.childElementCount > shownLines) box.firstElementChild.remove();
    if (stick) box.scrollTop = box.scrollHeight;
  };

  const follow = async () => {
    let since = null;
    while (!signal.aborted) {
      try {
        note.textContent = "Following live.";
        const query = since ? `since=${enc(since)}` : "tail=200";
        await streamJsonLines(`/api/v1/agents/${enc(name)}/logs?${query}&follow=true`, signal, line => {
          if (since && line.time <= since) return;
          since = line.time;
          add(line);
        });
        note.textContent = "The log stream ended; reconnecting…";
      } catch (error) {
        if (isAbort(error) || signal.aborted) return;
        if (error.status === 404 || error.status === 403) {
          note.textContent = `No logs: ${error.message}`;
          return;
        }
        note.textContent = `Log stream interrupted (${error.message}); reconnecting…`;
      }
      await new Promise(resolve => setTimeout(resolve, 3000));
    }
  };
  follow();

  const filtered = () => lines.filter(matches).map(l => ({ time: l.time, instanceId: l.instanceId, source: l.source, line: l.line }));
  return section("Logs",
    h("div", { class: "controls" }, search, instance, source, exportButtons(`${name}-logs`, ["time", "instanceId", "source", "line"], filtered)),
    note, box);
}

export default function render(main, [name], signal) {
  const status = statusLine();
  const summary = h("div", {});
  const llm = h("p", { id: "agent-llm", class: "llm-usage", hidden: true });
  const instances = h("div", {});
  const events = h("div", {});
  const requests = h("div", {});
  const stats = { available: true, history: new Map() };
  let view = null;
  let eventList = [];
  let requestList = [];

  const drawInstances = () => {
    if (!view) return;
    replace(instances, table([
      ["Instance", i => h("code", {}, i.id)],
      ["State", i => badge(i.state)],
      ["Restarts", i => i.restartCount, "num"],
      ["CPU", i => statsCells(stats, i.id).cpu],
      ["Memory", i => statsCells(stats, i.id).memory],
      ["Network", i => statsCells(stats, i.id).network, "wide"],
      ["Started", i => time(i.startedAt), "wide"],
      ["Note", i => i.message ?? (i.exitCode !== null && i.exitCode !== undefined ? `exit ${i.exitCode}` : ""), "wide"],
    ], view.instances, "No instances.", { id: "instances" }));
  };

  main.append(
    h("h1", {}, "Agent ", h("span", { class: "name" }, name)),
    status.element,
    section("Summary", summary, llm),
    section("Instances", instances),
    logView(name, signal),
    section("Requests", h("div", { class: "controls" }, exportButtons(`${name}-requests`,
      ["id", "acceptedAt", "method", "target", "state", "status", "attempts", "lastError", "finishedAt"], () => requestList)), requests),
    section("Events", events));

  every(5000, signal, status, async () => {
    view = await get(`/api/v1/agents/${enc(name)}`, signal);
    replace(summary, h("dl", { class: "facts" },
      h("dt", {}, "State"), h("dd", {}, badge(view.state)),
      h("dt", {}, "Ready"), h("dd", {}, `${view.readyReplicas}/${view.replicas}`),
      h("dt", {}, "Requests"), h("dd", {}, typeof view.requestRate === "number" ? `${number(view.requestRate, 2)}/s` : dash),
      h("dt", {}, "Runtime"), h("dd", {}, view.runtime),
      h("dt", {}, "Proxy"), h("dd", {}, h("code", {}, view.proxyPath)),
      h("dt", {}, "Generation"), h("dd", {}, String(view.generation)),
      h("dt", {}, "Updated"), h("dd", {}, time(view.updatedAt))));
    drawInstances();
  });

  every(3000, signal, null, async () => {
    stats.available &&= await hasRoute("/api/v1/agents/{name}/stats");
    if (!stats.available) {
      drawInstances();
      return;
    }
    const answer = await getOptional(`/api/v1/agents/${enc(name)}/stats`, signal);
    if (answer === null) {
      stats.available = false;
    } else {
      for (const sample of answer.instances ?? []) {
        const series = stats.history.get(sample.instanceId) ?? [];
        if (series.length === 0 || series[series.length - 1].at !== sample.at) series.push(sample);
        if (series.length > history) series.shift();
        stats.history.set(sample.instanceId, series);
      }
    }
    drawInstances();
  });

  every(5000, signal, status, async () => {
    const after = eventList.length > 0 ? `&after=${eventList[eventList.length - 1].id}` : "";
    const fresh = await get(`/api/v1/agents/${enc(name)}/events?limit=100${after}`, signal);
    if (fresh.length === 0 && eventList.length > 0) return;
    eventList = eventList.concat(fresh).slice(-200);
    replace(events, table([
      ["Time", e => time(e.time)],
      ["Reason", e => h("span", { class: e.warning ? "warning" : "" }, e.reason)],
      ["Instance", e => e.instanceId ? e.instanceId.slice(-8) : dash, "wide"],
      ["Message", e => e.message],
    ], eventList.slice().reverse(), "No events yet.", { id: "events" }));
  });

  every(15000, signal, null, async () => {
    if (!await hasRoute("/api/v1/usage")) return;
    const report = await get(`/api/v1/usage?since=7d&by=agent&agent=${enc(name)}`, signal);
    const total = report.total;
    llm.hidden = total.calls === 0;
    if (total.calls > 0) {
      replace(llm, h("strong", {}, "LLM usage (7d): "),
        `${count(total.calls)} ${total.calls === 1 ? "call" : "calls"} · ${count(total.promptTokens + total.completionTokens)} tokens · cost ${cost(total.cost)} `,
        link("#/llm", "details"));
    }
  });

  every(5000, signal, status, async () => {
    requestList = await get(`/api/v1/requests?agent=${enc(name)}&limit=50`, signal);
    replace(requests, table([
      ["Accepted", r => time(r.acceptedAt)],
      ["Request", r => h("code", {}, `${r.method} ${r.target}`)],
      ["State", r => badge(r.state)],
      ["Status", r => r.status ?? dash, "num"],
      ["Attempts", r => `${r.attempts}/${r.maxAttempts}`, "num wide"],
      ["Last error", r => r.lastError ?? "", "wide"],
    ], requestList, "No stored requests for this agent.", { id: "agent-requests" }));
  });
}
