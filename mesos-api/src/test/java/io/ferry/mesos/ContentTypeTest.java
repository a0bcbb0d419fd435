package io.ferry.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ContentTypeTest {

  @Test
  void headersFollowMesosRules() {
    assertThat(ContentType.ofHeader("application/json")).contains(ContentType.JSON);
    assertThat(ContentType.ofHeader("application/x-protobuf")).contains(ContentType.PROTOBUF);
    assertThat(ContentType.ofHeader("application/json;charset=utf-8")).isEmpty();
    assertThat(ContentType.ofHeader(null)).isEmpty();
    assertThat(ContentType.forAccept(null)).contains(ContentType.JSON);
    assertThat(ContentType.forAccept("*/*")).contains(ContentType.JSON);
    assertThat(ContentType.forAccept("application/x-protobuf")).contains(ContentType.PROTOBUF);
    assertThat(ContentType.forAccept("application/x-protobuf, application/json")).contains(ContentType.JSON);
    assertThat(ContentType.forAccept("application/recordio")).isEmpty();
  }

  @Test
  void jsonUsesProtoFieldNamesAndIgnoresUnknownOnes() throws InvalidProtocolBufferException {
    TaskStatus status = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t-1"))
        .setState(TaskState.TASK_RUNNING).setUuid(ByteString.copyFrom(new byte[] {1, 2, 3})).build();
    String json = new String(ContentType.JSON.encode(status), StandardCharsets.UTF_8);
    assertThat(json).contains("\"task_id\":{\"value\":\"t-1\"}").contains("\"state\":\"TASK_RUNNING\"")
        .contains("\"uuid\":\"AQID\"");
    TaskStatus back = ContentType.JSON.decode(
        json.replace("{\"task_id\"", "{\"taskId\":{\"value\":\"ignored\"},\"unknown_key\":7,\"task_id\"")
            .getBytes(StandardCharsets.UTF_8), TaskStatus.newBuilder());
    assertThat(back).isEqualTo(status);
  }

  @Test
  void heartbeatBytesMatchTheDigest() throws InvalidProtocolBufferException {
    byte[] scheduler = ContentType.PROTOBUF.encode(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
    assertThat(scheduler).containsExactly(0x08, 0x08);
    Event parsed = ContentType.JSON.decode("{\"type\":\"HEARTBEAT\"}".getBytes(StandardCharsets.UTF_8), Event.newBuilder());
    assertThat(parsed.getType()).isEqualTo(Event.Type.HEARTBEAT);
  }

  @Test
  void missingRequiredFieldsAreRejected() {
    assertThatThrownBy(() -> ContentType.JSON.decode("{\"type\":\"HEARTBEAT\"}".getBytes(StandardCharsets.UTF_8),
        Call.newBuilder()))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("executor_id");
    assertThatThrownBy(() -> ContentType.PROTOBUF.decode(new byte[] {(byte) 0xff, 0x01}, FrameworkID.newBuilder()))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }
}
