package io.ferry.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ferry.rpc.proto.JarDescriptor;
import io.ferry.rpc.proto.LaunchRecord;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.testing.RecordingHandler;
import io.ferry.rpc.testing.RecordingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JarDownloadTest {
  @TempDir Path dir;
  private RpcServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private DriverConnection start(List<Path> jars) throws Exception {
    server = RpcServer.start(ServerConfig.loopback().withJars(jars), new RecordingHandler());
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    return RpcClient.connect(ClientConfig.fromLaunchRecord(record, "e-1", "a", "h"), new RecordingListener())
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void jarsArriveWholeAndChecked() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    new Random(1).nextBytes(big);
    Path app = Files.write(dir.resolve("app.jar"), big);
    Path empty = Files.write(dir.resolve("empty.jar"), new byte[0]);
    DriverConnection driver = start(List.of(app, empty));

    assertThat(driver.welcome().getJarsList()).extracting(JarDescriptor::getName).containsExactly("app.jar", "empty.jar");
    Path into = dir.resolve("executor-jars");
    for (JarDescriptor jar : driver.welcome().getJarsList()) {
      Path got = driver.fetchJar(jar, into).get(20, TimeUnit.SECONDS);
      assertThat(got.getFileName().toString()).isEqualTo(jar.getName());
    }
    assertThat(Files.readAllBytes(into.resolve("app.jar"))).isEqualTo(big);
    assertThat(Files.size(into.resolve("empty.jar"))).isZero();
    try (var files = Files.list(into)) {
      assertThat(files).hasSize(2); // no temp files left
    }
  }

  @Test
  void aJarThatChangedOnTheDriverIsRefusedAndNotStored() throws Exception {
    Path app = Files.write(dir.resolve("app.jar"), new byte[] {1, 2, 3, 4});
    DriverConnection driver = start(List.of(app));
    Files.write(app, new byte[] {9, 9, 9, 9}); // same size, other bytes
    Path into = dir.resolve("executor-jars");
    assertThatThrownBy(() -> driver.fetchJar(driver.welcome().getJars(0), into).get(20, TimeUnit.SECONDS))
        .cause().isInstanceOf(RpcException.class).hasMessageContaining("SHA-256");
    assertThat(into.resolve("app.jar")).doesNotExist();
  }

  @Test
  void namesThatEscapeTheDirectoryAreRefused() throws Exception {
    DriverConnection driver = start(List.of());
    JarDescriptor evil = JarDescriptor.newBuilder().setName("../../etc/passwd").setSize(1)
        .setSha256(ByteString.copyFrom(new byte[32])).build();
    assertThatThrownBy(() -> driver.fetchJar(evil, dir.resolve("jars")).get(20, TimeUnit.SECONDS))
        .cause().hasMessageContaining("not a plain file name");
  }

  @Test
  void anUnknownJarFailsWithTheDriversReason() throws Exception {
    DriverConnection driver = start(List.of());
    JarDescriptor missing = JarDescriptor.newBuilder().setName("nope.jar").setSize(1)
        .setSha256(ByteString.copyFrom(new byte[32])).build();
    assertThatThrownBy(() -> driver.fetchJar(missing, dir.resolve("jars")).get(20, TimeUnit.SECONDS))
        .cause().hasMessageContaining("no such application jar: nope.jar");
  }

  @Test
  void duplicateJarNamesFailAtStart() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Path one = Files.write(a.resolve("x.jar"), new byte[] {1});
    Path two = Files.write(b.resolve("x.jar"), new byte[] {2});
    assertThatThrownBy(() -> RpcServer.start(ServerConfig.loopback().withJars(List.of(one, two)), new RecordingHandler()))
        .isInstanceOf(RpcException.class).hasMessageContaining("share the file name x.jar");
    assertThatThrownBy(() -> RpcServer.start(ServerConfig.loopback().withJars(List.of(dir.resolve("gone.jar"))),
        new RecordingHandler())).hasMessageContaining("gone.jar does not exist");
  }
}
