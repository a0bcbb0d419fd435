package io.ferry.executor.internal.driver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ferry.rpc.proto.LaunchRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.TaskInfo;

/** Reads the launch record the driver puts in {@code TaskInfo.data}, saying exactly what is wrong with a bad one. */
final class LaunchRecords {
  private LaunchRecords() {}

  /** @throws IllegalArgumentException a one-line reason, fit for TaskStatus.message */
  static LaunchRecord parse(TaskInfo task) {
    if (task.getData().isEmpty()) {
      throw new IllegalArgumentException("TaskInfo.data is empty: ferry-executor expects a Ferry launch record"
          + " there; launch it through a Ferry driver (FerryContext), not by hand");
    }
    LaunchRecord record;
    try {
      record = LaunchRecord.parseFrom(task.getData());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("TaskInfo.data (" + task.getData().size() + " bytes) is not a Ferry launch"
          + " record: " + e.getMessage());
    }
    List<String> errors = new ArrayList<>();
    if (record.getFormatVersion() != 1) {
      errors.add("format_version " + record.getFormatVersion() + " (expected: 1"
          + (record.getFormatVersion() > 1 ? "; the driver runs a newer Ferry than this executor" : "") + ")");
    }
    if (record.getDriverHost().isBlank()) {
      errors.add("no driver_host");
    }
    if (record.getDriverPort() < 1 || record.getDriverPort() > 65535) {
      errors.add("driver_port " + record.getDriverPort() + " (expected: 1-65535)");
    }
    if (record.getToken().size() < 16) {
      errors.add("a token of " + record.getToken().size() + " bytes (expected: 32)");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("TaskInfo.data (" + task.getData().size() + " bytes) is not a valid Ferry"
          + " launch record: " + String.join(", ", errors));
    }
    return record;
  }
}
