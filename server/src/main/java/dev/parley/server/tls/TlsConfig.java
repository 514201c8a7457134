package dev.parley.server.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The TLS port and where its certificate and key come from: PEM files ({@code certFile} with the
 * chain, {@code keyFile} with an unencrypted PKCS#8 key, as {@code openssl req} and certbot write
 * them) or a PKCS#12 keystore ({@code certFile} alone, {@code keyFile} null).
 *
 * @param port TCP port of the TLS listener; 0 picks a free one (tests)
 * @param certFile PEM certificate chain, leaf first; or the PKCS#12 keystore
 * @param keyFile PEM private key; null when {@code certFile} is a keystore
 * @param keystorePassword the keystore's password (empty for none); unused for PEM
 * @param plainOff whether the plain TCP port is closed (TLS-only service)
 * @param maxHandshakes TLS handshakes under way at once (TLS port and https web port together); a
 *     connection beyond is closed when accepted
 * @param maxHandshakesPerAddress of those, from one client address
 */
public record TlsConfig(
    int port,
    Path certFile,
    Path keyFile,
    String keystorePassword,
    boolean plainOff,
    int maxHandshakes,
    int maxHandshakesPerAddress) {
  /** The environment variable that holds a PKCS#12 keystore's password, off the command line. */
  public static final String KEYSTORE_PASSWORD_ENV = "PARLEY_TLS_KEYSTORE_PASSWORD";

  /**
   * Handshakes under way at once: far more than a room's users arrive at once, while the memory of
   * a waiting handshake (an engine, some KiB) stays small. Each costs one file descriptor beyond
   * {@code --max-clients}, since a handshake takes no seat until it is over.
   */
  public static final int DEFAULT_MAX_HANDSHAKES = 256;

  /**
   * Of those, from one address: a class behind one address, or fifty test clients, connecting at
   * once fit (they connect before any of them has said hello); a load generator opening hundreds at
   * once from one address needs more (bench/compare-redis.sh gives it 256).
   */
  public static final int DEFAULT_MAX_HANDSHAKES_PER_ADDRESS = 64;

  public TlsConfig {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keystorePassword, "keystorePassword");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("TLS port must be 0-65535, got " + port);
    }
    if (maxHandshakes < 1 || maxHandshakesPerAddress < 1) {
      throw new IllegalArgumentException("the TLS handshake bounds must be at least 1");
    }
  }

  /** PEM certificate chain and key. */
  public static TlsConfig pem(int port, Path certFile, Path keyFile) {
    return new TlsConfig(
        port,
        certFile,
        Objects.requireNonNull(keyFile, "keyFile"),
        "",
        false,
        DEFAULT_MAX_HANDSHAKES,
        DEFAULT_MAX_HANDSHAKES_PER_ADDRESS);
  }

  /** A PKCS#12 keystore holding one key and its chain. */
  public static TlsConfig keystore(int port, Path keystore, String password) {
    return new TlsConfig(
        port,
        keystore,
        null,
        password,
        false,
        DEFAULT_MAX_HANDSHAKES,
        DEFAULT_MAX_HANDSHAKES_PER_ADDRESS);
  }

  public TlsConfig withPort(int newPort) {
    return new TlsConfig(
        newPort,
        certFile,
        keyFile,
        keystorePassword,
        plainOff,
        maxHandshakes,
        maxHandshakesPerAddress);
  }

  public TlsConfig tlsOnly(boolean on) {
    return new TlsConfig(
        port, certFile, keyFile, keystorePassword, on, maxHandshakes, maxHandshakesPerAddress);
  }

  /** The same with other bounds on the handshakes under way. */
  public TlsConfig withHandshakeLimits(int max, int perAddress) {
    return new TlsConfig(port, certFile, keyFile, keystorePassword, plainOff, max, perAddress);
  }

  /** Where the pair comes from, for messages. */
  String source() {
    return keyFile == null ? certFile.toString() : certFile + " and " + keyFile;
  }
}
