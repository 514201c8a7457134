package dev.parley.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The closing line: ordered key/value pairs printed as {@code key=value ...} or as JSON. */
final class Summary {
  private final Map<String, Object> values = new LinkedHashMap<>();

  Summary put(String key, Object value) {
    values.put(key, value);
    return this;
  }

  String toText() {
    StringBuilder sb = new StringBuilder("parley-bench");
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String v = format(e.getValue());
      if (v.isEmpty() || v.indexOf(' ') >= 0) {
        v = '"' + v.replace("\"", "'") + '"';
      }
      sb.append(' ').append(e.getKey()).append('=').append(v);
    }
    return sb.toString();
  }

  String toJson() {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v instanceof Number || v instanceof Boolean) {
        sb.append(format(v));
      } else {
        sb.append('"').append(escape(String.valueOf(v))).append('"');
      }
    }
    return sb.append('}').toString();
  }

  private static String format(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return "null";
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return String.valueOf((long) d);
      }
      return String.format(Locale.ROOT, "%.4g", d).trim();
    }
    return String.valueOf(v);
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
