package dev.parley.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates and keys as operators have them: PEM (RSA, EC, a chain) or PKCS#12. */
class TlsCredentialsTest {
  @TempDir Path dir;

  @Test
  void pemPairsLoadForEcAndRsaKeys() throws IOException {
    TestCertificates.Pair ec = TestCertificates.make(dir, "ec", "EC", "dns:localhost", 0, 10);
    TestCertificates.Pair rsa = TestCertificates.make(dir, "rsa", "RSA", "dns:localhost", 0, 10);
    assertEquals("CN=ec", TlsCredentials.load(ec.pem()).subject());
    assertEquals("CN=rsa", TlsCredentials.load(rsa.pem()).subject());
  }

  @Test
  void aChainInTheCertificateFileLoads() throws IOException {
    TestCertificates.Pair ca = TestCertificates.ca(dir, "class-ca");
    TestCertificates.Pair leaf = TestCertificates.signedByCa(dir, ca);
    assertEquals("CN=leaf", TlsCredentials.load(leaf.pem()).subject());
  }

  @Test
  void aKeystoreLoads() throws IOException {
    TestCertificates.Pair pair = TestCertificates.make(dir, "p12", "RSA", "dns:localhost", 0, 10);
    assertEquals("CN=p12", TlsCredentials.load(pair.pkcs12()).subject());
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() throws IOException {
    TestCertificates.Pair a = TestCertificates.make(dir, "a", "EC", "dns:localhost", 0, 10);
    TestCertificates.Pair b = TestCertificates.make(dir, "b", "EC", "dns:localhost", 0, 10);
    IOException e =
        assertThrows(
            IOException.class, () -> TlsCredentials.load(TlsConfig.pem(0, a.cert(), b.key())));
    assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
  }

  @Test
  void anOldStyleKeyIsRefusedWithTheCommandThatConvertsIt() throws IOException {
    TestCertificates.Pair pair = TestCertificates.make(dir, "old", "RSA", "dns:localhost", 0, 10);
    Path pkcs1 = dir.resolve("old-rsa.key");
    Files.writeString(
        pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
    IOException e =
        assertThrows(
            IOException.class, () -> TlsCredentials.load(TlsConfig.pem(0, pair.cert(), pkcs1)));
    assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
  }

  @Test
  void aMissingFileIsAOneLineReason() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                TlsCredentials.load(
                    TlsConfig.pem(0, dir.resolve("none.crt"), dir.resolve("none.key"))));
    assertTrue(e.getMessage().contains("none.crt"), e.getMessage());
  }
}
