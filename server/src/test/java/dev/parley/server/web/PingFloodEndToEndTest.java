package dev.parley.server.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.ChatServer;
import dev.parley.server.LineClient;
import dev.parley.server.ServerUnderTest;
import dev.parley.server.WebSocketClientSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, item 1: a WebSocket client sends pings and never reads (a receive buffer of 4 KiB). The
 * server stops reading from it while a pong waits for the socket, answers only the latest of the
 * pings it has read meanwhile, and a TCP user gets every answer; once the client reads, its frames
 * are whole and its last ping is answered.
 */
class PingFloodEndToEndTest {
  // 12.7 MB of pongs: three times what the kernel's buffers may hold (Linux grows a send buffer up
  // to net.ipv4.tcp_wmem's maximum, 4 MiB by default)
  private static final int PINGS = 100_000;
  private static final int LAST = 0xFFFFFF;

  private ChatServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        ChatServer.with(ServerUnderTest.defaults().withAddress("127.0.0.1", 0))
            .web(WebConfig.on(0))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] ping(int n) {
    byte[] payload = new byte[125];
    payload[0] = (byte) (n >> 16);
    payload[1] = (byte) (n >> 8);
    payload[2] = (byte) n;
    return RawWebClient.frame(0x89, payload, true);
  }

  @Test
  void aClientThatPingsAndNeverReadsGetsOnePongForItsLatestPingAndHurtsNobody() throws Exception {
    try (Socket flooder = new Socket();
        LineClient ben = LineClient.signedIn(server.port(), "ben")) {
      flooder.setReceiveBufferSize(4096);
      flooder.connect(new InetSocketAddress("127.0.0.1", server.webAddress().getPort()));
      flooder.setSoTimeout(10_000);
      OutputStream out = flooder.getOutputStream();
      out.write(
          ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      // Signed in, so that a slow run does not meet the sign-in deadline; the pings are the same.
      out.write(RawWebClient.frame(0x81, "C NICK flood".getBytes(StandardCharsets.UTF_8), true));
      AtomicLong written = new AtomicLong();
      CompletableFuture<Void> sent =
          CompletableFuture.runAsync(
              () -> {
                try {
                  ByteArrayOutputStream batch = new ByteArrayOutputStream();
                  for (int i = 0; i <= PINGS; i++) {
                    batch.writeBytes(ping(i == PINGS ? LAST : i));
                    if (batch.size() > 60_000 || i == PINGS) {
                      out.write(batch.toByteArray());
                      written.addAndGet(batch.size());
                      batch.reset();
                    }
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });

      // Another user is answered while the flood goes on.
      ben.expect("C JOIN flood");
      for (int i = 0; i < 20; i++) {
        ben.send("C PING " + i);
        ben.expect("C PONG " + i);
      }
      // The flood stops moving: the server no longer reads it (or it was all sent).
      long[] last = {-1};
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .during(Duration.ofMillis(500))
          .until(
              () -> {
                long now = written.get();
                boolean still = now == last[0];
                last[0] = now;
                return still;
              });
      long stalledAt = written.get();
      ben.send("C PING paused");
      ben.expect("C PONG paused");

      // The flooder reads at last: the pongs that fitted in the buffers, then one for its last
      // ping.
      DataInputStream in = new DataInputStream(flooder.getInputStream());
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      int pongs = 0;
      while (true) {
        RawWebClient.Frame frame =
            new RawWebClient.Frame(in.readUnsignedByte(), WebSocketClientSocket.readPayload(in));
        if (frame.opcode() != 0xA) {
          continue; // C HELLO, C READY, C JOIN ...
        }
        pongs++;
        byte[] p = frame.payload();
        int n = (p[0] & 0xFF) << 16 | (p[1] & 0xFF) << 8 | (p[2] & 0xFF);
        if (n == LAST) {
          break;
        }
      }
      sent.get(10, TimeUnit.SECONDS);
      assertTrue(
          stalledAt < (PINGS + 1L) * ping(0).length,
          "the server read the whole flood while its pongs could not be written");
      assertTrue(pongs <= PINGS, "every one of " + (PINGS + 1) + " pings got its own pong");
      ben.send("C PING after");
      ben.expect("C PONG after");
      assertEquals(2, server.openConnections());
    }
  }

  private static String readHead(DataInputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      head.write(in.readUnsignedByte());
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
