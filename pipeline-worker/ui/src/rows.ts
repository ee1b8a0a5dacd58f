// Event rows: newest first, level colour, anomaly score and reasons; a click expands every field
// and attribute, with "Copy as JSON". Text goes in through textContent only, never as HTML.
import type { LogEvent } from "./api";

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

function cell(tr: HTMLElement, cls: string, text: string): HTMLTableCellElement {
  const td = document.createElement("td");
  td.className = cls;
  td.textContent = text;
  tr.appendChild(td);
  return td;
}

export function levelBadge(level: string): HTMLElement {
  const span = document.createElement("span");
  span.className = `level level-${LEVELS.includes(level) ? level : "INFO"}`;
  span.textContent = level;
  return span;
}

/** Appends (or, with {@code prepend}, inserts first) one event row and its hidden details row. */
export function appendEvent(tbody: HTMLElement, e: LogEvent, prepend = false): HTMLElement {
  const tr = document.createElement("tr");
  tr.className = "event";
  tr.dataset.key = `${e.partition}:${e.offset}`;
  tr.dataset.level = e.level;
  cell(tr, "time", e.timestamp);
  cell(tr, "lvl", "").appendChild(levelBadge(e.level));
  cell(tr, "service", e.service);
  cell(tr, "message", e.message);
  const score = cell(tr, "score", e.anomaly_score > 0 ? String(e.anomaly_score) : "");
  if (e.anomaly_score >= 50) score.classList.add("score-high");
  if (e.anomaly_reasons?.length) {
    const reasons = document.createElement("div");
    reasons.className = "reasons";
    reasons.textContent = e.anomaly_reasons.join(", ");
    score.appendChild(reasons);
  }
  const details = document.createElement("tr");
  details.className = "details";
  details.hidden = true;
  tr.addEventListener("click", () => {
    if (!details.firstChild) fillDetails(details, e);
    details.hidden = !details.hidden;
  });
  if (prepend) {
    tbody.insertBefore(details, tbody.firstChild);
    tbody.insertBefore(tr, details);
  } else {
    tbody.appendChild(tr);
    tbody.appendChild(details);
  }
  return tr;
}

/** Removes event rows (with their details) past the first {@code max}. */
export function trim(tbody: HTMLElement, max: number): void {
  const rows = tbody.querySelectorAll("tr.event");
  for (let i = max; i < rows.length; i++) {
    rows[i].nextElementSibling?.remove();
    rows[i].remove();
  }
}

function fillDetails(details: HTMLElement, e: LogEvent): void {
  const td = document.createElement("td");
  td.colSpan = 5;
  const table = document.createElement("table");
  table.className = "plain fields";
  const add = (name: string, value: unknown) => {
    if (value === null || value === undefined || value === "") return;
    const row = document.createElement("tr");
    cell(row, "field", name);
    cell(row, "value", typeof value === "string" ? value : JSON.stringify(value));
    table.appendChild(row);
  };
  for (const [name, value] of Object.entries(e)) {
    if (name === "attributes") continue;
    add(name, value);
  }
  for (const [name, value] of Object.entries(e.attributes ?? {})) add(`attributes.${name}`, value);
  td.appendChild(table);
  const json = JSON.stringify(e, null, 2);
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "copy";
  copy.textContent = "Copy as JSON";
  const note = document.createElement("span");
  note.className = "copied";
  copy.addEventListener("click", async (ev) => {
    ev.stopPropagation();
    note.textContent = (await copyText(json)) ? " copied" : " copy failed: select the JSON below";
  });
  const pre = document.createElement("pre");
  pre.className = "json";
  pre.textContent = json;
  td.append(copy, note, pre);
  details.appendChild(td);
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (permissions, insecure origin): the classic route.
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}
