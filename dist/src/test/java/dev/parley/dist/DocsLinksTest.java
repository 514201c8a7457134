package dev.parley.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation's links hold: every relative link in every Markdown file of the checkout names
 * a file that exists and, with a {@code #fragment} into a Markdown file, a heading that file has
 * (GitHub's anchors). The README stays a quick start, small enough to read at once.
 */
class DocsLinksTest {
  /** The checkout: tests run in the module's folder, {@code dist/}. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static final long README_MAX_BYTES = 12 * 1024;

  /** {@code [text](target)} or {@code ![alt](target)}; the target ends at a space or ')'. */
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)[^)]*\\)");

  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

  private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");

  /** A link target: the file part (empty for the same file) and the fragment (null if none). */
  private record Target(String file, String fragment) {
    static Target of(String raw) {
      int hash = raw.indexOf('#');
      return hash < 0
          ? new Target(raw, null)
          : new Target(raw.substring(0, hash), raw.substring(hash + 1));
    }
  }

  @Test
  void everyRelativeLinkReachesAFileAndEveryAnchorAHeading() throws IOException {
    List<Path> docs = markdownFiles();
    assertTrue(docs.contains(ROOT.resolve("README.md")), "no README.md under " + ROOT);
    Map<Path, Set<String>> anchors = new HashMap<>();
    List<String> dead = new ArrayList<>();
    for (Path doc : docs) {
      for (String raw : links(doc)) {
        if (raw.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          continue; // https:, mailto: and the like: not ours to check offline
        }
        Target t = Target.of(raw);
        Path file = t.file().isEmpty() ? doc : doc.getParent().resolve(t.file()).normalize();
        String where = ROOT.relativize(doc) + ": " + raw;
        if (!file.startsWith(ROOT) || !Files.exists(file)) {
          dead.add(where + " (no such file)");
        } else if (t.fragment() != null && file.toString().endsWith(".md")) {
          Set<String> known = anchors.computeIfAbsent(file, DocsLinksTest::headingAnchors);
          if (!known.contains(t.fragment())) {
            dead.add(where + " (no such heading)");
          }
        }
      }
    }
    assertEquals(List.of(), dead, "dead links");
  }

  @Test
  void theReadmeIsAQuickStart() throws IOException {
    long size = Files.size(ROOT.resolve("README.md"));
    assertTrue(
        size <= README_MAX_BYTES,
        "README.md is " + size + " bytes, over " + README_MAX_BYTES + ": move reference to docs/");
  }

  @Test
  void anchorsFollowGitHubsRules() {
    assertEquals("limits-server-options", anchor("Limits (server options)"));
    assertEquals("61-resuming-c-seq", anchor("6.1 Resuming: `C SEQ`"));
    assertEquals(
        "security-round-3-replayed-tls-clienthellos",
        anchor("Security round 3: replayed TLS ClientHellos"));
    assertEquals("using-the-page", anchor("[Using](x.md) the page"));
  }

  private static List<Path> markdownFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(ROOT)) {
      return walk.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> !isBuildOrHidden(ROOT.relativize(p)))
          .sorted()
          .toList();
    }
  }

  /** Build output, dependencies and dot-folders (.git, .ci's caches) are not the documentation. */
  private static boolean isBuildOrHidden(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** The link targets of a file, outside fenced code blocks and code spans. */
  private static List<String> links(Path doc) throws IOException {
    List<String> found = new ArrayList<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
      while (m.find()) {
        found.add(m.group(1));
      }
    }
    return found;
  }

  /** Every heading's anchor, a repeated one numbered as GitHub does ({@code -1}, {@code -2}). */
  private static Set<String> headingAnchors(Path doc) {
    List<String> lines;
    try {
      lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(doc.toString(), e);
    }
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (String line : lines) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      Matcher m = HEADING.matcher(line);
      if (!fenced && m.matches()) {
        String base = anchor(m.group(1));
        int n = seen.merge(base, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? base : base + "-" + n);
      }
    }
    return anchors;
  }

  /**
   * GitHub's anchor for a heading: the text as shown (a link's text, no markup), lower case,
   * punctuation dropped, each space a hyphen.
   */
  static String anchor(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\s_-]", "").replace(' ', '-');
  }
}
