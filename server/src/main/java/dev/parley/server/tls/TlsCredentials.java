package dev.parley.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's certificate and key as an {@link SSLContext}, loaded at start and again on {@link
 * #reload} (SIGHUP, after a renewal): new handshakes use the newest pair that loaded, connections
 * already up keep theirs, and a pair that fails to load changes nothing. Any thread.
 *
 * <p>The JDK alone reads both formats: PEM chains through {@link CertificateFactory}, unencrypted
 * PKCS#8 keys ({@code BEGIN PRIVATE KEY}, RSA, EC or EdDSA) through {@link KeyFactory}, PKCS#12
 * through {@link KeyStore}. Older PEM key encodings are refused with the command that converts
 * them, rather than pulling in Bouncy Castle for them.
 */
public final class TlsCredentials implements Supplier<SSLContext> {
  private static final Logger LOG = LoggerFactory.getLogger(TlsCredentials.class);

  private static final Pattern PEM_KEY =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");
  private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA"};

  static {
    // TLS 1.2 renegotiation started by a client is a denial-of-service lever and nothing parley
    // needs (TLS 1.3 has none). Read by the JDK once, before its first TLS use.
    if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
      System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
    }
  }

  private final TlsConfig config;
  private volatile SSLContext current;
  private volatile String subject; // the leaf certificate's subject, for the log
  private volatile List<String> names = List.of(); // the leaf's DNS names and addresses

  private TlsCredentials(TlsConfig config) {
    this.config = config;
  }

  /** Loads the pair; throws with a one-line reason when it cannot (the server does not start). */
  public static TlsCredentials load(TlsConfig config) throws IOException {
    TlsCredentials credentials = new TlsCredentials(config);
    credentials.loadNow();
    return credentials;
  }

  @Override
  public SSLContext get() {
    return current;
  }

  /** The leaf certificate's subject, as loaded last. */
  public String subject() {
    return subject;
  }

  /**
   * The DNS names and IP addresses in the leaf certificate's subject alternative names, as loaded
   * last: the names a browser reaching this server over https may use. Any thread.
   */
  public List<String> names() {
    return names;
  }

  /** Loads the files again; true when the new pair is in use, false (logged why) when not. */
  public boolean reload() {
    try {
      loadNow();
      LOG.info("TLS certificate reloaded from {}: {}", config.source(), subject);
      return true;
    } catch (IOException e) {
      LOG.warn("TLS certificate not reloaded, the previous one stays: {}", e.getMessage());
      return false;
    }
  }

  private void loadNow() throws IOException {
    try {
      KeyStore store = config.keyFile() == null ? keystore() : fromPem();
      char[] password = config.keystorePassword().toCharArray();
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      subject = leafSubject(store);
      names = leafNames(store);
      current = context;
    } catch (GeneralSecurityException e) {
      throw new IOException(config.source() + ": " + e.getMessage(), e);
    }
  }

  private KeyStore keystore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(config.certFile())) {
      store.load(in, config.keystorePassword().toCharArray());
    }
    if (leafSubject(store) == null) {
      throw new GeneralSecurityException("the keystore holds no private key with a certificate");
    }
    return store;
  }

  private KeyStore fromPem() throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = certificates(Files.readAllBytes(config.certFile()));
    PrivateKey key = privateKey(Files.readString(config.keyFile(), StandardCharsets.US_ASCII));
    checkPair(key, chain.get(0));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", key, new char[0], chain.toArray(new Certificate[0]));
    return store;
  }

  static List<X509Certificate> certificates(byte[] pem) throws GeneralSecurityException {
    Collection<? extends Certificate> read =
        CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate c : read) {
      chain.add((X509Certificate) c);
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate in the certificate file");
    }
    return chain;
  }

  static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    Matcher m = PEM_KEY.matcher(pem);
    if (!m.find()) {
      throw new GeneralSecurityException("no PEM private key in the key file");
    }
    if (!m.group(1).equals("PRIVATE KEY")) {
      throw new GeneralSecurityException(
          "the key is "
              + m.group(1)
              + "; parley reads unencrypted PKCS#8 (BEGIN PRIVATE KEY): convert it with"
              + " openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException e) {
        // not this algorithm; try the next
      }
    }
    throw new GeneralSecurityException("the private key is not an RSA, EC or EdDSA key");
  }

  /** A certificate renewed without its key (or the other way round) fails here, not per client. */
  private static void checkPair(PrivateKey key, X509Certificate leaf)
      throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    byte[] probe = "parley".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    boolean matches;
    try {
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (InvalidKeyException e) {
      matches = false; // a key of another algorithm than the certificate's
    }
    if (!matches) {
      throw new GeneralSecurityException("the private key does not belong to the certificate");
    }
  }

  private static List<String> leafNames(KeyStore store) throws GeneralSecurityException {
    List<String> found = new ArrayList<>();
    Enumeration<String> aliases = store.aliases();
    while (aliases.hasMoreElements()) {
      String alias = aliases.nextElement();
      if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate cert) {
        Collection<List<?>> alternatives = cert.getSubjectAlternativeNames();
        for (List<?> name : alternatives == null ? List.<List<?>>of() : alternatives) {
          if ((Integer) name.get(0) == 2 || (Integer) name.get(0) == 7) { // dNSName, iPAddress
            found.add((String) name.get(1));
          }
        }
        return List.copyOf(found);
      }
    }
    return List.of();
  }

  private static String leafSubject(KeyStore store) throws GeneralSecurityException {
    Enumeration<String> aliases = store.aliases();
    while (aliases.hasMoreElements()) {
      String alias = aliases.nextElement();
      if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
      }
    }
    return null;
  }
}
