package dev.logpipe.deploy.argocd;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A static check that a script stays inside what Argo CD's gopher-lua (Lua 5.1; base, table and
 * package libraries) runs. LuaJ accepts more (Lua 5.2, string methods), so passing the fixtures
 * alone would not prove a script works in Argo CD.
 */
final class LuaSubset {
  private static final List<Rule> RULES =
      List.of(
          new Rule("\\bstring\\s*\\.", "the string library is not loaded in Argo CD"),
          new Rule("\\b(math|io|debug|utf8|coroutine)\\s*\\.", "library not loaded in Argo CD"),
          new Rule("\\bos\\s*\\.", "Argo CD's os library is reduced; do not rely on it"),
          new Rule("\\btable\\s*\\.\\s*unpack\\b|\\bunpack\\s*\\(", "unpack needs a shim"),
          new Rule("#", "'#' is undefined on tables with holes; count with ipairs"),
          new Rule("\\bgoto\\b|::", "goto and labels are Lua 5.2"),
          new Rule("//", "integer division is Lua 5.3"),
          new Rule("[&|~]|<<|>>", "bitwise operators are Lua 5.3 (use ~= only)"),
          new Rule(
              "[\\w)\\]]\\s*:\\s*[A-Za-z_]\\w*\\s*\\(",
              "method calls on strings need the string library"),
          new Rule(
              "\\b(require|load|loadstring|dofile|loadfile|setfenv|getfenv)\\b",
              "not for health checks"));

  private record Rule(Pattern pattern, String why) {
    Rule(String regex, String why) {
      this(Pattern.compile(regex), why);
    }
  }

  private LuaSubset() {}

  /** The violations, as "line N: construct (why)"; empty when the script is fine. */
  static List<String> violations(String script) {
    List<String> found = new ArrayList<>();
    String[] lines = code(script).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      // '~=' is Lua 5.1's inequality, not a bitwise operator.
      String line = lines[i].replace("~=", " ne ");
      for (Rule rule : RULES) {
        Matcher m = rule.pattern.matcher(line);
        if (m.find()) {
          found.add("line " + (i + 1) + ": " + m.group().strip() + " (" + rule.why + ")");
        }
      }
    }
    return found;
  }

  /** The script with comments and string literals blanked out, line structure kept. */
  static String code(String script) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < script.length()) {
      char c = script.charAt(i);
      if (c == '-' && script.startsWith("--", i)) {
        if (script.startsWith("--[[", i)) {
          int end = script.indexOf("]]", i);
          i = blank(script, i, end < 0 ? script.length() : end + 2, out);
        } else {
          int end = script.indexOf('\n', i);
          i = blank(script, i, end < 0 ? script.length() : end, out);
        }
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < script.length() && script.charAt(j) != c && script.charAt(j) != '\n') {
          j += script.charAt(j) == '\\' ? 2 : 1;
        }
        out.append('"');
        i = blank(script, i + 1, Math.min(j, script.length()), out);
        if (i < script.length() && script.charAt(i) == c) {
          out.append('"');
          i++;
        }
      } else if (c == '[' && script.startsWith("[[", i)) {
        int end = script.indexOf("]]", i);
        i = blank(script, i, end < 0 ? script.length() : end + 2, out);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static int blank(String script, int from, int to, StringBuilder out) {
    for (int k = from; k < to; k++) {
      out.append(script.charAt(k) == '\n' ? '\n' : ' ');
    }
    return to;
  }
}
