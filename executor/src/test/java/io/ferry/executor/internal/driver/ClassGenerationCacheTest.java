package io.ferry.executor.internal.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ferry.rpc.DriverConnection;
import io.ferry.rpc.proto.ClassFile;
import io.ferry.rpc.proto.Classes;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.JarDescriptor;
import io.ferry.rpc.proto.Welcome;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Run-time class generations on the executor: one request per generation, one loader per
 * generation (a class of the same name with other bytes in a later generation never leaks into an
 * earlier one's tasks), a bounded cache that never drops a generation a task holds.
 */
@Timeout(60)
class ClassGenerationCacheTest {
  /** The driver side of the link, recording what the executor sends. */
  private static final class RecordingDriver implements DriverConnection {
    final BlockingQueue<Frame> sent = new LinkedBlockingQueue<>();

    @Override public Welcome welcome() { return Welcome.getDefaultInstance(); }
    @Override public void send(Frame frame) { sent.add(frame); }
    @Override public CompletableFuture<Path> fetchJar(JarDescriptor jar, Path directory) {
      return CompletableFuture.failedFuture(new IllegalStateException("no jars here"));
    }
    @Override public void close(String reason) {}
    @Override public CompletableFuture<String> closeFuture() { return new CompletableFuture<>(); }
    @Override public boolean endedByDriverGoodbye() { return false; }
    @Override public String peer() { return "127.0.0.1:1"; }
  }

  private final RecordingDriver driver = new RecordingDriver();
  private final ClassGenerationCache cache = new ClassGenerationCache(driver, getClass().getClassLoader(), "[test]");

  @Test
  void theSameClassNameInTwoGenerationsLoadsEachGenerationsOwnBytes() throws Exception {
    try (ClassGenerationCache.Lease one = cache.acquire(1); ClassGenerationCache.Lease two = cache.acquire(2)) {
      cache.onClasses(generation(1, "REPL.Pair", "package REPL; public class Pair { public static String ab() {"
          + " return \"1/1\"; } }"));
      cache.onClasses(generation(2, "REPL.Pair", "package REPL; public class Pair { public static String ab() {"
          + " return \"2/2\"; } }"));
      assertThat(call(one.await().loader(), "REPL.Pair")).isEqualTo("1/1");
      assertThat(call(two.await().loader(), "REPL.Pair")).isEqualTo("2/2");
      assertThat(call(one.await().loader(), "REPL.Pair")).as("generation 1 again, after 2 was loaded").isEqualTo("1/1");
    }
  }

  @Test
  void aGenerationIsAskedForOnceAndLaterTasksFindItHere() throws Exception {
    try (ClassGenerationCache.Lease first = cache.acquire(5)) {
      assertThat(driver.sent.poll(5, TimeUnit.SECONDS).getClassesRequest().getGeneration()).isEqualTo(5);
      try (ClassGenerationCache.Lease second = cache.acquire(5)) {
        cache.onClasses(generation(5, "REPL.A", "package REPL; public class A { public static String ab() {"
            + " return \"a\"; } }"));
        assertThat(second.await().loader()).isSameAs(first.await().loader());
      }
    }
    try (ClassGenerationCache.Lease again = cache.acquire(5)) {
      assertThat(call(again.await().loader(), "REPL.A")).isEqualTo("a");
    }
    assertThat(driver.sent).as("no second request for a cached generation").isEmpty();
  }

  @Test
  void theCacheIsBoundedButKeepsEveryGenerationATaskHolds() throws Exception {
    ClassGenerationCache.Lease held = cache.acquire(1);
    cache.onClasses(Classes.newBuilder().setGeneration(1).build());
    for (long g = 2; g <= 3 * ClassGenerationCache.KEPT; g++) {
      try (ClassGenerationCache.Lease lease = cache.acquire(g)) {
        cache.onClasses(Classes.newBuilder().setGeneration(g).build());
        lease.await();
      }
    }
    assertThat(cache.size()).isEqualTo(ClassGenerationCache.KEPT);
    driver.sent.clear();
    try (ClassGenerationCache.Lease again = cache.acquire(1)) {
      assertThat(again.await().loader()).isSameAs(held.await().loader());
    }
    held.close();
    assertThat(driver.sent).as("generation 1 stayed while held").isEmpty();
  }

  @Test
  void theDriversRefusalAndALostLinkFailTheWaitingTaskWithTheReason() {
    ClassGenerationCache.Lease refused = cache.acquire(7);
    cache.onClasses(Classes.newBuilder().setGeneration(7).setError("the driver has no class generation 7").build());
    assertThatThrownBy(refused::await).hasMessageContaining("cannot get class generation 7 from the driver")
        .hasMessageContaining("the driver has no class generation 7");
    refused.close();

    ClassGenerationCache.Lease waiting = cache.acquire(8);
    cache.failAll("the link to the driver ended: heartbeat timeout");
    assertThatThrownBy(waiting::await).hasMessageContaining("heartbeat timeout");
    waiting.close();
  }

  private static Object call(ClassLoader loader, String className) throws Exception {
    return Class.forName(className, true, loader).getMethod("ab").invoke(null);
  }

  /** One generation holding {@code source} compiled (the JDK's compiler, in memory) as {@code name}. */
  private static Classes generation(long id, String name, String source) {
    return Classes.newBuilder().setGeneration(id)
        .addClasses(ClassFile.newBuilder().setName(name).setBytecode(ByteString.copyFrom(compile(name, source))))
        .build();
  }

  private static byte[] compile(String name, String source) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JavaFileObject input = new SimpleJavaFileObject(URI.create("string:///" + name.replace('.', '/') + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    JavaFileManager files = new ForwardingJavaFileManager<>(compiler.getStandardFileManager(null, null, null)) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
          FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
          @Override
          public OutputStream openOutputStream() {
            return bytes;
          }
        };
      }
    };
    boolean ok = compiler.getTask(null, files, null, List.of("--release", "17"), null, List.of(input)).call();
    if (!ok) {
      throw new IllegalStateException("cannot compile " + name);
    }
    return bytes.toByteArray();
  }
}
