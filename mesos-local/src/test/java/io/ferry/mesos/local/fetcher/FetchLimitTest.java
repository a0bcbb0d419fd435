package io.ferry.mesos.local.fetcher;

import static io.ferry.mesos.local.fetcher.SandboxFixture.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.packager.testing.ScriptedHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One fetch may write at most its {@link FetchLimit} into the sandbox: gzip bombs and endless
 * downloads stop at the limit, leave no partial file, and fail naming the URI and the limit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FetchLimitTest {

  private static final long LIMIT = 4L * Bombs.MiB;
  /** 64 times the limit, from an archive of about 250 KB. */
  private static final long BOMB = 256L * Bombs.MiB;

  @TempDir
  Path tmp;

  private SandboxFixture world;
  private Fetcher fetcher;

  @BeforeEach
  void setUp() throws IOException {
    world = SandboxFixture.create(tmp);
    fetcher = Fetcher.builder().stallTimeout(java.time.Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
  }

  /** As an agent fetches: with its limit, the log appended to the sandbox's stderr. */
  private void fetch(CommandInfo.URI... uris) throws FetchException, IOException {
    try (Writer stderr = Files.newBufferedWriter(world.sandbox.resolve("stderr"),
        StandardOpenOption.APPEND)) {
      fetcher.fetch(List.of(uris), world.sandbox,
          new FetchOptions(Optional.of("alice"), FetchLimit.configured(LIMIT), Optional.empty()),
          stderr);
    }
  }

  @Test
  void aGzipBombStopsAtTheLimitAndLeavesNothingUnpacked() throws Exception {
    Path bomb = Bombs.gz(world.source("bomb.bin.gz"), BOMB);
    assertThat(Files.size(bomb)).isLessThan(LIMIT / 4);

    assertThatThrownBy(() -> fetch(uri(bomb.toString())))
        .isInstanceOf(FetchException.class)
        .hasMessageStartingWith("Failed to fetch '" + bomb + "': over the fetch limit: gunzipping"
            + " 'bomb.bin.gz' would take what this fetch writes into the sandbox past 4 MiB"
            + " (4194304 bytes, the agent's fetch limit)");

    // The archive stays (as Mesos leaves it); nothing of what it unpacks to, under any name.
    assertThat(world.topLevel()).containsExactly("bomb.bin.gz", "stderr", "stdout");
    assertThat(sandboxBytes()).isLessThanOrEqualTo(LIMIT);
  }

  @Test
  void aTgzBombStopsAtTheLimitAndRemovesThePartialEntry() throws Exception {
    Path bomb = Bombs.tgz(world.source("bomb.tgz"), "big.bin", BOMB);

    assertThatThrownBy(() -> fetch(uri(bomb.toString())))
        .hasMessageStartingWith("Failed to fetch '" + bomb + "': over the fetch limit:"
            + " extracting entry 'big.bin' of archive bomb.tgz would take what this fetch writes"
            + " into the sandbox past 4 MiB (4194304 bytes, the agent's fetch limit)")
        .hasMessageEndingWith("removed the partial file");

    assertThat(world.topLevel()).containsExactly("bomb.tgz", "first.txt", "stderr", "stdout");
    assertThat(sandboxBytes()).isLessThanOrEqualTo(LIMIT);
    assertThat(world.read("stderr")).contains("over the fetch limit");
  }

  @Test
  void theLimitCoversEveryUriOfTheFetchTogether() throws Exception {
    Path a = Files.write(world.source("a.bin"), new byte[3 * Bombs.MiB]);
    Path b = Files.write(world.source("b.bin"), new byte[3 * Bombs.MiB]);

    assertThatThrownBy(() -> fetch(uri(a.toString()), uri(b.toString())))
        .hasMessageStartingWith("Failed to fetch '" + b + "': over the fetch limit");

    assertThat(world.topLevel()).containsExactly("a.bin", "stderr", "stdout");
  }

  @Test
  void aDownloadWhoseLengthIsOverTheLimitFailsBeforeItsFirstByte() throws Exception {
    AtomicLong sent = new AtomicLong();
    try (ScriptedHttpServer server = new ScriptedHttpServer((exchange, self) -> {
      exchange.sendResponseHeaders(200, 64L * Bombs.MiB);
      OutputStream body = exchange.getResponseBody();
      byte[] buf = new byte[64 * 1024];
      for (int i = 0; i < 1024; i++) {
        body.write(buf);
        sent.addAndGet(buf.length);
      }
    })) {
      String url = server.uri("/big.bin").toString();

      assertThatThrownBy(() -> fetch(uri(url)))
          .hasMessage("Failed to fetch '" + url + "': over the fetch limit: downloading 'big.bin'"
              + " is 67108864 bytes, more than the 4194304 bytes left of the limit of 4 MiB"
              + " (4194304 bytes, the agent's fetch limit); nothing was written");
    }
    assertThat(world.topLevel()).containsExactly("stderr", "stdout");
  }

  @Test
  void anEndlessDownloadStopsAtTheLimit() throws Exception {
    AtomicLong sent = new AtomicLong();
    // Chunked, with no length: only counting stops it. The server gives up after 1 GiB.
    try (ScriptedHttpServer server = new ScriptedHttpServer((exchange, self) -> {
      exchange.sendResponseHeaders(200, 0);
      OutputStream body = exchange.getResponseBody();
      byte[] buf = new byte[64 * 1024];
      while (sent.get() < 1024L * Bombs.MiB) {
        body.write(buf);
        sent.addAndGet(buf.length);
      }
    })) {
      String url = server.uri("/endless.bin").toString();

      assertThatThrownBy(() -> fetch(uri(url)))
          .hasMessageStartingWith("Failed to fetch '" + url + "': over the fetch limit:"
              + " downloading 'endless.bin' would take what this fetch writes into the sandbox"
              + " past 4 MiB");
    }
    assertThat(world.topLevel()).containsExactly("stderr", "stdout");
    assertThat(sent.get()).isLessThan(1024L * Bombs.MiB);
  }

  @Test
  void theAgentsDiskResourceIsTheDefaultLimitAndIsNamed() {
    FetchLimit limit = FetchLimit.ofDiskResource(10240);
    assertThat(limit.bytes()).isEqualTo(10240L * 1024 * 1024);
    assertThat(limit.describe())
        .isEqualTo("10 GiB (10737418240 bytes, the agent's disk resource, disk:10240)");
  }

  private long sandboxBytes() throws IOException {
    try (Stream<Path> all = Files.walk(world.sandbox)) {
      return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
