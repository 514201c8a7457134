package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.tls.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --tls} against the real server's TLS port: the chain and the name are checked before any
 * line is read, and a certificate that fails is one line and exit 1, never plain text instead. The
 * certificates are made by the JDK's keytool at test time.
 */
class TlsClientTest {
  @TempDir Path dir;
  private ChatServer server;
  private ClientRun client;

  @AfterEach
  void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aClientTrustingTheServersCertificateSignsInAndChats() throws Exception {
    Path cert = serve("good", "dns:localhost,ip:127.0.0.1", 0, 30);
    client =
        ClientRun.main(Map.of(), "--tls", "--tls-ca", cert.toString(), "127.0.0.1", port(), "bob");
    client.type("C PM", "D hello over TLS");
    client.endInput();
    assertEquals(0, client.exitCode(), client.err());
    assertTrue(client.out().contains("Signed in as bob"), client.out());
    assertTrue(client.out().contains("[sent #1"), client.out());
  }

  @Test
  void aCertificateTheClientDoesNotTrustIsOneLineAndExit1() throws Exception {
    serve("self-signed", "dns:localhost,ip:127.0.0.1", 0, 30);
    assertRefused(
        "TLS: the server's certificate is not trusted (a class's own CA or a self-signed"
            + " certificate needs --tls-ca FILE)",
        "--tls",
        "127.0.0.1",
        port(),
        "bob");
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    Path cert = serve("expired", "dns:localhost,ip:127.0.0.1", 3, 1);
    assertRefused(
        "TLS: the server's certificate has expired",
        "--tls",
        "--tls-ca",
        cert.toString(),
        "127.0.0.1",
        port(),
        "bob");
  }

  @Test
  void aCertificateForAnotherHostIsRefused() throws Exception {
    Path cert = serve("elsewhere", "dns:elsewhere.example", 0, 30);
    assertRefused(
        "TLS: the server's certificate is not for 127.0.0.1",
        "--tls",
        "--tls-ca",
        cert.toString(),
        "127.0.0.1",
        port(),
        "bob");
  }

  @Test
  void aCaWithoutTlsIsAUsageError() throws Exception {
    client = ClientRun.main(Map.of(), "--tls-ca", "ca.pem", "127.0.0.1", "5000", "bob");
    assertEquals(2, client.exitCode());
    assertEquals("parley-client: --tls-ca goes with --tls (see --help)\n", client.err());
  }

  private void assertRefused(String reason, String... args) throws Exception {
    client = ClientRun.main(Map.of(), args);
    assertEquals(1, client.exitCode(), client.out());
    assertEquals("cannot connect to 127.0.0.1:" + port() + ": " + reason + "\n", client.err());
  }

  private String port() {
    return String.valueOf(server.tlsAddress().getPort());
  }

  /**
   * Starts a server whose TLS port serves a new self-signed certificate; returns the certificate as
   * PEM (what a client's --tls-ca names).
   */
  private Path serve(String name, String san, int startDaysAgo, int validityDays) throws Exception {
    Path keystore = dir.resolve(name + ".p12");
    List<String> generate =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
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
                "secret",
                "-keypass",
                "secret"));
    if (startDaysAgo > 0) {
      generate.addAll(List.of("-startdate", "-" + startDaysAgo + "d"));
    }
    keytool(generate);
    Path cert = dir.resolve(name + ".pem");
    Files.write(
        cert,
        keytool(
            List.of(
                "-exportcert",
                "-rfc",
                "-alias",
                "server",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "secret")));
    server =
        ChatServer.start(
            ServerConfig.defaults().toBuilder()
                .host("127.0.0.1")
                .port(0)
                .store(ServerConfig.StoreKind.MEMORY)
                .maxRate(0)
                .build(),
            TlsConfig.keystore(0, keystore, "secret").tlsOnly(true));
    return cert;
  }

  private static byte[] keytool(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out;
    try (InputStream in = process.getInputStream()) {
      out = in.readAllBytes();
    }
    assertEquals(0, process.waitFor(), "keytool " + new String(out, StandardCharsets.UTF_8));
    return out;
  }
}
