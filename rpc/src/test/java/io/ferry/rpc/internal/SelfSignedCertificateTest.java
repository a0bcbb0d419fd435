package io.ferry.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SelfSignedCertificateTest {

  private static KeyPair ecKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  @Test
  void theJdkReadsItAsAV3CertificateSignedByItsOwnKey() throws Exception {
    KeyPair keys = ecKeys();
    Instant notBefore = Instant.parse("2026-01-02T03:04:05.678Z");
    Instant notAfter = Instant.parse("2036-01-02T03:04:05Z");
    BigInteger serial = new BigInteger("7fffffffffffffff", 16);

    X509Certificate cert = SelfSignedCertificate.create(keys, "ferry-driver", serial, notBefore, notAfter);

    assertThat(cert.getVersion()).isEqualTo(3);
    assertThat(cert.getSerialNumber()).isEqualTo(serial);
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=ferry-driver");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    assertThat(cert.getNotBefore()).isEqualTo(Date.from(Instant.parse("2026-01-02T03:04:05Z")));
    assertThat(cert.getNotAfter()).isEqualTo(Date.from(notAfter));
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
    cert.verify(keys.getPublic());
    assertThatThrownBy(() -> cert.verify(ecKeys().getPublic())).isInstanceOf(SignatureException.class);
  }

  @Test
  void datesFrom2050AreGeneralizedTime() throws Exception {
    Instant notAfter = Instant.parse("2051-06-30T23:59:59Z");
    X509Certificate cert = SelfSignedCertificate.create(ecKeys(), "x", BigInteger.ONE,
        Instant.parse("2049-12-31T23:59:59Z"), notAfter);
    assertThat(cert.getNotAfter()).isEqualTo(Date.from(notAfter));
    assertThat(cert.getNotBefore()).isEqualTo(Date.from(Instant.parse("2049-12-31T23:59:59Z")));
  }

  @Test
  void aLongNameNeedsTheLongLengthForm() throws Exception {
    String name = "n".repeat(300);
    X509Certificate cert = SelfSignedCertificate.create(ecKeys(), name, BigInteger.TEN,
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + name);
  }

  @Test
  void derEncodingOfLengthsAndObjectIdentifiers() {
    HexFormat hex = HexFormat.of();
    assertThat(hex.formatHex(SelfSignedCertificate.tagged(0x04, new byte[127]))).startsWith("047f00");
    assertThat(hex.formatHex(SelfSignedCertificate.tagged(0x04, new byte[128]))).startsWith("04818000");
    assertThat(hex.formatHex(SelfSignedCertificate.tagged(0x04, new byte[256]))).startsWith("0482010000");
    // ecdsa-with-SHA256 as RFC 5758 gives it.
    assertThat(hex.formatHex(SelfSignedCertificate.oid(1, 2, 840, 10045, 4, 3, 2))).isEqualTo("06082a8648ce3d040302");
  }

  @Test
  void aSerialThatIsNotPositiveIsRefused() {
    assertThatThrownBy(() -> SelfSignedCertificate.create(ecKeys(), "x", BigInteger.ZERO, Instant.EPOCH,
        Instant.EPOCH.plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serial: 0");
  }
}
