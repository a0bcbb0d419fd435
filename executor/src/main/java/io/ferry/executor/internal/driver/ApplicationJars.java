package io.ferry.executor.internal.driver;

import io.ferry.rpc.DriverConnection;
import io.ferry.rpc.proto.JarDescriptor;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches the application's jars (the Welcome's list, in order) from the driver over the
 * authenticated link, each checked for size and SHA-256 by the link, one after another, then
 * makes the application's class loader: one per application, its parent the executor's loader.
 */
final class ApplicationJars {
  private ApplicationJars() {}

  static CompletableFuture<URLClassLoader> fetch(DriverConnection driver, Path directory, ClassLoader parent,
      String appId) {
    List<Path> fetched = new ArrayList<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (JarDescriptor jar : driver.welcome().getJarsList()) {
      chain = chain.thenCompose(done -> driver.fetchJar(jar, directory)).thenAccept(fetched::add);
    }
    return chain.thenApply(done -> {
      URL[] urls = new URL[fetched.size()];
      for (int i = 0; i < urls.length; i++) {
        try {
          urls[i] = fetched.get(i).toUri().toURL();
        } catch (MalformedURLException e) {
          throw new IllegalStateException("jar path " + fetched.get(i) + ": " + e.getMessage(), e);
        }
      }
      return new URLClassLoader("ferry-app-" + (appId.isEmpty() ? "unnamed" : appId), urls, parent);
    });
  }
}
