package io.ferry.rpc.internal;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A per-application TLS identity: a fresh EC P-256 key and a self-signed certificate. Executors
 * trust it because its SHA-256 fingerprint travels in the launch record, not because of a CA.
 */
public final class TlsIdentity {
  private final SslContext serverContext;
  private final byte[] certSha256;

  private TlsIdentity(SslContext serverContext, byte[] certSha256) {
    this.serverContext = serverContext;
    this.certSha256 = certSha256;
  }

  public static TlsIdentity generate() throws GeneralSecurityException, SSLException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair keys = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=ferry-driver");
    Instant now = Instant.now();
    X509Certificate cert;
    try {
      cert = new JcaX509CertificateConverter().getCertificate(
          new JcaX509v3CertificateBuilder(
                  subject,
                  new BigInteger(63, new java.security.SecureRandom()),
                  Date.from(now.minus(Duration.ofDays(1))),
                  Date.from(now.plus(Duration.ofDays(3650))),
                  subject,
                  keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the driver's TLS certificate", e);
    }
    byte[] fingerprint = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
    SslContext context = SslContextBuilder.forServer(keys.getPrivate(), cert).build();
    return new TlsIdentity(context, fingerprint);
  }

  public SslContext serverContext() {
    return serverContext;
  }

  public byte[] certSha256() {
    return certSha256.clone();
  }

  /** A client context that accepts exactly the certificate with this fingerprint. */
  public static SslContext pinnedClientContext(byte[] certSha256) throws SSLException {
    return SslContextBuilder.forClient()
        .trustManager(new PinnedTrustManager(certSha256))
        // The pin identifies the driver exactly; host names play no part.
        .endpointIdentificationAlgorithm(null)
        .build();
  }
}
