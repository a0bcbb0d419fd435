package io.ferry.driver.backend;

import io.ferry.driver.FerryConf;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/** The ExecutorInfo a driver of given settings launches, for tests of how settings map to it. */
final class ExecutorInfos {
  static final List<Resource> RESOURCES = List.of(Resource.newBuilder().setName("cpus")
      .setType(Value.Type.SCALAR).setScalar(Value.Scalar.newBuilder().setValue(1)).build());

  private ExecutorInfos() {}

  /** A configuration for a {@code mesos://} master with these {@code key, value} pairs. */
  static FerryConf conf(String... keyValues) {
    Map<String, String> settings = new HashMap<>(Map.of("ferry.master", "mesos://m:5050"));
    for (int i = 0; i < keyValues.length; i += 2) {
      settings.put(keyValues[i], keyValues[i + 1]);
    }
    return FerryConf.load(settings, Map.of(), Map.of());
  }

  /** The fine-mode executor of {@code conf}, with {@link #RESOURCES}. */
  static ExecutorInfo executor(FerryConf conf) {
    return MesosBackend.executorSpec(conf).build("e-1", "framework", RESOURCES);
  }
}
