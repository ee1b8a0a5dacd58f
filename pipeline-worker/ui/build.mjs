// Bundles the log explorer into the directory given as the first argument (the gateway jar's
// resources under gateway/ui): app.js (one IIFE, minified), app.css (ours + uPlot's), index.html.
// No inline script or style anywhere, so the page runs under a strict Content-Security-Policy.
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const out = process.argv[2];
if (!out) {
  console.error("usage: node build.mjs <output directory>");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: { app: "src/main.ts" },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outdir: out,
  logLevel: "warning",
});
await esbuild.build({
  entryPoints: { app: "src/app.css" },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: "warning",
});
copyFileSync("src/index.html", join(out, "index.html"));
