package dev.logpipe.devservices.clickhouse;

/**
 * Proves the JVM still turns a fault in JIT-compiled code into a NullPointerException. HotSpot
 * compiles field reads without explicit null checks and relies on its SIGSEGV handler; if chDB left
 * SIGSEGV at SIG_DFL, the first null here would kill the process instead of throwing.
 */
final class SelfCheck {
  /** Hidden endpoint that runs the check again on a live server (used by the crash tests). */
  static final String PATH = "/logpipe/self-check";

  private static final int WARM_UP_ROUNDS = 300;

  private static final class Box {
    int value = 1;
  }

  private SelfCheck() {}

  /** Returns the number of NullPointerExceptions caught from compiled code (at least 1). */
  static int survivesImplicitNullChecks() {
    Box[] boxes = new Box[1000];
    for (int i = 0; i < boxes.length; i++) {
      boxes[i] = new Box();
    }
    long sum = 0;
    for (int i = 0; i < WARM_UP_ROUNDS; i++) {
      sum += sum(boxes);
    }
    int caught = 0;
    for (int i = 0; i < 50; i++) {
      boxes[i * 7] = null;
      sum += sum(boxes);
      caught++;
    }
    if (sum == 0) {
      throw new IllegalStateException("unreachable: keeps the loop from being optimised away");
    }
    return caught;
  }

  private static long sum(Box[] boxes) {
    long sum = 0;
    for (Box box : boxes) {
      try {
        sum += box.value;
      } catch (NullPointerException expected) {
        sum -= 1;
      }
    }
    return sum;
  }
}
