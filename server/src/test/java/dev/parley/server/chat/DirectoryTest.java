package dev.parley.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Claims and lookups only: a session's name is set by signing in, which needs a connection, so the
 * names list is covered end to end ({@code C LIST}).
 */
class DirectoryTest {
  // Sessions are only held and compared here, never driven, so they need no connection.
  private final Session alice = new Session(null, null);
  private final Session other = new Session(null, null);

  @Test
  void aNameIsClaimedOnceWhateverItsCase() {
    Directory directory = new Directory();
    assertTrue(directory.claim("Alice", alice));
    assertFalse(directory.claim("alice", other));
    assertFalse(directory.claim("ALICE", other));
    assertFalse(directory.claim("Alice", alice), "not even twice by the same session");
    assertEquals(1, directory.size());
  }

  @Test
  void findIgnoresCase() {
    Directory directory = new Directory();
    directory.claim("Alice", alice);
    assertSame(alice, directory.find("alice"));
    assertSame(alice, directory.find("ALICE"));
    assertNull(directory.find("bob"));
  }

  @Test
  void onlyTheClaimingSessionReleasesAName() {
    Directory directory = new Directory();
    directory.claim("Alice", alice);
    directory.release("alice", other);
    assertSame(alice, directory.find("Alice"), "another session cannot free the name");
    directory.release("ALICE", alice);
    assertNull(directory.find("Alice"));
    assertEquals(0, directory.size());
    assertTrue(directory.claim("alice", other), "a released name can be taken again");
  }

  @Test
  void sessionsAreInClaimOrder() {
    Directory directory = new Directory();
    directory.claim("zed", other);
    directory.claim("amy", alice);
    assertEquals(List.of(other, alice), List.copyOf(directory.sessions()));
  }
}
