package dev.parley.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rooms' metrics on a real server's {@code /metrics}: rooms in use ({@code #main} counted),
 * memberships, and the room messages counter whose rate is messages per second; no per-room labels.
 */
class RoomsMetricsEndToEndTest {
  @RegisterExtension final ServerUnderTest server = ServerUnderTest.started();

  private final HttpClient http = HttpClient.newHttpClient();
  private MetricsEndpoint endpoint;

  @BeforeEach
  void startEndpoint() throws Exception {
    endpoint = MetricsEndpoint.start("127.0.0.1", 0, server.server());
  }

  @AfterEach
  void stopEndpoint() {
    endpoint.close();
  }

  /**
   * The value of the unlabelled sample {@code name}, failing when there is none or a labelled one.
   */
  private double sample(String name) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/metrics");
    String body =
        http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Double value = null;
    for (String line : body.split("\n")) {
      if (line.startsWith(name + "{")) {
        throw new AssertionError("no per-room labels: " + line);
      }
      if (line.startsWith(name + " ")) {
        value = Double.parseDouble(line.substring(name.length() + 1));
      }
    }
    if (value == null) {
      throw new AssertionError(name + " missing from " + body);
    }
    return value;
  }

  @Test
  void roomsInUseMembersAndRoomMessagesAreCounted() throws Exception {
    assertEquals(1.0, sample("parley_rooms")); // #main
    assertEquals(0.0, sample("parley_room_members"));
    double messagesBefore = sample("parley_room_messages_total");

    LineClient alice = server.signIn("alice");
    LineClient bob = server.signInSeenBy("bob", alice);
    alice.send("C JOIN #a", "C JOIN #b");
    alice.expectStartsWith("C JOINED #a ");
    alice.expectStartsWith("C JOINED #b ");
    bob.send("C JOIN #a", "C PM #a", "D hi", "C PM", "D main");
    bob.expectStartsWith("C JOINED #a ");
    bob.expect("C PROMPT TEXT", "C SENT PM #a 1 1", "C PROMPT TEXT", "C SENT PM 1 1");

    await().atMost(Duration.ofSeconds(10)).until(() -> sample("parley_room_members") == 3.0);
    assertEquals(3.0, sample("parley_rooms"));
    assertEquals(1.0, sample("parley_room_messages_total") - messagesBefore);

    alice.send("C EX");
    alice.nextStartingWith("C BYE "); // after bob's C JOIN #a
    await().atMost(Duration.ofSeconds(10)).until(() -> sample("parley_room_members") == 1.0);
    assertEquals(2.0, sample("parley_rooms")); // #b has nobody now
  }
}
