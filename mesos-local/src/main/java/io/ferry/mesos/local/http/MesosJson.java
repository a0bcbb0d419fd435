package io.ferry.mesos.local.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.ferry.mesos.local.fetcher.internal.UriText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;

/**
 * The JSON models of apache/mesos's {@code src/common/http.cpp} that both the master's and the
 * agents' state endpoints use: resources as an object of summed scalars, ranges and sets
 * ({@code {"cpus":2.0,"gpus":0.0,"mem":640.0,"disk":0.0,"ports":"[31000-32000]"}}), task
 * statuses, commands, executors, attributes and labels.
 *
 * <p>What never appears, unlike Mesos: a command's {@code environment} (Mesos prints its values;
 * launch tokens and other secrets travel there) and the credentials and query string of a URI
 * (redacted as in the fetch log). {@code TaskInfo.data} and {@code TaskStatus.data} are never read.
 * A status carries {@code message} and {@code reason} besides Mesos's fields (Mesos's v1 operator
 * API has them; its {@code /state} does not), so that a failed task's cause can be shown.
 */
public final class MesosJson {

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();

  private MesosJson() {}

  /** A JSON number written as Mesos writes a double: {@code 2.0}, {@code 1765012345.123}, never with an exponent. */
  public static JsonPrimitive number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return new JsonPrimitive(new LazilyParsedNumber("0.0"));
    }
    String text = value == Math.rint(value) && Math.abs(value) < 1e15 ? (long) value + ".0"
        : BigDecimal.valueOf(value).toPlainString();
    return new JsonPrimitive(new LazilyParsedNumber(text));
  }

  /** Mesos's {@code json(JSON::ObjectWriter*, const Resources&)}. */
  public static JsonObject resources(List<Resource> resources) {
    Map<String, Double> scalars = new LinkedHashMap<>();
    for (String name : List.of("cpus", "gpus", "mem", "disk")) {
      scalars.put(name, 0.0);
    }
    Map<String, List<long[]>> ranges = new TreeMap<>();
    Map<String, TreeSet<String>> sets = new TreeMap<>();
    for (Resource r : resources) {
      String name = r.getName() + (r.hasRevocable() ? "_revocable" : "");
      switch (r.getType()) {
        case SCALAR -> scalars.merge(name, r.getScalar().getValue(), Double::sum);
        case RANGES -> r.getRanges().getRangeList()
            .forEach(x -> ranges.computeIfAbsent(name, k -> new ArrayList<>()).add(new long[] {x.getBegin(), x.getEnd()}));
        case SET -> sets.computeIfAbsent(name, k -> new TreeSet<>()).addAll(r.getSet().getItemList());
        default -> { }
      }
    }
    JsonObject out = new JsonObject();
    scalars.forEach((name, value) -> out.add(name, number(value)));
    ranges.forEach((name, spans) -> out.addProperty(name, rangesText(spans)));
    sets.forEach((name, items) -> out.addProperty(name, "{" + String.join(", ", items) + "}"));
    return out;
  }

  /** {@code stringify(Value::Ranges)}: {@code [31000-31005, 32000-32000]}, merged and sorted. */
  static String rangesText(List<long[]> spans) {
    List<long[]> sorted = new ArrayList<>(spans);
    sorted.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] s : sorted) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && s[0] <= last[1] + 1) {
        last[1] = Math.max(last[1], s[1]);
      } else {
        merged.add(new long[] {s[0], s[1]});
      }
    }
    StringBuilder sb = new StringBuilder("[");
    for (long[] s : merged) {
      sb.append(sb.length() == 1 ? "" : ", ").append(s[0]).append('-').append(s[1]);
    }
    return sb.append(']').toString();
  }

  /** The role of the first resource's allocation ({@code *} without one), as Mesos gives a task's role. */
  public static String role(List<Resource> resources) {
    return resources.isEmpty() || !resources.get(0).hasAllocationInfo() ? "*"
        : resources.get(0).getAllocationInfo().getRole();
  }

  /** A resource as the {@code *_full} fields print it ({@code JSON::Protobuf} of an unreserved resource). */
  public static JsonObject resourceFull(Resource r) {
    JsonObject o = new JsonObject();
    o.addProperty("name", r.getName());
    o.addProperty("type", r.getType().name());
    switch (r.getType()) {
      case SCALAR -> {
        JsonObject s = new JsonObject();
        s.add("value", number(r.getScalar().getValue()));
        o.add("scalar", s);
      }
      case RANGES -> {
        JsonArray range = new JsonArray();
        for (Value.Range x : r.getRanges().getRangeList()) {
          JsonObject ro = new JsonObject();
          ro.addProperty("begin", x.getBegin());
          ro.addProperty("end", x.getEnd());
          range.add(ro);
        }
        JsonObject rs = new JsonObject();
        rs.add("range", range);
        o.add("ranges", rs);
      }
      case SET -> {
        JsonArray items = new JsonArray();
        r.getSet().getItemList().forEach(items::add);
        JsonObject set = new JsonObject();
        set.add("item", items);
        o.add("set", set);
      }
      default -> { }
    }
    o.addProperty("role", "*");
    return o;
  }

  /** Mesos's {@code json(JSON::ObjectWriter*, const TaskStatus&)}, plus {@code message}, {@code reason} and {@code source}. */
  public static JsonObject status(TaskStatus s) {
    JsonObject o = new JsonObject();
    o.addProperty("state", s.getState().name());
    o.add("timestamp", number(s.getTimestamp()));
    if (s.hasLabels()) {
      o.add("labels", labels(s.getLabels()));
    }
    if (s.hasContainerStatus()) {
      JsonObject cs = new JsonObject();
      if (s.getContainerStatus().hasContainerId()) {
        cs.add("container_id", proto(s.getContainerStatus().getContainerId()));
      }
      if (s.getContainerStatus().getNetworkInfosCount() > 0) {
        JsonArray networks = new JsonArray();
        s.getContainerStatus().getNetworkInfosList().forEach(n -> networks.add(proto(n)));
        cs.add("network_infos", networks);
      }
      o.add("container_status", cs);
    }
    if (s.hasHealthy()) {
      o.addProperty("healthy", s.getHealthy());
    }
    if (s.hasMessage()) {
      o.addProperty("message", s.getMessage());
    }
    if (s.hasReason()) {
      o.addProperty("reason", s.getReason().name());
    }
    if (s.hasSource()) {
      o.addProperty("source", s.getSource().name());
    }
    return o;
  }

  /** A task's statuses as the state endpoints keep them: {@code data} dropped (Mesos drops it too). */
  public static TaskStatus kept(TaskStatus s) {
    return s.hasData() ? s.toBuilder().clearData().build() : s;
  }

  public static JsonArray statuses(List<TaskStatus> statuses) {
    JsonArray out = new JsonArray();
    statuses.forEach(s -> out.add(status(s)));
    return out;
  }

  /** Mesos's {@code json(JSON::ObjectWriter*, const CommandInfo&)}, without {@code environment} and with URIs redacted. */
  public static JsonObject command(CommandInfo command) {
    JsonObject o = new JsonObject();
    if (command.hasShell()) {
      o.addProperty("shell", command.getShell());
    }
    if (command.hasValue()) {
      o.addProperty("value", command.getValue());
    }
    JsonArray argv = new JsonArray();
    command.getArgumentsList().forEach(argv::add);
    o.add("argv", argv);
    JsonArray uris = new JsonArray();
    for (CommandInfo.URI uri : command.getUrisList()) {
      JsonObject u = new JsonObject();
      u.addProperty("value", UriText.redact(uri.getValue()));
      u.addProperty("executable", uri.getExecutable());
      uris.add(u);
    }
    o.add("uris", uris);
    return o;
  }

  /** Mesos's {@code json(JSON::ObjectWriter*, const ExecutorInfo&)}. */
  public static JsonObject executorInfo(ExecutorInfo e) {
    JsonObject o = new JsonObject();
    o.addProperty("executor_id", e.getExecutorId().getValue());
    o.addProperty("name", e.getName());
    o.addProperty("framework_id", e.getFrameworkId().getValue());
    o.add("command", command(e.getCommand()));
    o.add("resources", resources(e.getResourcesList()));
    if (e.getResourcesCount() > 0) {
      o.addProperty("role", role(e.getResourcesList()));
    }
    if (e.hasLabels()) {
      o.add("labels", labels(e.getLabels()));
    }
    if (e.hasType()) {
      o.addProperty("type", e.getType().name());
    }
    return o;
  }

  /** Mesos's {@code json(JSON::ObjectWriter*, const Attributes&)}: one field per attribute. */
  public static JsonObject attributes(List<Attribute> attributes) {
    JsonObject o = new JsonObject();
    for (Attribute a : attributes) {
      switch (a.getType()) {
        case SCALAR -> o.add(a.getName(), number(a.getScalar().getValue()));
        case RANGES -> {
          List<long[]> spans = new ArrayList<>();
          a.getRanges().getRangeList().forEach(x -> spans.add(new long[] {x.getBegin(), x.getEnd()}));
          o.addProperty(a.getName(), rangesText(spans));
        }
        case SET -> o.addProperty(a.getName(), "{" + String.join(", ", a.getSet().getItemList()) + "}");
        case TEXT -> o.addProperty(a.getName(), a.getText().getValue());
        default -> { }
      }
    }
    return o;
  }

  public static JsonArray labels(Labels labels) {
    JsonArray out = new JsonArray();
    labels.getLabelsList().forEach(l -> out.add(proto(l)));
    return out;
  }

  /** {@code JSON::Protobuf}: a message with its proto field names. */
  public static JsonElement proto(MessageOrBuilder message) {
    try {
      return JsonParser.parseString(PRINTER.print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
