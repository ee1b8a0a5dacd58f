// The explorer's state lives in the page URL (shareable; never the token).
export type View = "search" | "anomalies" | "tail";

export interface Query {
  view: View;
  q: string;
  service: string;
  level: string;
  range: string; // 15m, 1h, 24h, 7d or custom
  from: string; // ISO-8601, custom only
  to: string;
  anomalies: boolean;
  minScore: number;
}

export const PRESETS = ["15m", "1h", "24h", "7d"];
const VIEWS: View[] = ["search", "anomalies", "tail"];

export function fromUrl(search: string): Query {
  const p = new URLSearchParams(search);
  const view = p.get("view") as View;
  const range = p.get("range") ?? "1h";
  const minScore = Number.parseInt(p.get("min_score") ?? "0", 10);
  return {
    view: VIEWS.includes(view) ? view : "search",
    q: p.get("q") ?? "",
    service: p.get("service") ?? "",
    level: p.get("level") ?? "",
    range: PRESETS.includes(range) || range === "custom" ? range : "1h",
    from: p.get("from") ?? "",
    to: p.get("to") ?? "",
    anomalies: p.get("anomalies") === "true",
    minScore: Number.isFinite(minScore) ? minScore : 0,
  };
}

export function toUrl(q: Query): string {
  const p = new URLSearchParams();
  if (q.view !== "search") p.set("view", q.view);
  if (q.q) p.set("q", q.q);
  if (q.service) p.set("service", q.service);
  if (q.level) p.set("level", q.level);
  p.set("range", q.range);
  if (q.range === "custom") {
    p.set("from", q.from);
    p.set("to", q.to);
  }
  if (q.anomalies) p.set("anomalies", "true");
  if (q.minScore > 0) p.set("min_score", String(q.minScore));
  return `?${p}`;
}

/** The filters as API parameters; {@code withScore} false for /v1/stats, which has no score filter. */
export function apiParams(q: Query, withScore = true): URLSearchParams {
  const p = new URLSearchParams();
  if (q.range === "custom") {
    if (q.from) p.set("from", q.from);
    if (q.to) p.set("to", q.to);
  } else {
    p.set("from", q.range);
  }
  if (q.q) p.set("q", q.q);
  if (q.service) p.set("service", q.service);
  if (q.level) p.set("level", q.level);
  if (withScore) {
    if (q.anomalies) p.set("anomalies", "true");
    if (q.minScore > 0) p.set("min_score", String(q.minScore));
  }
  return p;
}
