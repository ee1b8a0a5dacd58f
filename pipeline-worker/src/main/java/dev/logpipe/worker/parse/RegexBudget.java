package dev.logpipe.worker.parse;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * A time bound on one user regex over one record. RE2/J is linear, but linear in pattern size times
 * input size: {@code (a+){1,40}$} over a 1 MiB line still takes about 4 s on the build machine. The
 * text is handed to RE2/J through a view that checks the clock every 64 characters read and gives
 * up once the budget is spent, so one record costs at most about the budget. Every 64, not 1024: a
 * pattern at the size limit (RegexSize) costs ~0.1 ms per character read, so 1024 reads overran the
 * 50 ms budget (118 ms of CPU for one record, 56 ms with 64; BreakerRegexTest).
 */
public final class RegexBudget {
  /** Per record and pattern; a line normal logs need microseconds for. */
  public static final long DEFAULT_NANOS = 50_000_000L;

  /**
   * Thrown when the budget is spent; the record is dead-lettered (format) or not matched (rule).
   */
  public static final class Exceeded extends RuntimeException {
    Exceeded() {
      super("regex time budget exceeded", null, false, false);
    }
  }

  private RegexBudget() {}

  /** A matcher whose reads stop with {@link Exceeded} after {@code budgetNanos}. */
  public static Matcher matcher(Pattern pattern, String text, long budgetNanos) {
    return pattern.matcher(new Deadline(text, System.nanoTime() + budgetNanos));
  }

  private static final class Deadline implements CharSequence {
    private final String text;
    private final long deadline;
    private int reads;

    Deadline(String text, long deadline) {
      this.text = text;
      this.deadline = deadline;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      if ((++reads & 63) == 0 && System.nanoTime() - deadline > 0) {
        throw new Exceeded();
      }
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
