package dev.parley.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A browser user as the JDK's own WebSocket client sees the server: each text message is one line.
 * Collects messages in a queue the test reads with a timeout; remembers how the server closed.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  static WsClient open(int port) {
    return open(port, null);
  }

  /** Opens {@code ws://127.0.0.1:port/ws}, sending {@code origin} when it is not null. */
  static WsClient open(int port, String origin) {
    return open(URI.create("ws://127.0.0.1:" + port + "/ws"), HttpClient.newHttpClient(), origin);
  }

  /** Opens {@code wss://localhost:port/ws}, trusting what {@code tls} trusts. */
  static WsClient openSecure(int port, SSLContext tls) {
    HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
    return open(URI.create("wss://localhost:" + port + "/ws"), http, null);
  }

  private static WsClient open(URI uri, HttpClient http, String origin) {
    WsClient client = new WsClient();
    WebSocket.Builder builder = http.newWebSocketBuilder();
    if (origin != null) {
      builder.header("Origin", origin);
    }
    client.socket =
        builder
            .connectTimeout(WAIT)
            .buildAsync(uri, client)
            .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
            .join();
    return client;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      lines.add(partial.toString());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closedWith.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closedWith.complete(-1);
  }

  void send(String... messages) {
    for (String message : messages) {
      socket.sendText(message, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }
  }

  void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  String next() {
    try {
      String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(line, "no message within " + WAIT);
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  void expect(String line) {
    assertEquals(line, next());
  }

  String nextStartingWith(String prefix) {
    while (true) {
      String line = next();
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  void signIn(String name) {
    assertTrue(next().startsWith("C HELLO parley/1"));
    send("C NICK " + name);
    assertTrue(next().startsWith("C READY " + name + " "));
    String history = next();
    assertTrue(history.startsWith("C HISTORY "), history);
    int n = Integer.parseInt(history.substring("C HISTORY ".length()));
    for (int i = 0; i < n; i++) {
      next();
    }
  }

  /** The status code of the server's close frame (-1: the connection broke without one). */
  int closeCode() {
    return closedWith.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    socket.abort();
  }
}
