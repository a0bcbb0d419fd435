package io.ferry.mesos.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mesos's JSON models: resources as {@code src/common/http.cpp} sums them, commands without secrets, durations. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MesosJsonTest {

  private static Resource scalar(String name, double v) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(v)).build();
  }

  private static Resource ports(long... bounds) {
    Value.Ranges.Builder r = Value.Ranges.newBuilder();
    for (int i = 0; i < bounds.length; i += 2) {
      r.addRange(Value.Range.newBuilder().setBegin(bounds[i]).setEnd(bounds[i + 1]));
    }
    return Resource.newBuilder().setName("ports").setType(Value.Type.RANGES).setRanges(r).build();
  }

  @Test
  void resourcesAreSummedIntoAnObjectWithMesosDefaultsAndRangeText() {
    JsonObject o = MesosJson.resources(List.of(scalar("cpus", 1.5), scalar("cpus", 0.5), scalar("mem", 640),
        ports(32000, 32000, 31000, 31005), ports(31006, 31010),
        Resource.newBuilder().setName("zones").setType(Value.Type.SET)
            .setSet(Value.Set.newBuilder().addItem("b").addItem("a")).build(),
        scalar("cpus", 1).toBuilder().setRevocable(Resource.RevocableInfo.getDefaultInstance()).build()));
    assertThat(o.toString()).isEqualTo("{\"cpus\":2.0,\"gpus\":0.0,\"mem\":640.0,\"disk\":0.0,\"cpus_revocable\":1.0,"
        + "\"ports\":\"[31000-31010, 32000-32000]\",\"zones\":\"{a, b}\"}");
    assertThat(MesosJson.resources(List.of()).toString()).isEqualTo("{\"cpus\":0.0,\"gpus\":0.0,\"mem\":0.0,\"disk\":0.0}");
  }

  @Test
  void numbersAreWrittenWithoutExponents() {
    assertThat(MesosJson.number(1765012345.125).toString()).isEqualTo("1765012345.125");
    assertThat(MesosJson.number(2).toString()).isEqualTo("2.0");
    assertThat(MesosJson.number(0.1).toString()).isEqualTo("0.1");
    assertThat(MesosJson.number(1e20).toString()).isEqualTo("100000000000000000000");
  }

  @Test
  void commandsShowNoEnvironmentAndRedactUris() {
    JsonObject c = MesosJson.command(CommandInfo.newBuilder().setValue("run").setShell(true)
        .setEnvironment(Environment.newBuilder().addVariables(Environment.Variable.newBuilder().setName("TOKEN")
            .setValue("hunter2")))
        .addUris(CommandInfo.URI.newBuilder().setValue("https://user:hunter2@example.invalid/x.tgz?sig=hunter2"))
        .build());
    assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("environment").contains("\"value\":\"run\"");
    assertThat(c.getAsJsonArray("uris").get(0).getAsJsonObject().get("executable").getAsBoolean()).isFalse();
  }

  @Test
  void statusesCarryTheirCauseButNeverTheirData() {
    TaskStatus s = TaskStatus.newBuilder().setTaskId(org.apache.mesos.v1.Protos.TaskID.newBuilder().setValue("t"))
        .setState(TaskState.TASK_FAILED).setTimestamp(12.5).setMessage("Command exited with status 3")
        .setReason(TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED)
        .setData(com.google.protobuf.ByteString.copyFromUtf8("hunter2")).build();
    assertThat(MesosJson.kept(s).hasData()).isFalse();
    assertThat(MesosJson.status(s).toString()).isEqualTo("{\"state\":\"TASK_FAILED\",\"timestamp\":12.5,"
        + "\"message\":\"Command exited with status 3\",\"reason\":\"REASON_COMMAND_EXECUTOR_FAILED\"}");
  }

  @Test
  void jsonpCallbacksMustBeNames() {
    assertThat(JsonResponse.validCallback("angular.callbacks._0")).isTrue();
    assertThat(JsonResponse.validCallback("$cb1")).isTrue();
    assertThat(JsonResponse.validCallback("alert(1)//")).isFalse();
    assertThat(JsonResponse.validCallback("a..b")).isFalse();
    assertThat(JsonResponse.validCallback("")).isFalse();
    assertThat(JsonResponse.validCallback("x".repeat(201))).isFalse();
  }
}
