package io.ferry.rpc.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** Trusts one server certificate, identified by the SHA-256 of its DER encoding. Never a client. */
final class PinnedTrustManager extends X509ExtendedTrustManager {
  private final byte[] pinned;

  PinnedTrustManager(byte[] pinned) {
    this.pinned = pinned.clone();
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the driver presented no TLS certificate");
    }
    byte[] actual;
    try {
      actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
    } catch (GeneralSecurityException e) {
      throw new CertificateException("cannot fingerprint the driver's certificate", e);
    }
    if (!MessageDigest.isEqual(pinned, actual)) {
      throw new CertificateException("the driver's TLS certificate has SHA-256 "
          + HexFormat.of().formatHex(actual) + " but the launch record pins "
          + HexFormat.of().formatHex(pinned) + ": this is not the driver that launched the task");
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("executors do not accept connections");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("executors do not accept connections");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("executors do not accept connections");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
