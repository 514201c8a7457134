package dev.parley.server.tls;

import dev.parley.cli.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;

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

  static final Setting<Object> PORT =
      Setting.wholeOrOff(
          "tls-port", "PORT", "also serve TLS 1.3/1.2 on this port (off by default)", 0, 65535);
  static final Setting<Object> CERT =
      Setting.text(
          "tls-cert",
          "FILE",
          "TLS: PEM certificate chain, leaf first (as openssl req and certbot write it)",
          null,
          null);
  static final Setting<Object> KEY =
      Setting.text(
          "tls-key",
          "FILE",
          "TLS: PEM private key, unencrypted PKCS#8 (RSA, EC or EdDSA)",
          null,
          null);
  static final Setting<Object> KEYSTORE =
      Setting.text(
          "tls-keystore",
          "FILE",
          "TLS: a PKCS#12 keystore instead of PEM files; its password from $"
              + KEYSTORE_PASSWORD_ENV,
          null,
          null);
  static final Setting<Object> ONLY =
      Setting.onOff(
          "tls-only",
          "TLS: do not open the plain TCP port (kill -HUP reloads the certificate)",
          null);
  static final Setting<Object> MAX_HANDSHAKES =
      Setting.whole(
          "max-tls-handshakes",
          "N",
          "TLS: handshakes under way at once, on every TLS port; more are closed at once",
          DEFAULT_MAX_HANDSHAKES,
          1,
          1_000_000,
          null);
  static final Setting<Object> MAX_HANDSHAKES_PER_ADDRESS =
      Setting.whole(
          "max-tls-handshakes-per-address",
          "N",
          "TLS: of those, from one client address",
          DEFAULT_MAX_HANDSHAKES_PER_ADDRESS,
          1,
          1_000_000,
          null);

  /** The TLS options' rows of the server's option table. */
  public static final List<Setting<Object>> SETTINGS =
      List.of(PORT, CERT, KEY, KEYSTORE, ONLY, MAX_HANDSHAKES, MAX_HANDSHAKES_PER_ADDRESS);

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

  /**
   * The TLS port's settings when {@code --tls-port} was given, else null. TLS options without a TLS
   * port, or in classroom mode (which stays plain), are refused rather than ignored.
   *
   * @param keystorePassword the keystore's password, from {@link #KEYSTORE_PASSWORD_ENV}, or null
   */
  public static TlsConfig from(CommandLine line, boolean classroom, String keystorePassword)
      throws ParseException {
    // Checked before anything else, so that a bad value is called that, TLS port or not.
    int maxHandshakes = (int) MAX_HANDSHAKES.wholeOrDefault(line);
    int maxHandshakesPerAddress = (int) MAX_HANDSHAKES_PER_ADDRESS.wholeOrDefault(line);
    if (!PORT.given(line)) {
      for (Setting<Object> row : SETTINGS) {
        if (row.given(line)) {
          throw new ParseException("--" + row.name() + " needs --tls-port");
        }
      }
      return null;
    }
    if (classroom) {
      throw new ParseException("--tls-port is for chat mode; classroom mode is plain TCP");
    }
    int port = (int) PORT.whole(line);
    TlsConfig tls;
    if (KEYSTORE.given(line)) {
      if (CERT.given(line) || KEY.given(line)) {
        throw new ParseException("give either --tls-keystore or --tls-cert and --tls-key");
      }
      tls =
          keystore(
              port, Path.of(KEYSTORE.text(line)), keystorePassword == null ? "" : keystorePassword);
    } else if (CERT.given(line) && KEY.given(line)) {
      tls = pem(port, Path.of(CERT.text(line)), Path.of(KEY.text(line)));
    } else {
      throw new ParseException("--tls-port needs --tls-cert and --tls-key, or --tls-keystore");
    }
    return tls.tlsOnly(ONLY.given(line))
        .withHandshakeLimits(maxHandshakes, maxHandshakesPerAddress);
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
