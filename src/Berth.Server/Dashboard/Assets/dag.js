// A run's steps drawn as a left-to-right DAG in SVG: a step's column is the longest chain of steps it waits for, so every
// edge points right. Node classes carry the step's state (state-succeeded, …) for the stylesheet and for tests.

const ns = "http://www.w3.org/2000/svg";
const nodeWidth = 150;
const nodeHeight = 38;
const columnGap = 50;
const rowGap = 18;
const margin = 10;

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(ns, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

export function layout(steps) {
  const byId = new Map(steps.map(step => [step.id, step]));
  const column = new Map();
  const visiting = new Set();
  const depth = id => {
    if (column.has(id)) return column.get(id);
    if (visiting.has(id)) return 0; // a cycle cannot be applied; draw what we have rather than loop
    visiting.add(id);
    const needs = (byId.get(id)?.needs ?? []).filter(n => byId.has(n));
    const value = needs.length === 0 ? 0 : 1 + Math.max(...needs.map(depth));
    visiting.delete(id);
    column.set(id, value);
    return value;
  };
  const rows = [];
  const positions = new Map();
  for (const step of steps) {
    const c = depth(step.id);
    rows[c] = (rows[c] ?? 0) + 1;
    positions.set(step.id, { column: c, row: rows[c] - 1 });
  }
  const columns = rows.length;
  const tallest = Math.max(1, ...rows.map(r => r ?? 0));
  return {
    width: margin * 2 + columns * nodeWidth + Math.max(0, columns - 1) * columnGap,
    height: margin * 2 + tallest * nodeHeight + (tallest - 1) * rowGap,
    at(id) {
      const p = positions.get(id);
      return { x: margin + p.column * (nodeWidth + columnGap), y: margin + p.row * (nodeHeight + rowGap) };
    },
  };
}

/** Draws steps; onSelect(id) is called when a step is clicked. Returns {element, update(steps), select(id)}. */
export function dag(steps, onSelect) {
  const plan = layout(steps);
  const root = svg("svg", { id: "dag", class: "dag", viewBox: `0 0 ${plan.width} ${plan.height}`, width: plan.width, height: plan.height, role: "img", "aria-label": "Steps of the run" });
  const defs = svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 8 8", refX: 8, refY: 4, markerWidth: 6, markerHeight: 6, orient: "auto" }, svg("path", { d: "M0,0 L8,4 L0,8 z", class: "arrow" })));
  const edges = svg("g", { class: "edges" });
  const nodes = svg("g", { class: "nodes" });
  root.append(defs, edges, nodes);
  const elements = new Map();
  for (const step of steps) {
    const to = plan.at(step.id);
    for (const need of step.needs ?? []) {
      if (!steps.some(s => s.id === need)) continue;
      const from = plan.at(need);
      const x1 = from.x + nodeWidth;
      const y1 = from.y + nodeHeight / 2;
      const x2 = to.x;
      const y2 = to.y + nodeHeight / 2;
      const bend = (x2 - x1) / 2;
      edges.append(svg("path", { d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`, "marker-end": "url(#arrow)", "data-from": need, "data-to": step.id }));
    }
    const label = step.id.length > 18 ? `${step.id.slice(0, 17)}…` : step.id;
    const title = svg("title", {});
    const state = svg("text", { x: to.x + 10, y: to.y + 31, class: "state" });
    const node = svg("g", { class: "node", "data-step": step.id, tabindex: 0, role: "button" },
      title,
      svg("rect", { x: to.x, y: to.y, width: nodeWidth, height: nodeHeight, rx: 6 }),
      svg("text", { x: to.x + 10, y: to.y + 16, class: "label" }, label),
      state);
    node.addEventListener("click", () => onSelect(step.id));
    node.addEventListener("keydown", event => { if (event.key === "Enter" || event.key === " ") onSelect(step.id); });
    nodes.append(node);
    elements.set(step.id, { node, title, state });
  }
  const update = current => {
    for (const step of current) {
      const element = elements.get(step.id);
      if (!element) continue;
      element.node.setAttribute("class", `node state-${step.state}${element.node.classList.contains("selected") ? " selected" : ""}`);
      element.node.setAttribute("data-state", step.state);
      element.state.textContent = step.attempt > 1 ? `${step.state} · try ${step.attempt}` : step.state;
      element.title.textContent = `${step.id} (${step.kind ?? "step"}): ${step.state}`;
    }
  };
  const select = id => {
    for (const [stepId, element] of elements) element.node.classList.toggle("selected", stepId === id);
  };
  update(steps);
  return { element: root, update, select };
}
