package dev.parley.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import tlschannel.ClientTlsChannel;
import tlschannel.NeedsReadException;
import tlschannel.NeedsWriteException;
import tlschannel.TlsChannel;

/**
 * The client's TLS: which certificates it trusts (the JDK's trust store, plus a class's own CA or a
 * self-signed server certificate from {@code --tls-ca}), and a handshake that verifies the chain
 * and the host name before a single protocol line is read. A failure is an exception with one line
 * fit to show; the client never falls back to plain text.
 */
final class ClientTls {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final SSLContext context;

  private ClientTls(SSLContext context) {
    this.context = context;
  }

  /**
   * Trusts the JDK's certificate authorities and, when {@code caFile} is not null, the PEM
   * certificates in it too.
   *
   * @throws IOException with a one-line reason when the file cannot be read
   */
  static ClientTls trusting(Path caFile) throws IOException {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int n = 0;
      for (X509Certificate ca : jdkAuthorities()) {
        trusted.setCertificateEntry("jdk-" + n++, ca);
      }
      if (caFile != null) {
        try (InputStream in = Files.newInputStream(caFile)) {
          for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            trusted.setCertificateEntry("ca-" + n++, ca);
          }
        }
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return new ClientTls(context);
    } catch (GeneralSecurityException | IOException e) {
      throw new IOException("cannot read the CA certificate " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static X509Certificate[] jdkAuthorities() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }

  /**
   * TLS over {@code channel} without waiting: the handshake, and the check of the server's
   * certificate, happen in the first reads and writes, which throw an {@link SSLException} (see
   * {@link #reason}) if it fails. For a reconnect on the client's loop.
   */
  TlsChannel over(SocketChannel channel, String host, int port) {
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setProtocols(PROTOCOLS);
    // The host name is checked against the certificate as a browser does (an IP against its IPs).
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!isAddress(host)) {
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    engine.setSSLParameters(parameters);
    return ClientTlsChannel.newBuilder(channel, engine)
        .withSessionInitCallback(ClientTls::checkValidity)
        .build();
  }

  /**
   * Runs the handshake over the connected {@code channel} (non-blocking), waiting at most {@code
   * timeout}, and returns the channel that encrypts from then on.
   *
   * @throws IOException with a one-line reason when verification or the handshake fails
   */
  TlsChannel handshake(SocketChannel channel, String host, int port, Duration timeout)
      throws IOException {
    TlsChannel tls = over(channel, host, port);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Selector selector = Selector.open()) {
      SelectionKey key = channel.register(selector, 0);
      while (true) {
        try {
          tls.handshake();
          key.cancel();
          selector.selectNow(); // deregisters the key before the client's own selector takes over
          return tls;
        } catch (NeedsReadException e) {
          key.interestOps(SelectionKey.OP_READ);
        } catch (NeedsWriteException e) {
          key.interestOps(SelectionKey.OP_WRITE);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IOException("TLS handshake timed out");
        }
        selector.select(Math.max(1, left / 1_000_000));
      }
    } catch (SSLException e) {
      throw new IOException(reason(e, host), e);
    }
  }

  /**
   * The certificate's dates: PKIX checks them along a chain but not on a trust anchor itself, and a
   * self-signed server certificate given with {@code --tls-ca} is one. Thrown from tls-channel's
   * session callback, it fails the handshake as an {@link SSLException} with this as its cause.
   */
  private static void checkValidity(SSLSession session) {
    try {
      ((X509Certificate) session.getPeerCertificates()[0]).checkValidity();
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (SSLPeerUnverifiedException e) {
      throw new IllegalStateException("the server sent no certificate", e);
    }
  }

  private static boolean isAddress(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  /** One line a person can act on, rather than the JDK's nested messages. */
  static String reason(SSLException e, String host) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return "TLS: the server's certificate has expired";
      }
      if (t instanceof CertificateNotYetValidException) {
        return "TLS: the server's certificate is not valid yet";
      }
      if (t instanceof CertPathBuilderException) {
        return "TLS: the server's certificate is not trusted (a class's own CA or a self-signed"
            + " certificate needs --tls-ca FILE)";
      }
      String message = t.getMessage();
      if (message != null && message.startsWith("No subject alternative")) {
        return "TLS: the server's certificate is not for " + host;
      }
      if (message != null && message.startsWith("Unrecognized SSL message")) {
        // The JDK's words for a first record that is no TLS record: plain text, such as C HELLO.
        return "TLS: the server did not answer with TLS - is this a plain port? try without --tls";
      }
    }
    return "TLS: " + e.getMessage();
  }
}
