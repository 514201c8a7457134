package dev.parley.server;

import dev.parley.server.tls.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made at test time with the JDK's {@code keytool} (so nothing secret is checked in),
 * written as a PKCS#12 keystore and as the PEM pair {@code openssl req} writes: the chain, and the
 * key as unencrypted PKCS#8. Self-signed, so a client trusts exactly this certificate.
 */
public final class TestCertificates {
  private static final String PASSWORD = "changeit";
  private static Pair localhost;

  /** One made certificate and its files. */
  public record Pair(Path cert, Path key, Path keystore, X509Certificate certificate) {
    /** The server's TLS settings from the PEM files, on a port the system picks. */
    public TlsConfig pem() {
      return TlsConfig.pem(0, cert, key);
    }

    public TlsConfig pkcs12() {
      return TlsConfig.keystore(0, keystore, PASSWORD);
    }

    /** A client context that trusts this certificate only. */
    public SSLContext trustingClient() {
      try {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private TestCertificates() {}

  /** For {@code localhost} and 127.0.0.1, valid now; made once per test JVM. */
  public static synchronized Pair localhost() {
    if (localhost == null) {
      try {
        Path dir = Files.createTempDirectory("parley-tls");
        dir.toFile().deleteOnExit();
        localhost = make(dir, "localhost", "EC", "dns:localhost,ip:127.0.0.1", 0, 30);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return localhost;
  }

  /**
   * Makes a self-signed certificate in {@code dir}.
   *
   * @param name the subject's CN and the files' base name
   * @param keyAlgorithm EC or RSA
   * @param san the subjectAltName entries, as keytool takes them
   * @param startDaysAgo how long ago it became valid
   * @param validityDays how long it is valid from then (in the past for an expired one)
   */
  public static Pair make(
      Path dir, String name, String keyAlgorithm, String san, int startDaysAgo, int validityDays)
      throws IOException {
    return make(dir, name, keyAlgorithm, san, startDaysAgo, validityDays, null);
  }

  private static Pair make(
      Path dir,
      String name,
      String keyAlgorithm,
      String san,
      int startDaysAgo,
      int validityDays,
      String extraExtension)
      throws IOException {
    Path keystore = dir.resolve(name + ".p12");
    List<String> command =
        new ArrayList<>(
            List.of(
                keytoolPath(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                keyAlgorithm,
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=" + san,
                "-validity",
                String.valueOf(validityDays),
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
    if (keyAlgorithm.equals("RSA")) {
      command.addAll(List.of("-keysize", "2048"));
    }
    if (startDaysAgo > 0) {
      command.addAll(List.of("-startdate", "-" + startDaysAgo + "d"));
    }
    if (extraExtension != null) {
      command.addAll(List.of("-ext", extraExtension));
    }
    keytool(command, null);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        store.load(in, PASSWORD.toCharArray());
      }
      X509Certificate certificate = (X509Certificate) store.getCertificate("server");
      Key key = store.getKey("server", PASSWORD.toCharArray());
      Path cert = dir.resolve(name + ".crt");
      Path keyFile = dir.resolve(name + ".key");
      Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
      return new Pair(cert, keyFile, keystore, certificate);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /**
   * A certificate for {@code localhost} signed by a CA of its own (as a class's CA, or a public
   * one, would sign it): the certificate file holds the chain, leaf first; {@code ca} is the CA's
   * own pair (its certificate is what a client names with {@code --tls-ca}).
   */
  public static Pair signedByCa(Path dir, Pair ca) throws IOException {
    Pair self = make(dir, "leaf", "EC", "dns:localhost,ip:127.0.0.1", 0, 30);
    byte[] request =
        keytool(
            List.of(
                keytoolPath(),
                "-certreq",
                "-alias",
                "server",
                "-keystore",
                self.keystore().toString(),
                "-storepass",
                PASSWORD),
            null);
    byte[] signed =
        keytool(
            List.of(
                keytoolPath(),
                "-gencert",
                "-rfc",
                "-alias",
                "server",
                "-keystore",
                ca.keystore().toString(),
                "-storepass",
                PASSWORD,
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "30"),
            request);
    Path chain = dir.resolve("leaf-chain.crt");
    Files.writeString(
        chain, new String(signed, StandardCharsets.US_ASCII) + Files.readString(ca.cert()));
    try {
      X509Certificate leaf =
          (X509Certificate)
              java.security.cert.CertificateFactory.getInstance("X.509")
                  .generateCertificate(Files.newInputStream(chain));
      return new Pair(chain, self.key(), self.keystore(), leaf);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** A CA certificate (basic constraints CA:true) to sign others with. */
  public static Pair ca(Path dir, String name) throws IOException {
    return make(dir, name, "EC", "dns:" + name, 0, 30, "bc:c");
  }

  private static String keytoolPath() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  /** Runs keytool; returns what it wrote to standard output. */
  private static byte[] keytool(List<String> command, byte[] input) throws IOException {
    Process keytool =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (input != null) {
      keytool.getOutputStream().write(input);
    }
    keytool.getOutputStream().close();
    byte[] output;
    try (InputStream in = keytool.getInputStream()) {
      output = in.readAllBytes();
    }
    try {
      if (keytool.waitFor() != 0) {
        throw new IOException("keytool failed: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    }
    return output;
  }

  static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
