// The histogram of the range, stacked by level (uPlot bars drawn as cumulative series, the largest
// first so each level shows as its own band). Dragging across it selects a new time range.
import uPlot from "uplot";
import type { Stats } from "./api";

const ORDER = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
const COLOURS: Record<string, string> = {
  TRACE: "#9aa4b2", DEBUG: "#6b7f99", INFO: "#2f8f5b", WARN: "#d08a12", ERROR: "#d64545", FATAL: "#7a1f9e",
};

let plot: uPlot | null = null;

export function renderHistogram(
  el: HTMLElement,
  stats: Stats,
  onZoom: (fromMs: number, toMs: number) => void,
): void {
  plot?.destroy();
  plot = null;
  el.textContent = "";
  const levels = ORDER.filter((l) => stats.histogram.some((b) => (b.levels?.[l] ?? 0) > 0));
  const step = stats.interval_seconds;
  const xs = stats.histogram.map((b) => Date.parse(b.time) / 1000 + step / 2);
  const raw = levels.map((l) => stats.histogram.map((b) => b.levels?.[l] ?? 0));
  // cumulative[i] = raw[0] + ... + raw[i]; drawn from the top band down.
  const cumulative = raw.map((_, i) => xs.map((__, j) => raw.slice(0, i + 1).reduce((s, r) => s + r[j], 0)));
  const top = levels.map((_, i) => levels.length - 1 - i);
  const bars = uPlot.paths.bars!({ size: [0.9, 60] });
  const opts: uPlot.Options = {
    width: Math.max(320, el.clientWidth - 2),
    height: 160,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    scales: { x: { time: true, range: () => [Date.parse(stats.from) / 1000, Date.parse(stats.to) / 1000] } },
    cursor: { drag: { x: true, y: false, setScale: false } },
    legend: { show: true },
    series: [
      { label: "time (UTC)" },
      ...top.map((i) => ({
        label: levels[i],
        fill: COLOURS[levels[i]],
        stroke: COLOURS[levels[i]],
        width: 0,
        paths: bars,
        points: { show: false },
        value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) =>
          idx == null ? "" : String(raw[i][idx]),
      })),
    ],
    axes: [{}, { size: 50 }],
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 3) return;
          const from = u.posToVal(u.select.left, "x");
          const to = u.posToVal(u.select.left + u.select.width, "x");
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          onZoom(Math.round(from * 1000), Math.round(to * 1000));
        },
      ],
    },
  };
  plot = new uPlot(opts, [xs, ...top.map((i) => cumulative[i])], el);
}
