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
 */
public record TlsConfig(
    int port, Path certFile, Path keyFile, String keystorePassword, boolean plainOff) {
  /** The environment variable that holds a PKCS#12 keystore's password, off the command line. */
  public static final String KEYSTORE_PASSWORD_ENV = "PARLEY_TLS_KEYSTORE_PASSWORD";

  public TlsConfig {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keystorePassword, "keystorePassword");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("TLS port must be 0-65535, got " + port);
    }
  }

  /** PEM certificate chain and key. */
  public static TlsConfig pem(int port, Path certFile, Path keyFile) {
    return new TlsConfig(port, certFile, Objects.requireNonNull(keyFile, "keyFile"), "", false);
  }

  /** A PKCS#12 keystore holding one key and its chain. */
  public static TlsConfig keystore(int port, Path keystore, String password) {
    return new TlsConfig(port, keystore, null, password, false);
  }

  public TlsConfig withPort(int newPort) {
    return new TlsConfig(newPort, certFile, keyFile, keystorePassword, plainOff);
  }

  public TlsConfig tlsOnly(boolean on) {
    return new TlsConfig(port, certFile, keyFile, keystorePassword, on);
  }

  /** Where the pair comes from, for messages. */
  String source() {
    return keyFile == null ? certFile.toString() : certFile + " and " + keyFile;
  }
}
