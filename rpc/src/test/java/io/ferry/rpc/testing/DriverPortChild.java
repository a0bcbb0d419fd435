package io.ferry.rpc.testing;

import io.ferry.rpc.proto.LaunchRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a {@link DriverPortProcess} and gives the test its port, launch records, resident memory
 * and log (stderr, in a file). {@link #close()} ends the process, whatever happened.
 */
public final class DriverPortChild implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;
  private final Map<String, LaunchRecord> records;

  private DriverPortChild(Process process, Path log, int port, Map<String, LaunchRecord> records) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.records = records;
  }

  /**
   * @param jvmOptions e.g. heap and direct memory limits
   * @param args {@code key=value} arguments of {@link DriverPortProcess}
   */
  public static DriverPortChild start(Path log, List<String> jvmOptions, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dorg.slf4j.simpleLogger.showThreadName=false");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DriverPortProcess.class.getName());
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      int port = -1;
      Map<String, LaunchRecord> records = new HashMap<>();
      for (String line; (line = out.readLine()) != null && !line.equals("ready"); ) {
        String[] parts = line.split(" ");
        if (parts[0].equals("port")) {
          port = Integer.parseInt(parts[1]);
        } else if (parts[0].equals("record")) {
          records.put(parts[1], LaunchRecord.parseFrom(HexFormat.of().parseHex(parts[2])));
        }
      }
      if (port < 0) {
        throw new IOException("the driver port process ended before printing its port:\n" + Files.readString(log));
      }
      return new DriverPortChild(process, log, port, records);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  public LaunchRecord record(String executorId) {
    return records.get(executorId);
  }

  public long pid() {
    return process.pid();
  }

  /** Resident set size in bytes, from {@code /proc/<pid>/status} (VmRSS). */
  public long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS in /proc/" + process.pid() + "/status");
  }

  /** Everything the process logged so far. */
  public String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  public List<String> logLines() throws IOException {
    return List.of(log().split("\n"));
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close(); // ends the server cleanly
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
