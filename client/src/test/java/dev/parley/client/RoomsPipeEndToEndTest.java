package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A piped script in rooms (protocol section 12) against the real server in-process on 127.0.0.1:
 * {@code /join #x} and then plain text goes to {@code #x}, as another member of {@code #x} sees it
 * on the wire.
 */
class RoomsPipeEndToEndTest extends LocalServerFixture {
  @Test
  void aScriptThatJoinsARoomSendsItsTextThereAndBackToMainAfterPart() throws Exception {
    try (Socket alice = new Socket("127.0.0.1", server.port())) {
      alice.setSoTimeout(20_000);
      BufferedReader aliceIn =
          new BufferedReader(new InputStreamReader(alice.getInputStream(), StandardCharsets.UTF_8));
      send(alice, "C NICK alice");
      assertTrue(aliceIn.readLine().startsWith("C HELLO parley/1"));
      assertEquals("C READY alice 1", aliceIn.readLine());
      assertEquals("C HISTORY 0", aliceIn.readLine());
      send(alice, "C JOIN #x");
      assertTrue(aliceIn.readLine().startsWith("C JOINED #x "));

      ClientRun bob = ClientRun.main(Map.of(), "127.0.0.1", String.valueOf(server.port()), "bob");
      // The lines go in at once: the client, not the script, waits for C JOINED.
      bob.type("/join #x", "hello room", "/part", "hello main");
      bob.endInput();

      int code;
      try {
        code = bob.exitCode();
      } catch (Exception e) {
        throw new AssertionError("OUT:" + bob.out() + "ERR:" + bob.err(), e);
      }
      assertEquals(0, code, bob.out() + bob.err());
      // A delivery goes out once stored, a notice at once: the two may pass each other.
      List<String> heard = new ArrayList<>();
      for (String line = aliceIn.readLine(); !"C LEAVE bob".equals(line); ) {
        heard.add(line.replaceFirst(" \\S+Z bob ", " <time> bob "));
        line = aliceIn.readLine();
      }
      assertEquals(
          List.of(
                  "C JOIN bob",
                  "C JOIN #x bob",
                  "C PART #x bob",
                  "D PM #x 1 <time> bob hello room",
                  "D PM 1 <time> bob hello main")
              .stream()
              .sorted()
              .toList(),
          heard.stream().sorted().toList(),
          "alice heard " + heard);
      assertTrue(
          heard.indexOf("C JOIN #x bob") < heard.indexOf("D PM #x 1 <time> bob hello room"),
          "alice heard " + heard);

      String shown = bob.out();
      assertTrue(shown.contains("* you are in #x (2 users here)"), shown);
      assertTrue(shown.contains("] bob: hello room"), shown);
      assertTrue(shown.contains("* you left #x"), shown);
      assertTrue(shown.contains("] bob: hello main"), shown);
    }
  }

  private static void send(Socket socket, String line) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
