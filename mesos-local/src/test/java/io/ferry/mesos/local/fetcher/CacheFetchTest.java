package io.ferry.mesos.local.fetcher;

import static io.ferry.mesos.local.fetcher.SandboxFixture.uriBuilder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.packager.testing.NginxServer;
import io.ferry.packager.testing.ScriptedHttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code cache=true}: Mesos's fetcher cache, stale entries and restart wipes included. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CacheFetchTest {

  @TempDir
  static Path serverDir;

  private static NginxServer nginx;

  @TempDir
  Path tmp;

  private SandboxFixture world;
  private FetcherCache cache;
  private Fetcher fetcher;

  @BeforeAll
  static void startNginx() throws IOException {
    nginx = NginxServer.start(serverDir);
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.stop();
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    world = SandboxFixture.create(tmp);
    cache = FetcherCache.builder(tmp.resolve("cache")).wipe(true).build();
    fetcher = Fetcher.builder().cache(cache).stallTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
  }

  private static CommandInfo.URI cached(String value) {
    return uriBuilder(value).setCache(true).build();
  }

  private String publishVersion(String name, String version) throws IOException {
    TestArchives.tar().file("VERSION", version).writeTo(nginx.file(NginxServer.READ_ONLY + name));
    return nginx.uri(NginxServer.READ_ONLY + name).toString();
  }

  @Test
  void cachedUriWhoseContentChangedIsServedStale() throws Exception {
    String url = publishVersion("stale.tgz", "v1");
    world.fetch(fetcher, cached(url));
    assertThat(world.read("VERSION")).isEqualTo("v1");
    // Extracting from the cache puts only the contents in the sandbox.
    assertThat(world.inSandbox("stale.tgz")).doesNotExist();

    publishVersion("stale.tgz", "v2 is longer");
    SandboxFixture second = world.nextRun("container-2");
    second.fetch(fetcher, cached(url));

    assertThat(second.read("VERSION")).isEqualTo("v1");
    assertThat(nginx.awaitRequests("GET", NginxServer.READ_ONLY + "stale.tgz", 1,
        Duration.ofSeconds(5))).isEqualTo(1);
    assertThat(cache.files()).containsExactly(cache.directory().resolve("alice/c1-stale.tgz"));
    assertThat(second.read("stderr")).contains("Fetching from cache")
        .doesNotContain("Downloading into cache");
  }

  @Test
  void cacheIsEmptyAfterAnAgentRestart() throws Exception {
    String url = publishVersion("restart.tgz", "v1");
    world.fetch(fetcher, cached(url));
    assertThat(cache.files()).hasSize(1);
    publishVersion("restart.tgz", "v2");

    fetcher.close();
    FetcherCache restarted = FetcherCache.builder(tmp.resolve("cache")).wipe(true).build();
    assertThat(restarted.files()).isEmpty();
    assertThat(restarted.entries()).isZero();
    assertThat(restarted.usedBytes()).isZero();

    try (Fetcher again = Fetcher.builder().cache(restarted).build()) {
      SandboxFixture second = world.nextRun("container-2");
      second.fetch(again, cached(url));
      assertThat(second.read("VERSION")).isEqualTo("v2");
    }
  }

  @Test
  void withoutAWipeOldFilesStayAndNewNamesDoNotCollide() throws Exception {
    world.fetch(fetcher, cached(publishVersion("keep.tgz", "v1")));

    FetcherCache reopened = FetcherCache.builder(tmp.resolve("cache")).build();
    try (Fetcher again = Fetcher.builder().cache(reopened).build()) {
      world.nextRun("container-2").fetch(again, cached(publishVersion("other.tgz", "v1")));
    }

    assertThat(reopened.files()).extracting(p -> p.getFileName().toString())
        .containsExactly("c1-keep.tgz", "c2-other.tgz");
  }

  @Test
  void executableFromTheCacheIsCopiedAndChmodded() throws Exception {
    String url = publishVersion("tool.tgz", "v1");

    world.fetch(fetcher, uriBuilder(url).setCache(true).setExecutable(true).build());

    assertThat(Files.isExecutable(world.inSandbox("tool.tgz"))).isTrue();
    assertThat(world.inSandbox("VERSION")).doesNotExist();
  }

  @Test
  void nonArchiveFromTheCacheIsCopiedToItsOutputFile() throws Exception {
    Files.writeString(world.source("app.jar"), "PK");

    world.fetch(fetcher, uriBuilder(world.source("app.jar").toString()).setCache(true)
        .setOutputFile("lib/app.jar").build());

    assertThat(world.read("lib/app.jar")).isEqualTo("PK");
    assertThat(cache.files()).extracting(p -> p.getFileName().toString())
        .containsExactly("c1-app.jar");
  }

  @Test
  void usersHaveTheirOwnEntries() throws Exception {
    Files.writeString(world.source("shared.txt"), "s");
    List<CommandInfo.URI> uris = List.of(cached(world.source("shared.txt").toString()));

    fetcher.fetch(uris, world.sandbox, Optional.of("alice"), new StringBuilder());
    fetcher.fetch(uris, world.nextRun("c2").sandbox, Optional.of("bob"), new StringBuilder());
    fetcher.fetch(uris, world.nextRun("c3").sandbox, Optional.empty(), new StringBuilder());

    assertThat(cache.entries()).isEqualTo(3);
    assertThat(cache.files()).containsExactly(
        cache.directory().resolve("alice/c1-shared.txt"),
        cache.directory().resolve("bob/c2-shared.txt"),
        cache.directory().resolve("c3-shared.txt"));
  }

  @Test
  void leastRecentlyUsedEntriesAreEvicted() throws Exception {
    fetcher.close();
    FetcherCache small = FetcherCache.builder(tmp.resolve("small")).capacity(250).build();
    fetcher = Fetcher.builder().cache(small).build();
    for (String name : List.of("a.bin", "b.bin", "c.bin")) {
      Files.write(world.source(name), new byte[100]);
    }

    world.fetch(fetcher, cached(world.source("a.bin").toString()),
        cached(world.source("b.bin").toString()));
    world.nextRun("c2").fetch(fetcher, cached(world.source("a.bin").toString()));
    world.nextRun("c3").fetch(fetcher, cached(world.source("c.bin").toString()));

    assertThat(small.files()).extracting(p -> p.getFileName().toString())
        .containsExactly("c1-a.bin", "c3-c.bin");
    assertThat(small.usedBytes()).isEqualTo(200);
    assertThat(small.entries()).isEqualTo(2);
  }

  @Test
  void fileLargerThanTheCacheIsFetchedDirectly() throws Exception {
    fetcher.close();
    FetcherCache tiny = FetcherCache.builder(tmp.resolve("tiny")).capacity(10).build();
    fetcher = Fetcher.builder().cache(tiny).build();
    Files.write(world.source("big.bin"), new byte[100]);

    world.fetch(fetcher, cached(world.source("big.bin").toString()));

    assertThat(world.inSandbox("big.bin")).hasSize(100);
    assertThat(tiny.entries()).isZero();
    assertThat(tiny.files()).isEmpty();
    assertThat(world.read("stderr")).contains("Reverting to fetching directly into the sandbox: 100"
        + " bytes do not fit in the fetcher cache");
  }

  @Test
  void unwritableCacheDirectoryMeansADirectDownload() throws Exception {
    // A file where the user's cache directory should be.
    Files.writeString(cache.directory().resolve("alice"), "in the way");
    String url = publishVersion("direct.tgz", "v1");

    world.fetch(fetcher, cached(url));

    assertThat(world.read("VERSION")).isEqualTo("v1");
    assertThat(world.inSandbox("direct.tgz")).isRegularFile();
    assertThat(cache.entries()).isZero();
    assertThat(world.read("stderr")).contains("cannot write the cache file");
  }

  @Test
  void missingSourceFailsAndLeavesNoEntry() throws Exception {
    String url = nginx.uri(NginxServer.MISSING + "gone.tgz").toString();

    assertThatThrownBy(() -> world.fetch(fetcher, cached(url)))
        .hasMessageContaining("received HTTP 404");
    assertThat(cache.entries()).isZero();
    assertThat(cache.usedBytes()).isZero();
  }

  @Test
  void maliciousArchiveFromTheCacheIsRefusedAndDropped() throws Exception {
    TestArchives.tar().file("../../../../../escape", "x")
        .writeTo(nginx.file(NginxServer.READ_ONLY + "evil.tgz"));
    String url = nginx.uri(NginxServer.READ_ONLY + "evil.tgz").toString();

    assertThatThrownBy(() -> world.fetch(fetcher, cached(url)))
        .hasMessageContaining("archive evil.tgz: entry '../../../../../escape' escapes the"
            + " sandbox");
    assertThat(cache.entries()).isZero();
    assertThat(cache.files()).isEmpty();
  }

  @Test
  void concurrentFetchesOfOneCachedUriDownloadItOnce() throws Exception {
    byte[] body = "shared".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    CountDownLatch getArrived = new CountDownLatch(1);
    CountDownLatch releaseGet = new CountDownLatch(1);
    AtomicInteger gets = new AtomicInteger();
    try (ScriptedHttpServer server = new ScriptedHttpServer((exchange, self) -> {
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      gets.incrementAndGet();
      getArrived.countDown();
      try {
        releaseGet.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    })) {
      String url = server.uri("/shared.txt").toString();
      SandboxFixture second = world.nextRun("container-2");
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<?> owner = pool.submit(() -> {
          world.fetch(fetcher, cached(url));
          return null;
        });
        // The first fetch owns the entry once its download is under way.
        assertThat(getArrived.await(20, TimeUnit.SECONDS)).isTrue();
        Future<?> waiter = pool.submit(() -> {
          second.fetch(fetcher, cached(url));
          return null;
        });
        releaseGet.countDown();
        owner.get(20, TimeUnit.SECONDS);
        waiter.get(20, TimeUnit.SECONDS);
      } finally {
        releaseGet.countDown();
        pool.shutdownNow();
      }

      assertThat(world.read("shared.txt")).isEqualTo("shared");
      assertThat(second.read("shared.txt")).isEqualTo("shared");
      assertThat(gets.get()).isEqualTo(1);
      assertThat(cache.entries()).isEqualTo(1);
    }
  }

  @Test
  void longNamesAreShortenedKeepingTheExtension() throws Exception {
    // Ten characters from each end, as Mesos names cache files.
    String name = "a-very-long-archive-name-1.2.3.tgz";
    String url = publishVersion(name, "v1");

    world.fetch(fetcher, cached(url));

    assertThat(cache.files()).extracting(p -> p.getFileName().toString())
        .containsExactly("c1-a-very-lon_-1.2.3.tgz");
  }
}
