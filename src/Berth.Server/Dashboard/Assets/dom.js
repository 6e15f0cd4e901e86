// Small DOM helpers. Text always goes in as text nodes, never as HTML: log lines, names and errors come from agents and
// users, and must not become markup.

import { isAbort } from "./api.js";

export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

export const dash = "—";

export function time(value) {
  if (!value) return dash;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? dash : date.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export function bytes(value) {
  if (value === undefined || value === null) return dash;
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let size = value;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return `${size.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function number(value, digits = 1) {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : dash;
}

const counts = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A whole count (calls, tokens) with thousands separators, the same in every locale. */
export function count(value) {
  return typeof value === "number" && Number.isFinite(value) ? counts.format(value) : dash;
}

/**
 * A cost in the price tables' currency (which the server does not name): two decimals from 1 up; below, every digit down
 * to the billionth the server counts in, since one call often costs a fraction of a cent.
 */
export function cost(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return dash;
  if (value === 0) return "0";
  return Math.abs(value) >= 1 ? value.toFixed(2) : value.toFixed(9).replace(/(\.\d\d\d*?)0+$/, "$1");
}

/** A state as a coloured badge; the class names the state, so tests and styles can find it. */
export function badge(state) {
  const name = String(state ?? "unknown");
  return h("span", { class: `badge state-${name}` }, name);
}

/**
 * A table; columns are [title, cell(row), className?]. On a phone each row becomes a card of "title: value" lines (the
 * stylesheet reads data-label), and columns marked "wide" are left out. A footer row (a total) goes through the same cells.
 */
export function table(columns, rows, empty, attributes, footer) {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  const line = row => h("tr", {}, columns.map(([title, cell, css]) => h("td", { class: css, "data-label": title }, cell(row))));
  return h("div", { class: "scroll" },
    h("table", attributes ?? {},
      h("thead", {}, h("tr", {}, columns.map(([title, , css]) => h("th", { class: css }, title)))),
      h("tbody", {}, rows.map(line)),
      footer ? h("tfoot", {}, line(footer)) : null));
}

export function section(title, ...children) {
  return h("section", { class: "card" }, h("h2", {}, title), ...children);
}

/** A line that shows what went wrong with the last refresh, kept out of the console. */
export function statusLine() {
  const element = h("p", { class: "status", role: "status" });
  return {
    element,
    ok() { element.textContent = ""; element.classList.remove("error"); },
    fail(error) { element.textContent = `Could not refresh: ${error.message}`; element.classList.add("error"); },
  };
}

/**
 * Runs work now and then every interval until signal aborts; a failure goes to status, never to the console. Refreshes
 * are skipped while the tab is hidden.
 */
export function every(interval, signal, status, work) {
  let timer;
  const tick = async () => {
    if (signal.aborted) return;
    if (!document.hidden) {
      try {
        await work();
        status?.ok();
      } catch (error) {
        if (!isAbort(error)) status?.fail(error);
      }
    }
    if (!signal.aborted) timer = setTimeout(tick, interval);
  };
  signal.addEventListener("abort", () => clearTimeout(timer));
  tick();
}

export function link(href, text) {
  return h("a", { href }, text);
}

export function enc(value) {
  return encodeURIComponent(value);
}
