package io.ferry.driver.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.DynamicAllocation;
import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.proto.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which executors elastic coarse mode retires, on a clock the test moves (seconds here, nanoseconds inside). */
@Timeout(10)
class ElasticExecutorsTest {
  private static final long S = 1_000_000_000L;

  /** A connected executor's link that only names it: retirement decisions send nothing. */
  private record FakePeer(String executorId) implements PeerConnection {
    @Override
    public void send(Frame frame) {}

    @Override
    public void close(String reason) {}

    @Override
    public String remoteAddress() {
      return "127.0.0.1:1";
    }
  }

  private static ElasticExecutors elastic(Optional<Duration> maxLifetime) {
    return new ElasticExecutors(new DynamicAllocation(true, 0, OptionalInt.empty(), Duration.ofSeconds(2),
        Duration.ofSeconds(1), maxLifetime));
  }

  /** An executor launched at 0 s. */
  private static SlotHolder launched() {
    return new SlotHolder("S0", "e-1", "slots-1", 2);
  }

  @Test
  void anExecutorSlowerToStartThanTheIdleTimeoutIsNotRetiredBeforeItRegistersItsSlots() {
    ElasticExecutors elastic = elastic(Optional.empty());
    SlotHolder h = launched();
    // A fetch and a JVM start of 5 s: the executor connects, its slots are not registered yet.
    h.connection = new FakePeer("e-1");
    elastic.markRetiring(5 * S, List.of(h));
    assertThat(h.retiring).as("connected, slots not registered yet: not idle").isNull();

    h.register(2, 5 * S);
    elastic.markRetiring(6 * S, List.of(h));
    assertThat(h.retiring).as("1 s after registering, of a 2 s idle timeout").isNull();
    elastic.markRetiring(7 * S, List.of(h));
    assertThat(h.retiring).isEqualTo("idle for 2 s");
  }

  @Test
  void aSecondRegistrationRestartsNeitherClock() {
    SlotHolder h = launched();
    h.connection = new FakePeer("e-1");
    h.register(1, 1 * S);
    h.register(1, 2 * S);
    assertThat(h.slots).isEqualTo(2);
    assertThat(h.idleSince).isEqualTo(1 * S);
    assertThat(h.registeredAt).isEqualTo(1 * S);
    h.register(5, 3 * S);
    assertThat(h.slots).as("never more slots than cores").isEqualTo(2);
  }

  @Test
  void anExecutorSlowerToStartThanTheMaxLifetimeStillWorksThatLong() {
    ElasticExecutors elastic = elastic(Optional.of(Duration.ofSeconds(4)));
    SlotHolder h = launched();
    elastic.markRetiring(5 * S, List.of(h));
    assertThat(h.retiring).as("not connected: nothing could release its slots").isNull();
    h.connection = new FakePeer("e-1");
    elastic.markRetiring(5 * S, List.of(h));
    assertThat(h.retiring).as("connected 5 s after its launch, slots not registered yet").isNull();

    h.register(2, 5 * S);
    h.running.put(1L, null); // a task in flight from then on (which one does not matter here)
    elastic.markRetiring(8 * S, List.of(h));
    assertThat(h.retiring).as("3 s of its 4 s lifetime").isNull();
    elastic.markRetiring(9 * S, List.of(h));
    assertThat(h.retiring).isEqualTo("it reached ferry.dynamicAllocation.executorMaxLifetime 4 s");
  }
}
