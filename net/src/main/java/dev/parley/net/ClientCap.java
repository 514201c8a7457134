package dev.parley.net;

/**
 * The cap on connections at once ({@code --max-clients}), one for the whole server: every port's
 * {@link Acceptor} takes a seat from the same cap, so TCP, TLS and browser users together never
 * hold more descriptors than the cap allows. Loop thread only.
 */
public final class ClientCap {
  private final int max;
  private int open; // connections accepted on any port and not yet closed

  public ClientCap(int max) {
    this.max = max;
  }

  int max() {
    return max;
  }

  int open() {
    return open;
  }

  boolean full() {
    return open >= max;
  }

  void taken() {
    open++;
  }

  void freed() {
    open--;
  }
}
