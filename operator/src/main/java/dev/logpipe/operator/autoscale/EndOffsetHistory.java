package dev.logpipe.operator.autoscale;

/**
 * The end offsets one partition had over time, as the operator sampled them, to estimate how old
 * the oldest unconsumed record is without reading it: the record at the committed offset C was
 * produced between the last sample whose end offset was still at most C and the next one; the time
 * is interpolated linearly between the two (exact for a steady produce rate, within one sampling
 * period otherwise). When C is older than the history, the age is extrapolated from the history's
 * average produce rate, or, with nothing produced during the history, reported as the history's
 * length (a lower bound).
 *
 * <p>A run of equal end offsets keeps only its last time, so an idle partition costs one point and
 * the history reaches back {@link #CAPACITY} changes (about 10 minutes of steady traffic at a 10 s
 * period). Not thread-safe: one sampler thread owns it.
 */
public final class EndOffsetHistory {
  static final int CAPACITY = 64;
  private final long[] millis = new long[CAPACITY];
  private final long[] offsets = new long[CAPACITY];
  private int start;
  private int size;
  // When the oldest point's end offset was first seen: the record at any older offset existed
  // then already, so now minus this is a lower bound of its age.
  private long firstSeenMillis;

  /** Records the end offset seen at {@code atMillis} (non-decreasing times). */
  public void add(long atMillis, long endOffset) {
    if (size > 0) {
      int last = index(size - 1);
      if (offsets[last] == endOffset) {
        millis[last] = atMillis;
        return;
      }
      if (endOffset < offsets[last]) {
        // The topic was recreated or truncated: older points describe another log.
        size = 0;
        start = 0;
      }
    }
    if (size == 0) {
      firstSeenMillis = atMillis;
    }
    if (size == CAPACITY) {
      start = (start + 1) % CAPACITY;
      size--;
      firstSeenMillis = millis[start];
    }
    int i = index(size);
    millis[i] = atMillis;
    offsets[i] = endOffset;
    size++;
  }

  /**
   * Estimated age in milliseconds, at {@code nowMillis}, of the record at offset {@code committed}
   * (the oldest one not yet consumed); 0 when nothing waits.
   */
  public long ageMillis(long committed, long nowMillis) {
    if (size == 0 || committed >= offsets[index(size - 1)]) {
      return 0;
    }
    // Latest point whose end offset was still <= committed: the record did not exist yet then.
    for (int k = size - 1; k >= 0; k--) {
      int i = index(k);
      if (offsets[i] <= committed) {
        int next = index(k + 1);
        double fraction =
            (double) (committed + 1 - offsets[i]) / (double) (offsets[next] - offsets[i]);
        long produced = millis[i] + Math.round(fraction * (millis[next] - millis[i]));
        return Math.max(0, nowMillis - produced);
      }
    }
    int first = index(0);
    int last = index(size - 1);
    long span = millis[last] - firstSeenMillis;
    long produced = offsets[last] - offsets[first];
    if (produced <= 0 || span <= 0) {
      return Math.max(0, nowMillis - firstSeenMillis);
    }
    double perMilli = (double) produced / span;
    long before = Math.round((offsets[first] - committed) / perMilli);
    return Math.max(0, nowMillis - firstSeenMillis + before);
  }

  int size() {
    return size;
  }

  private int index(int k) {
    return (start + k) % CAPACITY;
  }
}
