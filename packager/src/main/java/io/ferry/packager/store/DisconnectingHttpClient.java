package io.ferry.packager.store;

import java.io.IOException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Closes the connection of any request that fails before a response arrives.
 *
 * <p>The URL-connection client leaves the socket of a request whose body could not be sent (an
 * interrupt, a local read error) open until garbage collection. The server then keeps waiting
 * for the rest of the body: a socket leaks, and the half-received part can get in the way of the
 * abort that follows (S3Proxy's file system backend fails the abort with HTTP 400 while the dead
 * part's temporary file exists). Aborting the request closes the socket at once.
 */
final class DisconnectingHttpClient implements SdkHttpClient {

  private final SdkHttpClient delegate;

  DisconnectingHttpClient(SdkHttpClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest prepared = delegate.prepareRequest(request);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        try {
          return prepared.call();
        } catch (IOException | RuntimeException | Error e) {
          try {
            prepared.abort();
          } catch (RuntimeException abortFailed) {
            e.addSuppressed(abortFailed);
          }
          throw e;
        }
      }

      @Override
      public void abort() {
        prepared.abort();
      }
    };
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
