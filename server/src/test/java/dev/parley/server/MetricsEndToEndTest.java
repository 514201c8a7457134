package dev.parley.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scrapes {@code /metrics} of a real server over HTTP and parses it as a Prometheus scraper would:
 * every sample belongs to a metric announced by a {@code # HELP} and a {@code # TYPE} line, names
 * and label sets follow the format, and the numbers move as clients sign in and chat.
 */
class MetricsEndToEndTest {
  // name{labels} value: the sample line grammar of the text format (no timestamps here).
  private static final Pattern SAMPLE =
      Pattern.compile(
          "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\"\\})? (\\S+)");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)");
  private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+");

  @RegisterExtension final ServerUnderTest server = ServerUnderTest.started();

  private final HttpClient http = HttpClient.newHttpClient();
  private MetricsEndpoint endpoint;

  @BeforeEach
  void startEndpoint() throws IOException {
    endpoint = MetricsEndpoint.start("127.0.0.1", 0, server.server());
  }

  @AfterEach
  void stopEndpoint() {
    endpoint.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path);
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The samples of one scrape, by {@code name{labels}}; fails on anything a scraper would refuse.
   */
  private Map<String, Double> scrape() throws Exception {
    HttpResponse<String> response = get("/metrics");
    assertEquals(200, response.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        response.headers().firstValue("Content-Type").orElse(""));
    Set<String> helped = new HashSet<>();
    Map<String, String> types = new HashMap<>();
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().split("\n")) {
      Matcher m;
      if ((m = HELP.matcher(line)).matches()) {
        assertTrue(helped.add(m.group(1)), "one HELP per metric: " + line);
      } else if ((m = TYPE.matcher(line)).matches()) {
        assertTrue(helped.contains(m.group(1)), "HELP comes before TYPE: " + line);
        assertEquals(null, types.put(m.group(1), m.group(2)), "one TYPE per metric: " + line);
      } else {
        m = SAMPLE.matcher(line);
        assertTrue(m.matches(), "not a sample line: '" + line + "'");
        String name = m.group(1);
        String family = name.replaceFirst("_(bucket|sum|count)$", "");
        String type = types.containsKey(name) ? types.get(name) : types.get(family);
        assertTrue(type != null, "sample before its TYPE line: " + line);
        if (type.equals("counter")) {
          assertTrue(name.endsWith("_total"), "counters end in _total: " + line);
        }
        double value = Double.parseDouble(m.group(3));
        String key = name + (m.group(2) == null ? "" : m.group(2));
        assertEquals(null, samples.put(key, value), "sample repeated: " + line);
      }
    }
    return samples;
  }

  @Test
  void metricsAreInThePrometheusFormatAndCountWhatHappens() throws Exception {
    Map<String, Double> before = scrape();
    for (String name :
        new String[] {
          "parley_connections{transport=\"tcp\"}",
          "parley_users",
          "parley_messages_total",
          "parley_deliveries_total",
          "parley_disconnects_total{reason=\"too slow\"}",
          "parley_sign_in_failures_total",
          "parley_sign_in_locks_total",
          "parley_queued_bytes",
          "parley_store_commit_seconds_bucket{le=\"+Inf\"}",
          "parley_store_commit_seconds_sum",
          "parley_loop_iteration_seconds_count",
        }) {
      assertTrue(before.containsKey(name), name + " missing from " + before.keySet());
    }
    assertEquals(0.0, before.get("parley_users"));

    LineClient alice = server.signIn("alice");
    LineClient bob = server.signIn("bob");
    alice.expect("C JOIN bob");
    LineClient carol = server.signIn("carol");
    alice.expect("C JOIN carol");
    bob.expect("C JOIN carol");
    alice.send("C PM", "D hello");
    alice.expect("C PROMPT TEXT");
    alice.expectStartsWith("C SENT PM ");
    bob.expectStartsWith("D PM ");
    carol.expectStartsWith("D PM ");
    carol.send("C EX");
    carol.expect("C BYE goodbye");

    await().atMost(Duration.ofSeconds(10)).until(() -> scrape().get("parley_users") == 2.0);
    Map<String, Double> after = scrape();
    assertEquals(2.0, after.get("parley_connections{transport=\"tcp\"}"));
    assertEquals(1.0, after.get("parley_messages_total") - before.get("parley_messages_total"));
    assertEquals(2.0, after.get("parley_deliveries_total") - before.get("parley_deliveries_total"));
    assertEquals(1.0, after.get("parley_disconnects_total{reason=\"quit\"}"));
    assertTrue(
        after.get("parley_store_commit_seconds_count")
            > before.get("parley_store_commit_seconds_count"));
    assertEquals(
        after.get("parley_store_commit_seconds_count"),
        after.get("parley_store_commit_seconds_bucket{le=\"+Inf\"}"),
        "the +Inf bucket holds every observation");
    assertTrue(
        after.get("parley_loop_iteration_seconds_count")
            > before.get("parley_loop_iteration_seconds_count"));
  }

  @Test
  void healthzAnswersOkWhileTheLoopRuns() throws Exception {
    HttpResponse<String> response = get("/healthz");
    assertEquals(200, response.statusCode());
    assertEquals("ok\n", response.body());
  }

  /** A connection that has sent half a request head and holds it open. */
  private Socket halfRequest() throws IOException {
    Socket s = new Socket("127.0.0.1", endpoint.address().getPort());
    s.setSoTimeout(10_000);
    s.getOutputStream()
        .write("GET /healthz HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  @Test
  void halfARequestHeadDoesNotHoldUpOtherRequests() throws Exception {
    try (Socket half = halfRequest()) {
      HttpResponse<String> response = get("/healthz");
      assertEquals(200, response.statusCode());
      assertEquals("ok\n", response.body());
      assertEquals(200, get("/metrics").statusCode());
      assertTrue(half.isConnected());
    }
  }

  @Test
  void halfARequestHeadIsClosedOnceTheRequestTimeIsUp() throws Exception {
    endpoint.close();
    endpoint = MetricsEndpoint.start("127.0.0.1", 0, server.server(), Duration.ofMillis(200));
    try (Socket half = halfRequest()) {
      assertEquals(-1, half.getInputStream().read(), "closed without an answer");
    }
    assertEquals(200, get("/healthz").statusCode());
  }

  @Test
  void connectionsBeyondTheBoundPushOutTheOldestAndHealthzStillAnswers() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < MetricsEndpoint.MAX_CONNECTIONS + 1; i++) {
        held.add(halfRequest());
      }
      assertEquals(200, get("/healthz").statusCode());
      assertEquals(-1, held.get(0).getInputStream().read(), "the oldest was closed");
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aRequestHeadLargerThanTheBoundIs431() throws Exception {
    try (Socket s = new Socket("127.0.0.1", endpoint.address().getPort())) {
      s.setSoTimeout(10_000);
      String start = "GET /healthz HTTP/1.1\r\nX-Big: ";
      String head = start + "a".repeat(MetricsEndpoint.MAX_HEAD_BYTES - start.length());
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
    }
  }

  @Test
  void otherMethodsAre405() throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/healthz");
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, response.statusCode());
    assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(""));
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    assertEquals(404, get("/metrics/extra").statusCode());
    assertEquals(404, get("/").statusCode());
  }
}
