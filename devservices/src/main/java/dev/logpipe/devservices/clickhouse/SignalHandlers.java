package dev.logpipe.devservices.clickhouse;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and restores the JVM's signal dispositions around chDB's start-up. chDB may reset deadly
 * signals to SIG_DFL while it boots (even with its own handlers disabled), and HotSpot turns
 * SIGSEGV into NullPointerException and uses SIGBUS/SIGILL/SIGFPE/SIGTRAP for implicit checks: with
 * SIG_DFL the first implicit null check kills the process. Every catchable standard signal is put
 * back exactly as the JVM had it (handler, flags and mask), so SIGTERM still runs shutdown hooks.
 */
final class SignalHandlers {
  /** 1..31 without SIGKILL (9) and SIGSTOP (19), which cannot be caught or changed. */
  static final int[] JVM_SIGNALS =
      java.util.stream.IntStream.rangeClosed(1, 31).filter(s -> s != 9 && s != 19).toArray();

  /** glibc's struct sigaction is 152 bytes; the buffer is opaque to us. */
  private static final int SIGACTION_BYTES = 256;

  interface LibC extends Library {
    int sigaction(int signal, Pointer action, Pointer oldAction);
  }

  private final LibC libc;
  private final Map<Integer, Memory> saved = new LinkedHashMap<>();

  private SignalHandlers(LibC libc) {
    this.libc = libc;
  }

  static SignalHandlers snapshot() {
    SignalHandlers handlers = new SignalHandlers(Native.load("c", LibC.class));
    for (int signal : JVM_SIGNALS) {
      Memory old = new Memory(SIGACTION_BYTES);
      old.clear();
      if (handlers.libc.sigaction(signal, null, old) != 0) {
        throw new IllegalStateException(
            "sigaction(" + signal + ") failed: " + Native.getLastError());
      }
      handlers.saved.put(signal, old);
    }
    return handlers;
  }

  /** Signals whose handler (not just mask or flags) differs from the snapshot now. */
  List<Integer> changedHandlers() {
    List<Integer> changed = new ArrayList<>();
    Memory now = new Memory(SIGACTION_BYTES);
    saved.forEach(
        (signal, action) -> {
          now.clear();
          libc.sigaction(signal, null, now);
          if (now.getLong(0) != action.getLong(0)) {
            changed.add(signal);
          }
        });
    return changed;
  }

  void restore() {
    saved.forEach(
        (signal, action) -> {
          if (libc.sigaction(signal, action, null) != 0) {
            throw new IllegalStateException(
                "restoring sigaction(" + signal + ") failed: " + Native.getLastError());
          }
        });
  }
}
