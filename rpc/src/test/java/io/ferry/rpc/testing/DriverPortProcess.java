package io.ferry.rpc.testing;

import io.ferry.rpc.ClientConfig;
import io.ferry.rpc.RpcServer;
import io.ferry.rpc.ServerConfig;
import io.ferry.rpc.proto.Mode;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A driver port in a process of its own, configured as the driver configures it (MesosBackend
 * with the {@code ferry.rpc.*} defaults, plaintext, 128 MiB frames), so a test can measure its
 * memory and read its log exactly as an operator would. Arguments are {@code key=value}:
 * {@code heartbeatIntervalMs}, {@code heartbeatTimeoutMs}, {@code executors} (a comma list, one
 * launch record each).
 *
 * <p>Prints {@code port N}, then {@code record <executor id> <hex launch record>} per executor,
 * then {@code ready}, on stdout; logs (slf4j-simple) go to stderr. Runs until its stdin ends.
 */
public final class DriverPortProcess {
  private DriverPortProcess() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      options.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Duration interval = Duration.ofMillis(Long.parseLong(options.getOrDefault("heartbeatIntervalMs",
        String.valueOf(ClientConfig.DEFAULT_HEARTBEAT_INTERVAL.toMillis()))));
    Duration timeout = Duration.ofMillis(Long.parseLong(options.getOrDefault("heartbeatTimeoutMs",
        String.valueOf(ClientConfig.DEFAULT_HEARTBEAT_TIMEOUT.toMillis()))));
    ServerConfig config = new ServerConfig("127.0.0.1", 0, interval, timeout, ClientConfig.DEFAULT_MAX_FRAME_BYTES,
        false, List.of());
    try (RpcServer server = RpcServer.start(config, new RecordingHandler())) {
      System.out.println("port " + server.port());
      for (String id : options.getOrDefault("executors", "").split(",")) {
        if (!id.isEmpty()) {
          byte[] record = server.launchRecord(id, Mode.FINE, "127.0.0.1", "app").build().toByteArray();
          System.out.println("record " + id + " " + HexFormat.of().formatHex(record));
        }
      }
      System.out.println("ready");
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
