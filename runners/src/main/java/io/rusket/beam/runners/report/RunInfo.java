package io.rusket.beam.runners.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a run was: the file {@value #FILE} that {@code grouped} and {@code stream} write beside
 * their results with {@code --report} — one JSON object of the command, runner, input, counts,
 * thresholds and time, e.g.
 *
 * <pre>{@code
 * {"command":"grouped","runner":"SparkRunner (local[4])","input":"data/events.parquet",
 *  "groupCol":"store_id","minSupport":0.01,"metric":"lift","minThreshold":1.5,"groups":5,
 *  "transactions":8000,"itemsets":1234,"rules":567,"millis":4321,"finished":"2026-12-01T15:00:00Z"}
 * }</pre>
 *
 * <p>Values are strings, numbers or booleans; an option not given is left out. The report shows the
 * fields in the order written. A result directory without the file still makes a report: the counts
 * then come from the result files alone.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * RunInfo.of("grouped").put("runner", "DirectRunner").put("transactions", 600).write("out");
 * }</pre>
 */
public final class RunInfo {
  /** The file's name in the result directory. */
  public static final String FILE = "run-info.json";

  private final Map<String, Object> fields = new LinkedHashMap<>();

  private RunInfo() {}

  /** A run of {@code command} ({@code grouped}, {@code stream}, {@code demo}), finished now. */
  public static RunInfo of(String command) {
    RunInfo info = new RunInfo();
    info.put("command", command);
    return info;
  }

  /** Adds a field (a string, number or boolean); a null value is left out. */
  public RunInfo put(String name, @Nullable Object value) {
    if (value != null) {
      fields.put(name, value);
    }
    return this;
  }

  /** The fields, in the order added (read: in the file's order). */
  public Map<String, Object> fields() {
    return fields;
  }

  /**
   * Writes {@value #FILE} in {@code dir} (any Beam file system), replacing it; adds {@code
   * finished} (the time now, UTC, to the second).
   */
  public void write(String dir) throws IOException {
    put("finished", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    ResourceId f = file(dir);
    byte[] json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(fields);
    // one close, the stream's: S3's channel completes its upload on each close
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(f, MimeTypes.TEXT))) {
      out.write(json);
    }
  }

  /**
   * The run info of result directory {@code dir}, or null when it has none.
   *
   * @throws IllegalArgumentException if the file is not a JSON object of plain values, naming it
   */
  static @Nullable RunInfo read(String dir) throws IOException {
    ResourceId f = file(dir);
    MatchResult m = FileSystems.match(List.of(f.toString()), EmptyMatchTreatment.ALLOW).get(0);
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      return null;
    }
    JsonNode node;
    try (InputStream in = Channels.newInputStream(FileSystems.open(f))) {
      node = new ObjectMapper().readTree(in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(f + ": not JSON: " + e.getOriginalMessage(), e);
    }
    if (!(node instanceof ObjectNode)) {
      throw new IllegalArgumentException(f + ": expected a JSON object");
    }
    RunInfo info = new RunInfo();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (!v.isValueNode()) {
        throw new IllegalArgumentException(
            f + ": field '" + e.getKey() + "' is not a plain value: " + v);
      }
      info.fields.put(
          e.getKey(), v.isNumber() ? v.numberValue() : v.isBoolean() ? v.asBoolean() : v.asText());
    }
    return info;
  }

  private static ResourceId file(String dir) {
    return FileSystems.matchNewResource(dir, true)
        .resolve(FILE, StandardResolveOptions.RESOLVE_FILE);
  }
}
