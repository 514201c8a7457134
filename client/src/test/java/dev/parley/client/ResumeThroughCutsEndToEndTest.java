package dev.parley.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.ChatServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resume end to end: the real server in-process, the client (as a script with --reconnect)
 * connected through a proxy that cuts its connection 100 times at random points (during the
 * greeting, the sign-in, the history, the resume, live traffic) while another user publishes
 * without pause. Afterwards the client has shown every published message exactly once, in order.
 */
class ResumeThroughCutsEndToEndTest {
  private static final int CUTS = 100;
  private static final Pattern SHOWN = Pattern.compile("\\[[0-9: -]+\\] pub: m([0-9]+)");

  private ChatServer server;
  private CuttingProxy proxy;
  private ClientRun client;
  private volatile boolean publishing = true;
  private volatile int published; // messages confirmed with C SENT

  @AfterEach
  void stopAll() throws Exception {
    publishing = false;
    if (client != null) {
      client.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Publishes m0, m1, ... one after another, each waiting for its C SENT, until told to stop. */
  private void publish(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out.write("C NICK pub\n".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; publishing; i++) {
        out.write(("C PM\nD m" + i + "\n").getBytes(StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.startsWith("C SENT PM ")) {
          // READY, HISTORY, PROMPT, JOIN, LEAVE: not counted
        }
        if (line == null) {
          return;
        }
        published = i + 1;
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyMessageIsShownExactlyOnceAcross100Cuts() throws Exception {
    server = ClientRun.localServer(2000); // about 1000 messages a second
    proxy = new CuttingProxy(server.port());
    client =
        ClientRun.session(
            proxy.port(),
            // Each connection counts as steady: the cuts stand for a flaky network, where
            // waits that grow with every cut would only make the test slow.
            ClientRun.alwaysSteady(proxy.port(), "watcher"));
    // The watcher is in before the first message: one published earlier would reach it only as
    // join history, and on a loaded machine the publisher's bare socket can be hundreds of messages
    // ahead of the client's start-up.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.out().contains("Signed in as watcher"));
    Thread publisher = new Thread(() -> publish(server.port()), "publisher");
    publisher.start();

    Random random = new Random(42);
    for (int cut = 1; cut <= CUTS; cut++) {
      int connection = cut;
      // Cut somewhere between the middle of the greeting and well into live traffic.
      long after = 20 + random.nextInt(6000);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> proxy.connections() >= connection && proxy.downstreamBytes() >= after);
      proxy.cut(cut % 2 == 0);
    }
    publishing = false;
    publisher.join(10_000);
    int total = published;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.out().contains("] pub: m" + (total - 1) + "\n"));
    client.endInput();
    assertEquals(0, client.exitCode(), client.err());

    List<Integer> shown = new ArrayList<>();
    for (String line : client.outLines()) {
      Matcher m = SHOWN.matcher(line);
      if (m.matches()) {
        shown.add(Integer.parseInt(m.group(1)));
      }
    }
    // Each message once, in order, none missing: shown is exactly 0, 1, ..., total - 1.
    int firstWrong = 0;
    while (firstWrong < shown.size() && shown.get(firstWrong) == firstWrong) {
      firstWrong++;
    }
    String around =
        shown
            .subList(Math.max(0, firstWrong - 3), Math.min(shown.size(), firstWrong + 3))
            .toString();
    assertEquals(total, firstWrong, "shown in order up to index " + firstWrong + ": " + around);
    assertEquals(total, shown.size(), "nothing after the last message");
    System.out.println(
        "resume: "
            + CUTS
            + " cuts, "
            + total
            + " messages, "
            + proxy.connections()
            + " connections");
  }
}
