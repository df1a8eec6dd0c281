package io.rusket.beam.runners.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The page: one HTML document with the data as a JSON block ({@code <script type="application/json"
 * id="report-data">}), the page's style ({@code report.css}) and script ({@code report.js}, plain
 * JavaScript that draws the tables and SVG plots from the data) inline. Nothing is fetched when it
 * is viewed: it opens from disk, also off line.
 */
final class HtmlPage {
  private HtmlPage() {}

  /** The id of the data block. */
  static final String DATA_ID = "report-data";

  private static final String DATA_OPEN =
      "<script type=\"application/json\" id=\"" + DATA_ID + "\">";

  /** The page of {@code data}, titled {@code title}. */
  static String of(JsonNode data, String title) {
    String json;
    try {
      json = new ObjectMapper().writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report's data: " + e.getMessage(), e);
    }
    // "<" appears in JSON only inside strings, where \u003c is the same character: no "</script>"
    // or "<!--" can end the block early.
    json = json.replace("<", "\\u003c");
    StringBuilder b = new StringBuilder(json.length() + 64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(escape(title))
        .append("</title>\n<style>\n")
        .append(resource("report.css"))
        .append("</style>\n</head>\n<body>\n")
        .append("<noscript>This report draws its tables and plots with JavaScript; the data is")
        .append(" in the page's report-data block.</noscript>\n")
        .append("<div id=\"report\"></div>\n")
        .append(DATA_OPEN)
        .append(json)
        .append("</script>\n<script>\n")
        .append(resource("report.js"))
        .append("</script>\n</body>\n</html>\n");
    return b.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String resource(String name) {
    try (InputStream in = HtmlPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks the report's " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
