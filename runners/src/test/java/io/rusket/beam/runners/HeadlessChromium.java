package io.rusket.beam.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium ({@code /usr/bin/chromium}), started by a test and driven over the
 * DevTools protocol (a WebSocket of {@code java.net.http}: no driver, no library): one page, its
 * console errors, uncaught exceptions and requests recorded, script evaluated, mouse events,
 * screenshots. Started with a fresh profile, on 127.0.0.1, with Chromium's own network traffic
 * (updates, sync, QUIC) off; {@link #close} ends the browser (and its process tree) and deletes the
 * profile, also when the test failed.
 */
final class HeadlessChromium implements AutoCloseable {
  /** Debian's Chromium; {@code -Drusket.chromium=PATH} names another (or a missing one). */
  static final String CHROMIUM = System.getProperty("rusket.chromium", "/usr/bin/chromium");

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final ObjectMapper json = new ObjectMapper();
  private final Path home;
  private final Process process;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  /** Console errors, uncaught exceptions and error log entries, as one line each. */
  final List<String> errors = Collections.synchronizedList(new ArrayList<>());

  /** The URL of every request the page made. */
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
  private WebSocket socket;

  static boolean installed() {
    return Files.isExecutable(Path.of(CHROMIUM));
  }

  HeadlessChromium(int width, int height) throws Exception {
    home = Files.createTempDirectory("rusket-chromium-");
    Path profile = Files.createDirectories(home.resolve("profile"));
    process =
        new ProcessBuilder(
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=" + width + "," + height,
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("chromium.log").toFile())
            .start();
    try {
      connect(profile.resolve("DevToolsActivePort"));
      call("Runtime.enable");
      call("Log.enable");
      call("Page.enable");
      call("Network.enable");
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private void connect(Path portFile) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    List<String> lines = List.of();
    while (lines.size() < 2) {
      if (!process.isAlive()) {
        throw new IOException("chromium exited: " + log());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "chromium did not open its DevTools port in " + TIMEOUT + ": " + log());
      }
      Thread.sleep(100);
      if (Files.exists(portFile)) {
        lines = Files.readAllLines(portFile);
      }
    }
    int port = Integer.parseInt(lines.get(0).trim());
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    String page = null;
    while (page == null) {
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                  .timeout(TIMEOUT)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      for (JsonNode target : json.readTree(list.body())) {
        if (target.get("type").asText().equals("page")) {
          page = target.get("webSocketDebuggerUrl").asText();
        }
      }
      if (page == null) {
        if (System.nanoTime() > deadline) {
          throw new IOException("chromium has no page: " + list.body());
        }
        Thread.sleep(100);
      }
    }
    socket =
        http.newWebSocketBuilder()
            .connectTimeout(TIMEOUT)
            .buildAsync(URI.create(page), new Listener())
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private String log() {
    try {
      return Files.readString(home.resolve("chromium.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        try {
          handle(json.readTree(message));
        } catch (IOException e) {
          errors.add("bad DevTools message: " + e);
        }
      }
      ws.request(1);
      return null;
    }
  }

  private void handle(JsonNode m) {
    if (m.has("id")) {
      CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
      if (f != null) {
        if (m.has("error")) {
          f.completeExceptionally(new IllegalStateException("DevTools: " + m.get("error")));
        } else {
          f.complete(m.get("result"));
        }
      }
      return;
    }
    String method = m.path("method").asText();
    JsonNode p = m.path("params");
    switch (method) {
      case "Runtime.consoleAPICalled":
        if (p.path("type").asText().equals("error") || p.path("type").asText().equals("assert")) {
          errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
        }
        break;
      case "Runtime.exceptionThrown":
        errors.add("uncaught: " + p.path("exceptionDetails"));
        break;
      case "Log.entryAdded":
        if (p.path("entry").path("level").asText().equals("error")) {
          errors.add("log: " + p.path("entry").path("text").asText());
        }
        break;
      case "Network.requestWillBeSent":
        requests.add(p.path("request").path("url").asText());
        break;
      case "Page.loadEventFired":
        loaded.complete(null);
        break;
      default:
    }
  }

  /** Calls DevTools method {@code method} and waits for its result. */
  JsonNode call(String method, Object... params) {
    int id = ids.incrementAndGet();
    ObjectNode m = json.createObjectNode().put("id", id).put("method", method);
    ObjectNode ps = m.putObject("params");
    for (int i = 0; i < params.length; i += 2) {
      ps.putPOJO((String) params[i], params[i + 1]);
    }
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    try {
      socket.sendText(m.toString(), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(method + " failed: " + e, e);
    }
  }

  /** Opens {@code page} and waits for its load event. */
  void open(Path page) throws Exception {
    loaded = new CompletableFuture<>();
    call("Page.navigate", "url", page.toUri().toString());
    loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The value of JavaScript expression {@code js} in the page (JSON-serialisable). */
  JsonNode eval(String js) {
    JsonNode r = call("Runtime.evaluate", "expression", js, "returnByValue", true);
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException(js + ": " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** A real click (mouse pressed and released) at the centre of the element {@code selector}. */
  void click(String selector) {
    double[] c = centre(selector);
    for (String type : List.of("mousePressed", "mouseReleased")) {
      call(
          "Input.dispatchMouseEvent",
          "type",
          type,
          "x",
          c[0],
          "y",
          c[1],
          "button",
          "left",
          "clickCount",
          1);
    }
  }

  /** Moves the mouse to the centre of the element {@code selector}. */
  void hover(String selector) {
    double[] c = centre(selector);
    call("Input.dispatchMouseEvent", "type", "mouseMoved", "x", c[0], "y", c[1]);
  }

  private double[] centre(String selector) {
    JsonNode r =
        eval(
            "(function(){var e=document.querySelector("
                + json.valueToTree(selector)
                + ");e.scrollIntoView({block:'center'});var b=e.getBoundingClientRect();"
                + "return [b.left+b.width/2,b.top+b.height/2];})()");
    return new double[] {r.get(0).asDouble(), r.get(1).asDouble()};
  }

  /** A PNG of the viewport. */
  byte[] screenshot() {
    return Base64.getDecoder()
        .decode(call("Page.captureScreenshot", "format", "png").get("data").asText());
  }

  @Override
  public void close() {
    try {
      if (socket != null) {
        CompletableFuture<JsonNode> bye = new CompletableFuture<>();
        int id = ids.incrementAndGet();
        pending.put(id, bye);
        socket.sendText("{\"id\":" + id + ",\"method\":\"Browser.close\"}", true);
        bye.get(5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // ended below
    }
    try {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // a temporary directory
      }
    }
  }
}
