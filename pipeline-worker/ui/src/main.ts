// The log explorer: sign in once per tab, then search, anomalies and live tail over the gateway's
// /v1 API. State is in the URL; the token is in sessionStorage (see api.ts).
import { ApiError, getJson, setToken, token, type Anomalies, type LogEvent, type LogsPage, type Stats } from "./api";
import { renderHistogram } from "./histogram";
import { apiParams, fromUrl, toUrl, type Query, type View } from "./query";
import { appendEvent, trim } from "./rows";

const PAGE = 100;
const TAIL_POLL_MS = 500; // with the gateway's 0.5 s edge cache: new events in well under 2 s
const TAIL_WINDOW_MS = 5_000; // re-read the last seconds too: events land slightly out of order
const TAIL_MAX_ROWS = 500; // the tail keeps this many rows, dropping the oldest

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let query: Query = fromUrl(location.search);
let nextCursor: string | null = null;
let pageWindow: URLSearchParams | null = null; // the first page's resolved from/to, for paging
let generation = 0; // a newer search makes the answers of older ones stale
let tailTimer: number | undefined;
let tailPaused = false;
let tailNewest = 0;
let pickersFor = ""; // the range the service and level pickers were filled for
let pickersAt = 0;

function showStatus(kind: "empty" | "error" | "info" | null, text = ""): void {
  const s = $("status");
  s.hidden = kind === null;
  s.className = kind ?? "";
  s.dataset.parameter = "";
  s.textContent = text;
}

function failed(e: unknown): void {
  if (!(e instanceof ApiError)) {
    showStatus("error", `Unexpected error: ${String(e)}`);
    return;
  }
  if (e.status === 401) {
    setToken(null);
    signIn("The gateway did not accept the token. Sign in again.");
    return;
  }
  if (e.status === 400) {
    showStatus("error", `Invalid ${e.parameter ?? "request"}: ${e.message}`);
    $("status").dataset.parameter = e.parameter ?? "";
    return;
  }
  if (e.status === 503) {
    showStatus("error", `The log store is unavailable (503): ${e.message}. Try again in a few seconds.`);
    return;
  }
  showStatus("error", e.status === 0 ? `No answer: ${e.message}.` : `Error ${e.status}: ${e.message}`);
}

function signIn(message = ""): void {
  stopTail();
  $("app").hidden = true;
  $("views").hidden = true;
  $("signout").hidden = true;
  $("signin").hidden = false;
  $("signin-error").textContent = message;
  $<HTMLInputElement>("token").focus();
}

function readForm(): void {
  const v = (id: string) => $<HTMLInputElement>(id).value;
  const utc = (local: string) => (local ? `${local.length === 16 ? `${local}:00` : local}Z` : "");
  query = {
    ...query,
    q: v("q").trim(),
    service: v("service"),
    level: v("level"),
    range: v("range"),
    from: v("range") === "custom" ? utc(v("from")) : "",
    to: v("range") === "custom" ? utc(v("to")) : "",
    anomalies: $<HTMLInputElement>("anomalies").checked,
    minScore: Number.parseInt(v("min-score") || "0", 10) || 0,
  };
}

function writeForm(): void {
  const set = (id: string, value: string) => ($<HTMLInputElement>(id).value = value);
  set("q", query.q);
  ensureOption($("service"), query.service);
  ensureOption($("level"), query.level);
  set("service", query.service);
  set("level", query.level);
  set("range", query.range);
  set("from", query.from.replace(/(\.\d+)?Z$/, ""));
  set("to", query.to.replace(/(\.\d+)?Z$/, ""));
  $("custom").hidden = query.range !== "custom";
  $<HTMLInputElement>("anomalies").checked = query.anomalies;
  set("min-score", String(query.minScore));
  for (const a of document.querySelectorAll("#views a")) {
    a.classList.toggle("active", (a as HTMLElement).dataset.view === query.view);
  }
  $("view-search").hidden = query.view !== "search";
  $("view-anomalies").hidden = query.view !== "anomalies";
  $("view-tail").hidden = query.view !== "tail";
}

function ensureOption(select: HTMLElement, value: string): void {
  if (!value || [...(select as HTMLSelectElement).options].some((o) => o.value === value)) return;
  select.appendChild(new Option(value, value));
}

/** Fills the service and level pickers from what the range holds. */
function fillPickers(stats: Stats): void {
  const fill = (id: string, all: string, values: string[]) => {
    const select = $<HTMLSelectElement>(id);
    const current = select.value;
    select.textContent = "";
    select.appendChild(new Option(all, ""));
    for (const v of [...new Set(values)].sort()) select.appendChild(new Option(v, v));
    ensureOption(select, current);
    select.value = current;
  };
  fill("service", "All services", stats.counts.map((c) => c.service));
  fill("level", "All levels", stats.counts.map((c) => c.level));
}

function navigate(push: boolean): void {
  const url = toUrl(query);
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
  writeForm();
  run();
}

function run(): void {
  stopTail();
  generation++;
  showStatus(null);
  if (query.view === "search") void search(generation);
  else if (query.view === "anomalies") void anomalies(generation);
  else startTail(generation);
}

async function search(gen: number): Promise<void> {
  const body = $("results").querySelector("tbody")!;
  body.textContent = "";
  $("more").hidden = true;
  $("summary").textContent = "Searching…";
  try {
    const unfiltered = new URLSearchParams(apiParams(query, false));
    ["q", "service", "level"].forEach((k) => unfiltered.delete(k));
    const filtered = apiParams(query, false);
    // The pickers list the range's services and levels: one more (rollup) query, asked only when
    // the range changed or the lists are a minute old, not on every search within the range.
    const pickersDue = unfiltered.toString() !== pickersFor || Date.now() - pickersAt > 60_000;
    const [page, stats, all] = await Promise.all([
      getJson<LogsPage>("logs", withLimit(apiParams(query))),
      getJson<Stats>("stats", filtered),
      filtered.toString() === unfiltered.toString() || !pickersDue ? null : getJson<Stats>("stats", unfiltered),
    ]);
    if (gen !== generation) return;
    if (pickersDue) {
      fillPickers(all ?? stats);
      pickersFor = unfiltered.toString();
      pickersAt = Date.now();
    }
    pageWindow = apiParams(query);
    pageWindow.set("from", page.from);
    pageWindow.set("to", page.to);
    renderHistogram($("histogram"), stats, zoom);
    const scored = query.anomalies || query.minScore > 0;
    $("summary").dataset.total = String(stats.total);
    $("summary").dataset.from = stats.from;
    $("summary").dataset.to = stats.to;
    $("summary").textContent = scored
      ? `Anomalous events of ${stats.total.toLocaleString("en")} in ${rangeText(page)}.`
      : `${stats.total.toLocaleString("en")} events in ${rangeText(page)}.`;
    showPage(page);
    if (page.events.length === 0) {
      showStatus("empty", "No events match. Widen the time range or remove a filter.");
    }
  } catch (e) {
    if (gen !== generation) return;
    $("summary").textContent = "";
    $("histogram").textContent = "";
    failed(e);
  }
}

function rangeText(page: LogsPage): string {
  return `${page.from.replace("T", " ").replace(/\.\d+Z|Z/, "")} – ${page.to.replace("T", " ").replace(/\.\d+Z|Z/, "")} UTC`;
}

function withLimit(p: URLSearchParams): URLSearchParams {
  p.set("limit", String(PAGE));
  return p;
}

function showPage(page: LogsPage): void {
  const body = $("results").querySelector("tbody")!;
  page.events.forEach((e) => appendEvent(body, e));
  nextCursor = page.next_cursor;
  $("more").hidden = nextCursor === null;
  $("results").dataset.loaded = String(body.querySelectorAll("tr.event").length);
}

async function loadMore(): Promise<void> {
  if (!nextCursor || !pageWindow) return;
  const gen = generation;
  const p = withLimit(new URLSearchParams(pageWindow));
  p.set("cursor", nextCursor);
  $("more").setAttribute("disabled", "");
  try {
    const page = await getJson<LogsPage>("logs", p);
    if (gen === generation) showPage(page);
  } catch (e) {
    if (gen === generation) failed(e);
  } finally {
    $("more").removeAttribute("disabled");
  }
}

function zoom(fromMs: number, toMs: number): void {
  query = { ...query, range: "custom", from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  navigate(true);
}

async function anomalies(gen: number): Promise<void> {
  const top = $("top-services").querySelector("tbody")!;
  const events = $("anomaly-events").querySelector("tbody")!;
  top.textContent = "";
  events.textContent = "";
  try {
    const p = apiParams(query);
    p.delete("anomalies");
    p.set("limit", String(PAGE));
    const a = await getJson<Anomalies>("anomalies", p);
    if (gen !== generation) return;
    for (const s of a.top_services) {
      const tr = document.createElement("tr");
      for (const v of [s.service, String(s.anomalies), String(s.max_score), String(s.avg_score)]) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.appendChild(td);
      }
      top.appendChild(tr);
    }
    a.events.forEach((e) => appendEvent(events, e));
    if (a.events.length === 0) showStatus("empty", "No anomalous events in this range.");
  } catch (e) {
    if (gen === generation) failed(e);
  }
}

// Live tail: polls /v1/logs from just before the newest event seen, while the tab is visible and
// the tail is not paused; rows seen are skipped by their Kafka position; at most TAIL_MAX_ROWS kept.
function startTail(gen: number): void {
  $("tail-events").querySelector("tbody")!.textContent = "";
  tailNewest = Date.now() - 15 * 60_000;
  tailPaused = false;
  $("tail-toggle").textContent = "Pause";
  void pollTail(gen, true);
}

function stopTail(): void {
  clearTimeout(tailTimer);
  tailTimer = undefined;
}

async function pollTail(gen: number, first = false): Promise<void> {
  if (gen !== generation) return;
  if (!tailPaused && !document.hidden) {
    const p = apiParams(query);
    p.set("from", new Date(Math.min(tailNewest, Date.now()) - (first ? 0 : TAIL_WINDOW_MS)).toISOString());
    p.set("limit", first ? "50" : "200");
    try {
      let page = await getJson<LogsPage>("logs", p);
      const events = [...page.events];
      // A burst: follow the cursor while the page still holds unseen events, up to TAIL_MAX_ROWS.
      while (!first && page.next_cursor && events.length < TAIL_MAX_ROWS && !isSeen(events[events.length - 1])) {
        p.set("cursor", page.next_cursor);
        page = await getJson<LogsPage>("logs", p);
        events.push(...page.events);
      }
      if (gen !== generation) return;
      // Paused while this poll was in flight: what it read waits for the next poll after resume.
      if (!tailPaused) {
        addTail(events);
        $("tail-state").textContent = `Live: polling every ${TAIL_POLL_MS} ms`;
      }
      if (!$("status").classList.contains("empty")) showStatus(null);
    } catch (e) {
      if (gen !== generation) return;
      if (e instanceof ApiError && (e.status === 401 || e.status === 400)) {
        failed(e);
        return; // polling again cannot help
      }
      failed(e);
    }
  }
  tailTimer = window.setTimeout(() => void pollTail(gen), TAIL_POLL_MS);
}

function isSeen(e: LogEvent): boolean {
  return $("tail-events").querySelector(`tr.event[data-key="${e.partition}:${e.offset}"]`) !== null;
}

function addTail(events: LogEvent[]): void {
  const body = $("tail-events").querySelector("tbody")!;
  const seen = new Set([...body.querySelectorAll<HTMLElement>("tr.event")].map((r) => r.dataset.key));
  // The page is newest first; inserting oldest first leaves the newest on top.
  for (const e of [...events].reverse()) {
    if (seen.has(`${e.partition}:${e.offset}`)) continue;
    appendEvent(body, e, true);
    tailNewest = Math.max(tailNewest, Date.parse(e.timestamp));
  }
  trim(body, TAIL_MAX_ROWS);
  $("tail-events").dataset.rows = String(body.querySelectorAll("tr.event").length);
}

function init(): void {
  $("signin-form").addEventListener("submit", (e) => {
    e.preventDefault();
    setToken($<HTMLInputElement>("token").value.trim());
    $<HTMLInputElement>("token").value = "";
    start();
  });
  $("signout").addEventListener("click", () => {
    setToken(null);
    signIn();
  });
  $("query").addEventListener("submit", (e) => {
    e.preventDefault();
    readForm();
    navigate(true);
  });
  $("range").addEventListener("change", () => {
    $("custom").hidden = $<HTMLSelectElement>("range").value !== "custom";
  });
  $("more").addEventListener("click", () => void loadMore());
  $("tail-toggle").addEventListener("click", () => {
    tailPaused = !tailPaused;
    $("tail-toggle").textContent = tailPaused ? "Resume" : "Pause";
    $("tail-state").textContent = tailPaused ? "Paused" : "Resuming…";
  });
  for (const a of document.querySelectorAll<HTMLElement>("#views a")) {
    a.addEventListener("click", (e) => {
      e.preventDefault();
      readForm();
      query = { ...query, view: a.dataset.view as View };
      navigate(true);
    });
  }
  window.addEventListener("popstate", () => {
    query = fromUrl(location.search);
    writeForm();
    run();
  });
  if (token()) start();
  else signIn();
}

function start(): void {
  $("signin").hidden = true;
  $("app").hidden = false;
  $("views").hidden = false;
  $("signout").hidden = false;
  query = fromUrl(location.search);
  writeForm();
  run();
}

init();
