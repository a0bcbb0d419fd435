package io.ferry.executor.internal.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ferry.rpc.proto.LaunchRecord;
import io.ferry.rpc.proto.Mode;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LaunchRecordsTest {

  static TaskInfo withData(ByteString data) {
    return TaskInfo.newBuilder().setName("t").setTaskId(TaskID.newBuilder().setValue("t"))
        .setAgentId(AgentID.newBuilder().setValue("a")).setData(data).build();
  }

  static LaunchRecord good() {
    return LaunchRecord.newBuilder().setFormatVersion(1).setDriverHost("10.0.0.9").setDriverPort(41000)
        .setToken(ByteString.copyFrom(new byte[32])).setMode(Mode.COARSE).build();
  }

  @Test
  void readsAGoodRecord() {
    assertThat(LaunchRecords.parse(withData(good().toByteString()))).isEqualTo(good());
  }

  @Test
  void saysWhatIsWrongWithABadOne() {
    assertThatThrownBy(() -> LaunchRecords.parse(withData(ByteString.EMPTY))).hasMessageContaining("TaskInfo.data is empty");
    assertThatThrownBy(() -> LaunchRecords.parse(withData(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff}))))
        .hasMessageContaining("is not a Ferry launch record");
    assertThatThrownBy(() -> LaunchRecords.parse(withData(good().toBuilder().setFormatVersion(2).build().toByteString())))
        .hasMessageContaining("format_version 2").hasMessageContaining("newer Ferry");
    assertThatThrownBy(() -> LaunchRecords.parse(withData(good().toBuilder().clearDriverHost().setDriverPort(70000)
        .clearToken().build().toByteString())))
        .hasMessageContaining("no driver_host").hasMessageContaining("driver_port 70000")
        .hasMessageContaining("token of 0 bytes");
  }
}
