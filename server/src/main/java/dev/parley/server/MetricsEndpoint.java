package dev.parley.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.server.metrics.PrometheusText;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --metrics-port}: {@code GET /metrics} (Prometheus text format) and {@code GET /healthz}
 * over plain HTTP, served by the JDK's HTTP server on one thread of its own ({@code
 * parley-metrics}). That thread never touches loop state: each request asks the loop for its
 * numbers ({@link ChatServer#metrics}) and waits at most {@link #LOOP_ANSWER_TIMEOUT}; a loop that
 * does not answer in time makes the request fail with 503, which is itself a health signal.
 */
final class MetricsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

  static final Duration LOOP_ANSWER_TIMEOUT = Duration.ofSeconds(2);

  private final HttpServer http;
  private final ExecutorService thread;

  private MetricsEndpoint(HttpServer http, ExecutorService thread) {
    this.http = http;
    this.thread = thread;
  }

  /** Binds {@code host:port} (0 picks a free port) and starts serving {@code server}. */
  static MetricsEndpoint start(String host, int port, ChatServer server) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "parley-metrics");
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(thread);
    http.createContext(
        "/metrics",
        exchange ->
            respond(
                exchange, () -> server.metrics(LOOP_ANSWER_TIMEOUT), PrometheusText.CONTENT_TYPE));
    http.createContext(
        "/healthz",
        exchange ->
            respond(
                exchange,
                () -> {
                  if (!server.healthy(LOOP_ANSWER_TIMEOUT)) {
                    throw new IllegalStateException("the event loop did not answer");
                  }
                  return "ok\n";
                },
                "text/plain; charset=utf-8"));
    http.start();
    return new MetricsEndpoint(http, thread);
  }

  InetSocketAddress address() {
    return http.getAddress();
  }

  @Override
  public void close() {
    http.stop(0);
    thread.shutdownNow();
  }

  /** What a request is answered with; throws IllegalStateException when the loop is stuck. */
  private interface Body {
    String get();
  }

  private static void respond(HttpExchange exchange, Body body, String contentType)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      boolean exactPath =
          exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath());
      int status;
      String text;
      if (!exactPath) {
        status = 404;
        text = "not found\n";
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        status = 405;
        text = "GET only\n";
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      } else {
        try {
          text = body.get();
          status = 200;
        } catch (IllegalStateException e) {
          LOG.warn("{} answered 503: {}", exchange.getRequestURI().getPath(), e.getMessage());
          status = 503;
          text = "unavailable: " + e.getMessage() + "\n";
        }
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      exchange
          .getResponseHeaders()
          .set("Content-Type", status == 200 ? contentType : "text/plain; charset=utf-8");
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
