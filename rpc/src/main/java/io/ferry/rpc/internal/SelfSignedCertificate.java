package io.ferry.rpc.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes a self-signed X.509 v3 certificate for an EC key, signed with SHA256withECDSA, in DER
 * (RFC 5280, ITU-T X.690): one common name as subject and issuer, no extensions.
 *
 * <p>Why not a library: the driver needs exactly this one certificate shape (executors trust it by
 * its SHA-256 fingerprint, not by its fields), and the JDK has no public API for it. BouncyCastle
 * did it in three lines but put 9 MiB of jars into the distribution (bcprov, bcpkix, bcutil), about
 * a tenth of the archive; this writer is the few DER rules the shape needs. The JDK's own
 * {@link CertificateFactory} parses the result, so a malformed encoding fails here, at once.
 */
final class SelfSignedCertificate {

  /** ecdsa-with-SHA256 (RFC 5758 3.2): the AlgorithmIdentifier has no parameters. */
  private static final byte[] ECDSA_WITH_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);
  /** id-at-commonName (X.520). */
  private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);

  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
  private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

  private SelfSignedCertificate() {}

  /**
   * @param keys an EC key pair; its private key signs, its public key is the subject's
   * @param commonName the subject's and issuer's CN
   * @param serial a positive serial number
   */
  static X509Certificate create(KeyPair keys, String commonName, BigInteger serial, Instant notBefore,
      Instant notAfter) throws GeneralSecurityException {
    if (serial.signum() <= 0) {
      throw new IllegalArgumentException("serial: " + serial + " (expected: positive, RFC 5280 4.1.2.2)");
    }
    byte[] algorithm = sequence(ECDSA_WITH_SHA256);
    byte[] name = name(commonName);
    byte[] tbs = sequence(
        tagged(0xA0, integer(BigInteger.TWO)), // [0] EXPLICIT version: v3
        integer(serial),
        algorithm,
        name,
        sequence(time(notBefore), time(notAfter)),
        name,
        keys.getPublic().getEncoded()); // SubjectPublicKeyInfo, already DER
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(keys.getPrivate());
    signer.update(tbs);
    byte[] certificate = sequence(tbs, algorithm, bitString(signer.sign()));
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(certificate));
  }

  private static byte[] name(String commonName) {
    byte[] value = tagged(0x0C, commonName.getBytes(StandardCharsets.UTF_8)); // UTF8String
    return sequence(tagged(0x31, sequence(COMMON_NAME, value))); // SEQUENCE OF SET OF AttributeTypeAndValue
  }

  /** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, both to the second in UTC. */
  private static byte[] time(Instant instant) {
    ZonedDateTime utc = instant.atZone(ZoneOffset.UTC).withNano(0);
    return utc.getYear() < 2050
        ? tagged(0x17, UTC_TIME.format(utc).getBytes(StandardCharsets.US_ASCII))
        : tagged(0x18, GENERALIZED_TIME.format(utc).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] integer(BigInteger value) {
    return tagged(0x02, value.toByteArray()); // two's complement, minimal: what DER asks
  }

  private static byte[] bitString(byte[] bytes) {
    byte[] content = new byte[bytes.length + 1]; // leading byte: no unused bits
    System.arraycopy(bytes, 0, content, 1, bytes.length);
    return tagged(0x03, content);
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    return tagged(0x30, content.toByteArray());
  }

  static byte[] oid(int... arcs) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.write(40 * arcs[0] + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int arc = arcs[i];
      int shift = 28;
      while (shift > 0 && (arc >>> shift) == 0) {
        shift -= 7;
      }
      for (; shift > 0; shift -= 7) {
        content.write(0x80 | ((arc >>> shift) & 0x7F));
      }
      content.write(arc & 0x7F);
    }
    return tagged(0x06, content.toByteArray());
  }

  /** One DER TLV: the tag, the definite length (short form below 128, else long form), the content. */
  static byte[] tagged(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
