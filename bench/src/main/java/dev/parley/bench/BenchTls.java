package dev.parley.bench;

import java.net.InetSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import tlschannel.ClientTlsChannel;

/**
 * {@code --tls}: TLS 1.3/1.2 over each bench connection, the handshake driven by the bench's own
 * loop through tls-channel. The server's certificate is accepted unchecked: the bench measures
 * encryption cost on a test server (often with a self-signed certificate), it protects nothing.
 */
final class BenchTls {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final SSLContext context;

  BenchTls() {
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AcceptAll()}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM: " + e.getMessage(), e);
    }
  }

  /**
   * TLS over {@code channel} (connected or connecting); the handshake starts with the first I/O.
   */
  ByteChannel over(SocketChannel channel, InetSocketAddress server) {
    SSLEngine engine = context.createSSLEngine(server.getHostString(), server.getPort());
    engine.setUseClientMode(true);
    engine.setEnabledProtocols(PROTOCOLS);
    return ClientTlsChannel.newBuilder(channel, engine).withReleaseBuffers(true).build();
  }

  /** Trusts any certificate: measurement only (see the class comment). */
  private static final class AcceptAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
