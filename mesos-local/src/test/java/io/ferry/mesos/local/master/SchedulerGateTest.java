package io.ferry.mesos.local.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ferry.mesos.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scheduler endpoint's checks, in order; edge case 14 of the digest among them. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SchedulerGateTest {

  Optional<String> leader = Optional.empty();
  boolean elected = true;
  boolean recovered = true;
  boolean known = true;
  boolean connected = true;
  Optional<String> principal = Optional.empty();
  String stream = "stream-1";

  final SchedulerGate.View view = new SchedulerGate.View() {
    @Override
    public Optional<String> leader() {
      return leader;
    }

    @Override
    public boolean recovered() {
      return recovered;
    }

    @Override
    public boolean leaderElected() {
      return elected;
    }

    @Override
    public boolean frameworkKnown(String frameworkId) {
      return known;
    }

    @Override
    public Optional<String> principal(String frameworkId) {
      return principal;
    }

    @Override
    public boolean connected(String frameworkId) {
      return connected;
    }

    @Override
    public Optional<String> streamId(String frameworkId) {
      return Optional.ofNullable(stream);
    }
  };

  static final Call SUBSCRIBE = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
      .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(FrameworkInfo.newBuilder().setUser("u").setName("n")))
      .build();
  static final Call REVIVE = Call.newBuilder().setType(Call.Type.REVIVE)
      .setFrameworkId(FrameworkID.newBuilder().setValue("F1")).build();

  private static SchedulerGate.Request post(Call call, String contentType, String accept, String streamId) {
    byte[] body = contentType != null && contentType.contains("json")
        ? ContentType.JSON.encode(call) : ContentType.PROTOBUF.encode(call);
    return new SchedulerGate.Request("POST", contentType, accept, streamId, Optional.empty(), false, body);
  }

  private int status(SchedulerGate.Request r) {
    GateResult<Call> result = SchedulerGate.check(r, view);
    return result instanceof GateResult.Reject<Call> reject ? reject.status() : 202;
  }

  @Test
  void subscribePassesWithTheStreamTypeChosenFromAccept() {
    GateResult<Call> r = SchedulerGate.check(post(SUBSCRIBE, "application/json", "application/x-protobuf", null), view);
    assertThat(r).isInstanceOfSatisfying(GateResult.Pass.class, p -> {
      assertThat(p.contentType()).isEqualTo(ContentType.JSON);
      assertThat(p.streamType()).isEqualTo(ContentType.PROTOBUF);
    });
    assertThat(status(post(SUBSCRIBE, "application/json", "text/html", null))).isEqualTo(406);
    assertThat(status(post(SUBSCRIBE, "application/json", null, "stream-1"))).isEqualTo(400);
  }

  @Test
  void checksComeInMesossOrder() {
    leader = Optional.of("master2:5050");
    GateResult<Call> redirect = SchedulerGate.check(new SchedulerGate.Request("GET", null, null, null,
        Optional.empty(), false, new byte[0]), view);
    assertThat(redirect).isInstanceOfSatisfying(GateResult.Reject.class, r -> {
      assertThat(r.status()).isEqualTo(307);
      assertThat(r.headers()).containsEntry("Location", "//master2:5050/api/v1/scheduler");
    });
    leader = Optional.empty();
    recovered = false;
    assertThat(status(new SchedulerGate.Request("GET", null, null, null, Optional.empty(), false, new byte[0]))).isEqualTo(503);
    recovered = true;
    assertThat(status(new SchedulerGate.Request("GET", "application/json", null, null, Optional.empty(), false, new byte[0]))).isEqualTo(405);
    assertThat(status(post(REVIVE, null, null, "stream-1"))).isEqualTo(400);
    assertThat(status(post(REVIVE, "application/json;charset=utf-8", null, "stream-1"))).isEqualTo(415);
    assertThat(status(new SchedulerGate.Request("POST", "application/json", null, "stream-1", Optional.empty(), false,
        "{not json".getBytes(StandardCharsets.UTF_8)))).isEqualTo(400);
    assertThat(status(post(REVIVE.toBuilder().clearFrameworkId().build(), "application/json", null, "stream-1"))).isEqualTo(400);
    known = false;
    assertThat(status(post(REVIVE, "application/json", null, "stream-1"))).isEqualTo(400);
    known = true;
    principal = Optional.of("ops");
    SchedulerGate.Request asDev = new SchedulerGate.Request("POST", "application/json", null, "stream-1",
        Optional.of("dev"), false, ContentType.JSON.encode(REVIVE));
    assertThat(status(asDev)).isEqualTo(400);
    assertThat(status(post(REVIVE, "application/json", null, "stream-1"))).as("unauthenticated: not checked").isEqualTo(202);
    principal = Optional.empty();
    assertThat(status(post(REVIVE, "application/x-protobuf", null, "stream-1"))).isEqualTo(202);
  }

  @Test
  void noLeaderElectedIs503() {
    elected = false;
    GateResult<Call> r = SchedulerGate.check(post(REVIVE, "application/json", null, "stream-1"), view);
    assertThat(r).isInstanceOfSatisfying(GateResult.Reject.class, reject -> {
      assertThat(reject.status()).isEqualTo(503);
      assertThat(reject.body()).isEqualTo("No leader elected");
    });
  }

  @Test
  void missingOrStaleStreamIdIs400AndADisconnectedFrameworkIs403() {
    assertThat(status(post(REVIVE, "application/json", null, null))).isEqualTo(400);
    assertThat(status(post(REVIVE, "application/json", null, "stream-0"))).isEqualTo(400);
    connected = false;
    assertThat(status(post(REVIVE, "application/json", null, "stream-1"))).isEqualTo(403);
  }

  @Test
  void acknowledgeNeedsARealUuid() {
    Call.Builder ack = Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(FrameworkID.newBuilder().setValue("F1"));
    ack.getAcknowledgeBuilder().setAgentId(AgentID.newBuilder().setValue("S1")).setTaskId(TaskID.newBuilder().setValue("t"))
        .setUuid(ByteString.copyFromUtf8("0123456789abcdef"));
    GateResult<Call> bad = SchedulerGate.check(post(ack.build(), "application/json", null, "stream-1"), view);
    assertThat(bad).isInstanceOfSatisfying(GateResult.Reject.class, r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).contains("Not a valid UUID");
    });
    UUID uuid = UUID.randomUUID();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    ack.getAcknowledgeBuilder().setUuid(ByteString.copyFrom(b.array()));
    assertThat(status(post(ack.build(), "application/json", null, "stream-1"))).isEqualTo(202);
  }
}
