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

  @Override
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }
}
