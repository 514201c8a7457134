package dev.parley.server.classroom;

/**
 * The classroom's ordering arbiter, the same idea as chat's {@code Sequencer}: one per server,
 * living on the loop thread, so the order of calls is the order of arrival and needs no lock. A
 * message takes a ticket when its first bytes are read; the lower ticket arrived first. Loop thread
 * only.
 */
final class ArrivalOrder {
  private long lastTicket; // the ticket given last; tickets start at 1

  long nextTicket() {
    return ++lastTicket;
  }
}
