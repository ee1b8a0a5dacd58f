package dev.logpipe.devservices.process;

import dev.logpipe.devservices.DevService;
import java.time.Duration;

/**
 * The lifecycle every dev service run as one child process shares: stop (SIGTERM, then SIGKILL
 * after {@code stopGrace}), kill, liveness and PID. Subclasses start the process and hand it over
 * with {@link #started(ChildProcess)}.
 */
public abstract class ChildProcessService implements DevService {
  private final Duration stopGrace;
  private ChildProcess process;

  protected ChildProcessService(Duration stopGrace) {
    this.stopGrace = stopGrace;
  }

  /** Records the started process; call from {@code start()} while holding the monitor. */
  protected final ChildProcess started(ChildProcess child) {
    this.process = child;
    return child;
  }

  @Override
  public synchronized void stop() {
    if (process != null) {
      process.stop(stopGrace);
      process = null;
    }
  }

  @Override
  public synchronized void kill() {
    if (process != null) {
      process.kill();
      process = null;
    }
  }

  /**
   * SIGSTOP: the process keeps its sockets and state but does nothing, like a hung server; requests
   * sent meanwhile wait and run after {@link #resume()}. For fault tests.
   */
  public synchronized void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public synchronized void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    if (process == null) {
      throw new IllegalStateException(name() + " is not running");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException(
            "kill -"
                + name
                + " "
                + process.pid()
                + ": "
                + new String(kill.getInputStream().readAllBytes()));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }
}
