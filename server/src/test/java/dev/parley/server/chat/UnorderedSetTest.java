package dev.parley.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnorderedSetTest {

  private static Set<String> members(UnorderedSet<String> set) {
    Set<String> seen = new HashSet<>();
    for (String s : set) {
      seen.add(s);
    }
    for (int i = 0; i < set.size(); i++) {
      assertTrue(seen.contains(set.get(i)), "get(" + i + ") walks the same members");
    }
    return seen;
  }

  @Test
  void removingFromTheMiddleMovesTheLastMemberIntoTheGap() {
    UnorderedSet<String> set = new UnorderedSet<>();
    set.add("a");
    set.add("b");
    set.add("c");
    set.remove("a");
    assertEquals(List.of("c", "b"), set.snapshot());
    set.remove("c"); // the moved member is still found where it now is
    assertEquals(List.of("b"), set.snapshot());
  }

  @Test
  void membersAreByIdentityAndAddingOrRemovingTwiceChangesNothing() {
    UnorderedSet<String> set = new UnorderedSet<>();
    String one = new String("x");
    String other = new String("x");
    set.add(one);
    set.add(one);
    set.add(other);
    assertEquals(2, set.size());
    set.remove(one);
    set.remove(one);
    assertEquals(1, set.size());
    assertSame(other, set.get(0), "the other equal member stays");
  }

  @Test
  void anyMixOfAddsAndRemovesKeepsExactlyTheMembersLeft() {
    Random random = new Random(20);
    UnorderedSet<String> set = new UnorderedSet<>();
    Set<String> expected = new HashSet<>();
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      pool.add("m" + i);
    }
    for (int step = 0; step < 5_000; step++) {
      String m = pool.get(random.nextInt(pool.size()));
      if (random.nextBoolean()) {
        set.add(m);
        expected.add(m);
      } else {
        set.remove(m);
        expected.remove(m);
      }
      assertEquals(expected.size(), set.size());
    }
    assertEquals(expected, members(set));
  }
}
