package dev.logpipe.worker.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Prints the log explorer's figures against a running gateway (e.g. the sandbox's): first
 * contentful paint, results on screen after opening the page, and the latency of uncached searches
 * (each with a text no earlier search used), measured inside headless Chromium.
 *
 * <pre>bin/bench pipeline-worker dev.logpipe.worker.it.ExplorerTimings URL TOKEN [searches]</pre>
 */
public final class ExplorerTimings {
  private static final String RESULTS_SHOWN =
      "const s = document.getElementById('summary'), st = document.getElementById('status');"
          + " return (s.dataset.total !== undefined && !s.textContent.startsWith('Searching'))"
          + " || !st.hidden;";

  private ExplorerTimings() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ExplorerTimings GATEWAY_URL TOKEN [searches]");
      System.exit(2);
    }
    String url = args[0].replaceAll("/+$", "") + "/";
    int searches = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    try (Browser browser = new Browser()) {
      List<Double> paints = new ArrayList<>();
      List<Double> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        // A fresh navigation each time, signed in (the token is in the tab's sessionStorage).
        browser.driver.get(url + "?range=1h");
        browser.js("sessionStorage.setItem('logpipe.token', arguments[0]);", args[1]);
        browser.driver.navigate().refresh();
        browser.until(15, d -> (Boolean) browser.js(RESULTS_SHOWN));
        double shown = ((Number) browser.js("return performance.now();")).doubleValue();
        double fcp =
            ((Number)
                    browser.js(
                        "const p = performance.getEntriesByName('first-contentful-paint')[0];"
                            + " return p ? p.startTime : -1;"))
                .doubleValue();
        if (i > 0) { // the first load warms the JVM and the browser cache
          paints.add(fcp);
          results.add(shown);
        }
      }
      // Text searches in the last hour: the logs page and the text-filtered stats (a scan).
      List<Double> text = new ArrayList<>();
      for (int i = 0; i < searches; i++) {
        text.add(search(browser, "document.getElementById('q').value = arguments[0];", "e" + i));
      }
      // A new absolute range with a service and a level each time: logs, stats from the rollup,
      // and the pickers' stats for the new range.
      List<Double> filters = new ArrayList<>();
      long end = System.currentTimeMillis() - 60_000;
      for (int i = 0; i < searches; i++) {
        filters.add(
            search(
                browser,
                "const to = new Date(arguments[0]), from = new Date(arguments[0] - 3600e3);"
                    + " const local = d => d.toISOString().substring(0, 19);"
                    + " document.getElementById('q').value = '';"
                    + " document.getElementById('range').value = 'custom';"
                    + " document.getElementById('from').value = local(from);"
                    + " document.getElementById('to').value = local(to);"
                    + " const s = document.getElementById('service');"
                    + " s.value = s.options[1 + arguments[1] % (s.options.length - 1)].value;"
                    + " const l = document.getElementById('level');"
                    + " l.value = l.options[arguments[1] % l.options.length].value;",
                end - i * 1000L,
                i));
      }
      System.out.printf(
          "first contentful paint: p50 %.0f ms (max %.0f)%n", p(paints, 0.5), p(paints, 1));
      System.out.printf(
          "results on screen after opening the page: p50 %.0f ms (max %.0f)%n",
          p(results, 0.5), p(results, 1));
      System.out.printf(
          "uncached text search, last hour (click to rows on screen, %d searches): p50 %.0f ms,"
              + " p95 %.0f ms%n",
          text.size(), p(text, 0.5), p(text, 0.95));
      System.out.printf(
          "uncached new 1 h range + service + level (%d searches): p50 %.0f ms, p95 %.0f ms%n",
          filters.size(), p(filters, 0.5), p(filters, 0.95));
    }
  }

  /** Runs {@code setUp} in the page, clicks Search, returns ms until the results are shown. */
  private static double search(Browser browser, String setUp, Object... args) {
    browser.js(setUp, args);
    browser.js(
        "window.__done = undefined;"
            + " const s = document.getElementById('summary');"
            + " const o = new MutationObserver(() => { if (!s.textContent.startsWith('Searching')"
            + "   && window.__done === undefined) { window.__done = performance.now(); o.disconnect(); } });"
            + " o.observe(s, {childList: true, characterData: true, subtree: true});"
            + " window.__start = performance.now();"
            + " document.getElementById('search').click();");
    browser.until(15, d -> browser.js("return window.__done;") != null);
    return ((Number) browser.js("return window.__done - window.__start;")).doubleValue();
  }

  private static double p(List<Double> values, double q) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
  }
}
