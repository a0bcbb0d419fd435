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
import javax.net.ssl.SSLException;

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
    Instant now = Instant.now();
    X509Certificate cert = SelfSignedCertificate.create(keys, "ferry-driver",
        new BigInteger(63, new java.security.SecureRandom()).add(BigInteger.ONE),
        now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)));
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
