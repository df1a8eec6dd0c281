package io.rusket.beam.pipelines.io;

/**
 * The escaping rules of the text outputs, in one place for every writer (TableSink's JSON lines and
 * CSV shards, the command line's result files):
 *
 * <pre>{@code
 * StringBuilder sb = new StringBuilder();
 * TextFormats.appendJsonString(sb, "say \"hi\"");   // "say \"hi\""
 * TextFormats.appendCsvField(sb, "a,b");             // "a,b"  (quoted: it holds a comma)
 * }</pre>
 */
public final class TextFormats {
  private TextFormats() {}

  /** Appends {@code s} as a JSON string: quoted, with quotes, backslashes and controls escaped. */
  public static void appendJsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /**
   * Appends {@code s} as a CSV field (RFC 4180): quoted, quotes doubled, iff it holds a comma, a
   * quote, CR or LF.
   */
  public static void appendCsvField(StringBuilder sb, CharSequence s) {
    boolean quote = false;
    for (int i = 0; i < s.length() && !quote; i++) {
      char c = s.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      sb.append(s);
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    sb.append('"');
  }
}
