package dev.shoal.pipeline.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tokens of one line of an exposition: names, label sets, values and timestamps, with the
 * formats' escaping. Holds the body, the line's bounds and a position; not thread-safe.
 */
final class LineCursor {
  private final String text;
  private int pos;
  private int end;
  private int lineNumber;

  LineCursor(String text) {
    this.text = text;
  }

  /** Moves to the line [start, end); {@code end} excludes the line feed. */
  void line(int start, int lineEnd, int number) {
    pos = start;
    end = lineEnd;
    lineNumber = number;
  }

  int lineNumber() {
    return lineNumber;
  }

  boolean atEnd() {
    return pos >= end;
  }

  char peek() {
    return pos < end ? text.charAt(pos) : '\n';
  }

  /** The rest of the line, as it is. */
  String rest() {
    String r = text.substring(pos, end);
    pos = end;
    return r;
  }

  boolean startsWith(String prefix) {
    return text.startsWith(prefix, pos) && pos + prefix.length() <= end;
  }

  void skip(int chars) {
    pos += chars;
  }

  /** Skips spaces and tabs; returns how many. */
  int skipBlanks() {
    int from = pos;
    while (pos < end && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) pos++;
    return pos - from;
  }

  void expectBlank(String after) throws ExpositionException {
    if (skipBlanks() == 0) throw problem("expected a space after " + after);
  }

  void expect(char c, String what) throws ExpositionException {
    if (peek() != c) throw problem("expected " + what + " but found " + found());
    pos++;
  }

  /** A metric name: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
  String metricName() throws ExpositionException {
    int from = pos;
    if (pos < end && isNameStart(text.charAt(pos), true)) {
      pos++;
      while (pos < end && isNamePart(text.charAt(pos), true)) pos++;
    }
    if (pos == from) throw problem("expected a metric name but found " + found());
    return text.substring(from, pos);
  }

  /** A label name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  String labelName() throws ExpositionException {
    int from = pos;
    if (pos < end && isNameStart(text.charAt(pos), false)) {
      pos++;
      while (pos < end && isNamePart(text.charAt(pos), false)) pos++;
    }
    if (pos == from) throw problem("expected a label name but found " + found());
    return text.substring(from, pos);
  }

  /** A word up to the next blank: a TYPE's type, a value, a timestamp. */
  String word() {
    int from = pos;
    while (pos < end && text.charAt(pos) != ' ' && text.charAt(pos) != '\t') pos++;
    return text.substring(from, pos);
  }

  /**
   * A label set after its opening brace, up to and including the closing one, as alternating names
   * and values. A trailing comma is accepted, as Prometheus does.
   */
  String[] labels() throws ExpositionException {
    List<String> pairs = new ArrayList<>(8);
    skipBlanks();
    while (peek() != '}') {
      String name = labelName();
      for (int i = 0; i < pairs.size(); i += 2) {
        if (pairs.get(i).equals(name)) throw problem("label " + name + " appears twice");
      }
      skipBlanks();
      expect('=', "'=' after label " + name);
      skipBlanks();
      expect('"', "a quoted value for label " + name);
      pairs.add(name);
      pairs.add(quoted(name));
      skipBlanks();
      if (peek() == ',') {
        pos++;
        skipBlanks();
      } else if (peek() != '}') {
        throw problem(
            "expected ',' or '}' after the value of label " + name + ", found " + found());
      }
    }
    pos++;
    return pairs.toArray(new String[0]);
  }

  /** A label value after its opening quote, up to and including the closing one, unescaped. */
  private String quoted(String label) throws ExpositionException {
    int from = pos;
    while (pos < end && text.charAt(pos) != '"' && text.charAt(pos) != '\\') pos++;
    if (pos < end && text.charAt(pos) == '"') {
      return text.substring(from, pos++);
    }
    StringBuilder value = new StringBuilder(text.substring(from, pos));
    while (pos < end) {
      char c = text.charAt(pos++);
      if (c == '"') return value.toString();
      if (c != '\\') {
        value.append(c);
        continue;
      }
      if (pos >= end) break;
      char e = text.charAt(pos++);
      switch (e) {
        case '\\' -> value.append('\\');
        case '"' -> value.append('"');
        case 'n' -> value.append('\n');
        default ->
            throw problem("label " + label + ": invalid escape \\" + e + " (only \\\\ \\\" \\n)");
      }
    }
    throw problem("label " + label + ": the value's closing quote is missing");
  }

  /** HELP text: {@code \\} and {@code \n} are escapes (and {@code \"} in OpenMetrics). */
  String helpText() throws ExpositionException {
    String raw = rest();
    if (raw.indexOf('\\') < 0) return raw;
    StringBuilder help = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '\\' || i + 1 >= raw.length()) {
        help.append(c);
        continue;
      }
      char e = raw.charAt(++i);
      switch (e) {
        case '\\' -> help.append('\\');
        case 'n' -> help.append('\n');
        case '"' -> help.append('"');
        default -> help.append('\\').append(e);
      }
    }
    return help.toString();
  }

  /** A sample value: a float, {@code NaN}, {@code +Inf}, {@code -Inf}. */
  double value(String word) throws ExpositionException {
    Double special = special(word);
    if (special != null) return special;
    if (!isPlainNumber(word)) throw problem("'" + word + "' is not a number");
    try {
      return Double.parseDouble(word);
    } catch (NumberFormatException e) {
      throw problem("'" + word + "' is not a number");
    }
  }

  private static Double special(String word) {
    return switch (word) {
      case "NaN", "nan", "NAN" -> Double.NaN;
      case "+Inf", "Inf", "+inf", "inf", "+INF", "INF" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf", "-INF" -> Double.NEGATIVE_INFINITY;
      default -> null;
    };
  }

  /** Digits, sign, point and exponent only: Java would also take "1d", "0x1p3" or " 1". */
  private static boolean isPlainNumber(String word) {
    if (word.isEmpty()) return false;
    boolean digit = false;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c >= '0' && c <= '9') digit = true;
      else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') return false;
    }
    return digit;
  }

  /** A text 0.0.4 timestamp: integer milliseconds. */
  long millis(String word) throws ExpositionException {
    try {
      return Long.parseLong(word);
    } catch (NumberFormatException e) {
      throw problem("timestamp '" + word + "' is not an integer of milliseconds");
    }
  }

  /** An OpenMetrics timestamp: seconds, possibly fractional; returned in milliseconds. */
  long seconds(String word) throws ExpositionException {
    if (!isPlainNumber(word)) throw problem("timestamp '" + word + "' is not a number of seconds");
    double s;
    try {
      s = Double.parseDouble(word);
    } catch (NumberFormatException e) {
      throw problem("timestamp '" + word + "' is not a number of seconds");
    }
    return Math.round(s * 1000.0);
  }

  ExpositionException problem(String what) {
    return new ExpositionException(lineNumber, what);
  }

  private String found() {
    if (pos >= end) return "the end of the line";
    return "'" + text.charAt(pos) + "'";
  }

  private static boolean isNameStart(char c, boolean colon) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
  }

  private static boolean isNamePart(char c, boolean colon) {
    return isNameStart(c, colon) || (c >= '0' && c <= '9');
  }
}
