package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.tls.TlsConfig;
import java.nio.file.Path;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;

/** The TLS options of the command line; kept apart from MainTest, which covers the rest. */
class TlsOptionsTest {
  private static TlsConfig tls(boolean classroom, String... args) throws ParseException {
    return TlsConfig.from(
        new DefaultParser().parse(ServerOptions.options(), args),
        classroom,
        System.getenv(TlsConfig.KEYSTORE_PASSWORD_ENV));
  }

  @Test
  void noTlsPortMeansNoTls() throws ParseException {
    assertNull(tls(false));
  }

  @Test
  void pemFilesAndTlsOnlyAreRead() throws ParseException {
    assertEquals(
        TlsConfig.pem(5443, Path.of("c.pem"), Path.of("k.pem")).tlsOnly(true),
        tls(
            false,
            "--tls-port",
            "5443",
            "--tls-cert",
            "c.pem",
            "--tls-key",
            "k.pem",
            "--tls-only"));
  }

  @Test
  void aKeystoreIsRead() throws ParseException {
    TlsConfig config = tls(false, "--tls-port", "5443", "--tls-keystore", "server.p12");
    assertEquals(Path.of("server.p12"), config.certFile());
    assertNull(config.keyFile());
  }

  @Test
  void halfATlsSetupIsRefusedWithAReason() {
    assertMessage("--tls-cert needs --tls-port", false, "--tls-cert", "c.pem");
    assertMessage(
        "--tls-port needs --tls-cert and --tls-key, or --tls-keystore",
        false,
        "--tls-port",
        "5443",
        "--tls-cert",
        "c.pem");
    assertMessage(
        "give either --tls-keystore or --tls-cert and --tls-key",
        false,
        "--tls-port",
        "1",
        "--tls-keystore",
        "a",
        "--tls-cert",
        "b");
    assertMessage("classroom mode is plain TCP", true, "--tls-port", "1", "--tls-keystore", "a");
  }

  private static void assertMessage(String expected, boolean classroom, String... args) {
    ParseException e = assertThrows(ParseException.class, () -> tls(classroom, args));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
