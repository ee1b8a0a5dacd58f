package dev.logpipe.devservices.clickhouse;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and restores the JVM's handlers for the signals HotSpot relies on. chDB resets them to
 * SIG_DFL while it boots (even with its own handlers disabled), and HotSpot turns SIGSEGV into
 * NullPointerException and uses SIGBUS/SIGILL/SIGFPE/SIGTRAP for implicit checks: with SIG_DFL the
 * first implicit null check kills the process.
 */
final class SignalHandlers {
  /** SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGTSTP, SIGSYS on Linux x86-64. */
  static final int[] JVM_SIGNALS = {4, 5, 6, 7, 8, 11, 20, 31};

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
