package dev.logpipe.worker.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's packages ({@code chromium}, {@code chromium-driver}; bin/setup
 * installs them), driven by Selenium through explicit executable paths so that Selenium Manager has
 * nothing to look up or download. {@code LOGPIPE_CHROMIUM} and {@code LOGPIPE_CHROMEDRIVER}
 * override the paths.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "explorer-screenshots");

  final ChromeDriver driver;
  private final ChromeDriverService service;

  Browser() {
    File chromium = executable("LOGPIPE_CHROMIUM", "/usr/bin/chromium");
    File chromedriver = executable("LOGPIPE_CHROMEDRIVER", "/usr/bin/chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--no-first-run",
        "--disable-extensions");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver)
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
  }

  private static File executable(String env, String fallback) {
    File file = new File(System.getenv().getOrDefault(env, fallback));
    if (!file.canExecute()) {
      throw new IllegalStateException(
          file
              + " is missing: run bin/setup (apt-get install chromium chromium-driver) or set "
              + env);
    }
    return file;
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits (at most {@code seconds}) until the condition holds in the page. */
  void until(int seconds, java.util.function.Function<ChromeDriver, Boolean> condition) {
    new WebDriverWait(driver, Duration.ofSeconds(seconds))
        .pollingEvery(Duration.ofMillis(50))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> condition.apply((ChromeDriver) d));
  }

  Object js(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
  }

  /** Browser console entries so far (read once: the driver hands each entry out once). */
  List<String> consoleMessages() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(e -> e.getLevel() + " " + e.getMessage())
        .toList();
  }

  Map<String, Object> storage() {
    @SuppressWarnings("unchecked")
    Map<String, Object> m =
        (Map<String, Object>)
            js(
                "return {session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage),"
                    + " cookies: document.cookie, url: location.href, html: document.documentElement.outerHTML};");
    return m;
  }

  @Override
  public void close() {
    driver.quit();
    service.stop();
  }
}
