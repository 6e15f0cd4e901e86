// Export as CSV or JSON, made in the browser from what the page already holds: no extra call, no token in a link.

import { h } from "./dom.js";

function csvCell(value) {
  if (value === undefined || value === null) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows, columns) {
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map(column => csvCell(row[column])).join(","));
  return lines.join("\r\n") + "\r\n";
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = h("a", { href: url, download: name, hidden: true });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Two buttons that download rows() as CSV (with columns) or JSON, named like "name-2026-12-05T07-30-00Z.csv". */
export function exportButtons(name, columns, rows) {
  const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
  return h("span", { class: "export" },
    h("button", { type: "button", "data-export": "csv", onclick: () => download(`${name}-${stamp()}.csv`, "text/csv", toCsv(rows(), columns)) }, "CSV"),
    h("button", { type: "button", "data-export": "json", onclick: () => download(`${name}-${stamp()}.json`, "application/json", JSON.stringify(rows(), null, 2)) }, "JSON"));
}
