package dev.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionTest {
  @Test
  void theBuildFillsInTheProjectVersionAndTheCommit() {
    Version v = Version.current();
    // The surefire run sees the filtered resource of this very build.
    assertEquals(System.getProperty("parley.expected.version"), v.version());
    assertTrue(
        v.commit().matches("[0-9a-f]{12}") || v.commit().equals("unknown"), "commit " + v.commit());
  }

  @Test
  void theLineNamesProgramVersionAndCommit() {
    assertEquals(
        "parley-server 1.2.3 (commit abcdef012345)",
        new Version("1.2.3", "abcdef012345").line("parley-server"));
  }
}
