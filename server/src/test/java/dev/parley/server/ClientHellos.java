package dev.parley.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS ClientHellos as attackers and old clients send them, byte by byte: a real one recorded from
 * an {@link SSLEngine} (to replay on fresh connections), and crafted ones (TLS 1.1, made-up
 * versions) that the JDK's own client would refuse to send.
 */
final class ClientHellos {
  private ClientHellos() {}

  /** The first flight of a real TLS 1.3/1.2 client using {@code context}: its ClientHello. */
  static byte[] recorded(SSLContext context) throws SSLException {
    SSLEngine client = context.createSSLEngine("localhost", 0);
    client.setUseClientMode(true);
    client.beginHandshake();
    ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
    SSLEngineResult result = client.wrap(ByteBuffer.allocate(0), out);
    if (result.bytesProduced() == 0) {
      throw new IllegalStateException("the engine wrote no hello: " + result);
    }
    out.flip();
    byte[] hello = new byte[out.remaining()];
    out.get(hello);
    return hello;
  }

  /**
   * A ClientHello with {@code legacyVersion} in its body and, when {@code supportedVersions} is not
   * empty, a supported_versions extension listing them (two bytes each: 0x0302 is TLS 1.1),
   * offering one TLS 1.2 CBC suite. The JDK names the versions it refuses in its exception's
   * message.
   */
  static byte[] crafted(int legacyVersion, int... supportedVersions) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    short16(body, legacyVersion);
    body.writeBytes(new byte[32]); // random
    body.write(0); // no session id
    short16(body, 4); // cipher suites: ECDHE-ECDSA-AES128-SHA, ECDHE-RSA-AES128-SHA
    short16(body, 0xc009);
    short16(body, 0xc013);
    body.write(1); // compression methods: null only
    body.write(0);
    ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    short16(extensions, 0x000a); // supported_groups: secp256r1
    short16(extensions, 4);
    short16(extensions, 2);
    short16(extensions, 0x0017);
    short16(extensions, 0x000b); // ec_point_formats: uncompressed
    short16(extensions, 2);
    extensions.write(1);
    extensions.write(0);
    if (supportedVersions.length > 0) {
      short16(extensions, 0x002b);
      short16(extensions, 1 + 2 * supportedVersions.length);
      extensions.write(2 * supportedVersions.length);
      for (int v : supportedVersions) {
        short16(extensions, v);
      }
    }
    short16(body, extensions.size());
    body.writeBytes(extensions.toByteArray());
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(0x16); // handshake
    short16(record, 0x0301);
    short16(record, 4 + body.size());
    record.write(1); // client_hello
    record.write(0);
    short16(record, body.size());
    record.writeBytes(body.toByteArray());
    return record.toByteArray();
  }

  private static void short16(ByteArrayOutputStream out, int value) {
    out.write(value >> 8);
    out.write(value & 0xff);
  }

  /** A raw socket to 127.0.0.1:{@code port} that sends {@code hello}. */
  static Socket sent(int port, byte[] hello) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(hello);
    return socket;
  }

  /** Everything the server sends until it closes. */
  static byte[] readToEnd(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
