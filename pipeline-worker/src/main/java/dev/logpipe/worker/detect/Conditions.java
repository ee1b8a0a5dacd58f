package dev.logpipe.worker.detect;

import com.google.re2j.Pattern;
import dev.logpipe.worker.config.PipelineConfig.Condition;
import dev.logpipe.worker.config.UserPatterns;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.parse.LevelNormalizer;
import dev.logpipe.worker.parse.Numbers;
import dev.logpipe.worker.parse.RegexBudget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Compiles one {@link Condition} into a predicate; all parsing happens here, not per event. */
final class Conditions {

  private Conditions() {}

  static Predicate<LogEvent> compile(String rule, Condition c) {
    if (c == null || c.field() == null || c.field().isBlank()) {
      throw new IllegalArgumentException("rule " + rule + ": when.field is required");
    }
    FieldRef f = FieldRef.of(c.field().strip());
    List<Predicate<LogEvent>> ops = new ArrayList<>(1);
    if (c.eq() != null) {
      ops.add(in(f, List.of(c.eq())));
    }
    if (c.in() != null) {
      ops.add(in(f, c.in()));
    }
    if (c.gt() != null) {
      double v = c.gt();
      ops.add(e -> f.number(e) > v);
    }
    if (c.gte() != null) {
      double v = c.gte();
      ops.add(e -> f.number(e) >= v);
    }
    if (c.lt() != null) {
      double v = c.lt();
      ops.add(e -> f.number(e) < v);
    }
    if (c.lte() != null) {
      double v = c.lte();
      ops.add(e -> f.number(e) <= v);
    }
    if (c.contains() != null) {
      String v = c.contains();
      ops.add(e -> contains(f.text(e), v));
    }
    if (c.matches() != null) {
      ops.add(matches(rule, f, c.matches()));
    }
    if (c.exists() != null) {
      boolean want = c.exists();
      ops.add(e -> (f.text(e) != null) == want);
    }
    if (ops.size() != 1) {
      throw new IllegalArgumentException(
          "rule " + rule + ": when needs exactly one operator, found " + ops.size());
    }
    return ops.get(0);
  }

  private static Predicate<LogEvent> in(FieldRef f, List<String> values) {
    if (f.numeric()) {
      double[] numbers = values.stream().mapToDouble(Numbers::parseDouble).toArray();
      return e -> {
        double x = f.number(e);
        for (double n : numbers) {
          if (x == n) {
            return true;
          }
        }
        return false;
      };
    }
    Set<String> set = new HashSet<>();
    for (String v : values) {
      String level = f.isLevel() ? LevelNormalizer.normalize(v) : null;
      set.add(level != null ? level : v); // "level in [error]" means what the user meant
    }
    if (set.size() == 1) {
      String only = set.iterator().next();
      return e -> only.equals(f.text(e));
    }
    return e -> {
      String t = f.text(e);
      return t != null && set.contains(t);
    };
  }

  private static Predicate<LogEvent> matches(String rule, FieldRef f, String regex) {
    Pattern p;
    try {
      p = UserPatterns.compile(regex);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("rule " + rule + ": when.matches " + ex.getMessage(), ex);
    }
    return e -> {
      String t = f.text(e);
      try {
        return t != null && RegexBudget.matcher(p, t, RegexBudget.DEFAULT_NANOS).find();
      } catch (RegexBudget.Exceeded timeout) {
        return false; // a rule that cannot decide in time does not score the record
      }
    };
  }

  private static boolean contains(String text, String part) {
    return text != null && text.contains(part);
  }
}
