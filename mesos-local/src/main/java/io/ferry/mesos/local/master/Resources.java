package io.ferry.mesos.local.master;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/**
 * An immutable bag of unreserved resources, with the arithmetic Mesos's master and allocator do:
 * scalars in fixed point with three decimals (Mesos rounds to 0.001), ranges merged and sorted,
 * sets of items. Names map to one value each; {@code cpus}, {@code mem}, {@code disk} and
 * {@code gpus} are scalars, {@code ports} are ranges.
 *
 * <pre>{@code
 * Resources agent = Resources.parse("cpus:4;mem:8192;ports:[31000-32000]");
 * Resources free = agent.minus(Resources.parse("cpus:1;mem:512"));
 * }</pre>
 */
public final class Resources {

  public static final Resources EMPTY = new Resources(new TreeMap<>());

  private final SortedMap<String, Amount> amounts;

  private Resources(SortedMap<String, Amount> amounts) {
    this.amounts = Collections.unmodifiableSortedMap(amounts);
  }

  /**
   * Parses Mesos's {@code --resources} text form: {@code name:value} pairs separated by
   * {@code ;}, a value being a number, {@code [a-b,c-d]} ranges or {@code {x,y}} items.
   */
  public static Resources parse(String text) {
    SortedMap<String, Amount> out = new TreeMap<>();
    for (String part : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int colon = part.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("resources: '" + part + "' (expected: name:value)");
      }
      String name = part.substring(0, colon).trim();
      String value = part.substring(colon + 1).trim();
      Amount amount = value.startsWith("[") ? Ranges.parse(value)
          : value.startsWith("{") ? Items.parse(value) : Scalar.parse(name, value);
      out.merge(name, amount, Amount::plus);
    }
    return new Resources(out);
  }

  /** The unreserved resources in {@code protos}; reservations are not emulated and are refused. */
  public static Resources of(List<Resource> protos) {
    SortedMap<String, Amount> out = new TreeMap<>();
    for (Resource r : protos) {
      if (r.getReservationsCount() > 0 || r.hasReservation() || (r.hasRole() && !r.getRole().equals("*"))) {
        throw new IllegalArgumentException("resource " + r.getName()
            + ": reservations are not supported by mesos-local");
      }
      Amount amount = switch (r.getType()) {
        case SCALAR -> Scalar.of(r.getName(), r.getScalar().getValue());
        case RANGES -> Ranges.of(r.getRanges());
        case SET -> new Items(new TreeSet<>(r.getSet().getItemList()));
        default -> throw new IllegalArgumentException("resource " + r.getName() + ": type " + r.getType()
            + " is not supported");
      };
      out.merge(r.getName(), amount, Amount::plus);
    }
    return new Resources(out);
  }

  /** As protos, each with {@code allocation_info.role} when a role is given (as in offers). */
  public List<Resource> toProtos(Optional<String> allocationRole) {
    List<Resource> out = new ArrayList<>();
    for (Map.Entry<String, Amount> e : amounts.entrySet()) {
      Resource.Builder b = Resource.newBuilder().setName(e.getKey());
      e.getValue().writeTo(b);
      allocationRole.ifPresent(role -> b.getAllocationInfoBuilder().setRole(role));
      out.add(b.build());
    }
    return out;
  }

  public Resources plus(Resources other) {
    SortedMap<String, Amount> out = new TreeMap<>(amounts);
    other.amounts.forEach((name, amount) -> out.merge(name, amount, Amount::plus));
    return new Resources(out);
  }

  /** This minus {@code other}; {@code other} must be contained in this. */
  public Resources minus(Resources other) {
    if (!contains(other)) {
      throw new IllegalArgumentException("cannot subtract " + other + " from " + this);
    }
    SortedMap<String, Amount> out = new TreeMap<>(amounts);
    other.amounts.forEach((name, amount) -> {
      Amount left = out.get(name).minus(amount);
      if (left.isEmpty()) {
        out.remove(name);
      } else {
        out.put(name, left);
      }
    });
    return new Resources(out);
  }

  /** Whether every resource of {@code other} is available here. */
  public boolean contains(Resources other) {
    for (Map.Entry<String, Amount> e : other.amounts.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      Amount mine = amounts.get(e.getKey());
      if (mine == null || !mine.contains(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return amounts.values().stream().allMatch(Amount::isEmpty);
  }

  /** A scalar resource's value, 0 when absent. */
  public double scalar(String name) {
    Amount a = amounts.get(name);
    return a instanceof Scalar s ? s.millis / 1000.0 : 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resources r && amounts.equals(r.amounts);
  }

  @Override
  public int hashCode() {
    return amounts.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    amounts.forEach((name, amount) -> sb.append(sb.length() == 0 ? "" : ";").append(name).append(':').append(amount));
    return sb.toString();
  }

  /** One resource's value. */
  private sealed interface Amount permits Scalar, Ranges, Items {
    Amount plus(Amount other);

    Amount minus(Amount other);

    boolean contains(Amount other);

    boolean isEmpty();

    void writeTo(Resource.Builder b);
  }

  /** A scalar in thousandths. */
  private record Scalar(long millis) implements Amount {
    static Scalar parse(String name, String text) {
      try {
        return of(name, Double.parseDouble(text));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("resource " + name + ": '" + text + "' is not a number");
      }
    }

    static Scalar of(String name, double value) {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("resource " + name + ": " + value + " (expected: >= 0)");
      }
      return new Scalar(Math.round(value * 1000));
    }

    @Override
    public Amount plus(Amount other) {
      return new Scalar(millis + cast(other).millis);
    }

    @Override
    public Amount minus(Amount other) {
      return new Scalar(millis - cast(other).millis);
    }

    @Override
    public boolean contains(Amount other) {
      return other instanceof Scalar s && s.millis <= millis;
    }

    @Override
    public boolean isEmpty() {
      return millis == 0;
    }

    @Override
    public void writeTo(Resource.Builder b) {
      b.setType(Value.Type.SCALAR).getScalarBuilder().setValue(millis / 1000.0);
    }

    @Override
    public String toString() {
      return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    private static Scalar cast(Amount a) {
      if (a instanceof Scalar s) {
        return s;
      }
      throw new IllegalArgumentException("mixing a scalar with " + a);
    }
  }

  /** Sorted, merged, inclusive ranges. */
  private record Ranges(List<long[]> spans) implements Amount {
    static Ranges parse(String text) {
      String body = text.substring(1, text.length() - (text.endsWith("]") ? 1 : 0));
      List<long[]> spans = new ArrayList<>();
      for (String r : body.split(",")) {
        if (r.isBlank()) {
          continue;
        }
        String[] ends = r.trim().split("-");
        try {
          long begin = Long.parseLong(ends[0].trim());
          long end = ends.length > 1 ? Long.parseLong(ends[1].trim()) : begin;
          spans.add(new long[] {begin, end});
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("ranges: '" + text + "' (expected: [a-b,c-d])");
        }
      }
      return normalize(spans);
    }

    static Ranges of(Value.Ranges ranges) {
      List<long[]> spans = new ArrayList<>();
      for (Value.Range r : ranges.getRangeList()) {
        spans.add(new long[] {r.getBegin(), r.getEnd()});
      }
      return normalize(spans);
    }

    static Ranges normalize(List<long[]> spans) {
      List<long[]> sorted = new ArrayList<>(spans);
      sorted.removeIf(s -> s[1] < s[0]);
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
      return new Ranges(merged);
    }

    @Override
    public Amount plus(Amount other) {
      List<long[]> all = new ArrayList<>(spans);
      all.addAll(cast(other).spans);
      return normalize(all);
    }

    @Override
    public Amount minus(Amount other) {
      List<long[]> left = new ArrayList<>();
      for (long[] s : spans) {
        left.add(new long[] {s[0], s[1]});
      }
      for (long[] cut : cast(other).spans) {
        List<long[]> next = new ArrayList<>();
        for (long[] s : left) {
          if (cut[1] < s[0] || cut[0] > s[1]) {
            next.add(s);
            continue;
          }
          if (cut[0] > s[0]) {
            next.add(new long[] {s[0], cut[0] - 1});
          }
          if (cut[1] < s[1]) {
            next.add(new long[] {cut[1] + 1, s[1]});
          }
        }
        left = next;
      }
      return normalize(left);
    }

    @Override
    public boolean contains(Amount other) {
      if (!(other instanceof Ranges r)) {
        return false;
      }
      for (long[] want : r.spans) {
        boolean inside = spans.stream().anyMatch(s -> s[0] <= want[0] && want[1] <= s[1]);
        if (!inside) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean isEmpty() {
      return spans.isEmpty();
    }

    @Override
    public void writeTo(Resource.Builder b) {
      Value.Ranges.Builder rb = b.setType(Value.Type.RANGES).getRangesBuilder();
      for (long[] s : spans) {
        rb.addRange(Value.Range.newBuilder().setBegin(s[0]).setEnd(s[1]));
      }
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Ranges r) || r.spans.size() != spans.size()) {
        return false;
      }
      for (int i = 0; i < spans.size(); i++) {
        if (spans.get(i)[0] != r.spans.get(i)[0] || spans.get(i)[1] != r.spans.get(i)[1]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return Objects.hash(toString());
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("[");
      for (long[] s : spans) {
        sb.append(sb.length() == 1 ? "" : ",").append(s[0]).append('-').append(s[1]);
      }
      return sb.append(']').toString();
    }

    private static Ranges cast(Amount a) {
      if (a instanceof Ranges r) {
        return r;
      }
      throw new IllegalArgumentException("mixing ranges with " + a);
    }
  }

  /** A set of text items. */
  private record Items(TreeSet<String> items) implements Amount {
    static Items parse(String text) {
      TreeSet<String> items = new TreeSet<>();
      for (String i : text.substring(1, text.length() - (text.endsWith("}") ? 1 : 0)).split(",")) {
        if (!i.isBlank()) {
          items.add(i.trim());
        }
      }
      return new Items(items);
    }

    @Override
    public Amount plus(Amount other) {
      TreeSet<String> all = new TreeSet<>(items);
      all.addAll(cast(other).items);
      return new Items(all);
    }

    @Override
    public Amount minus(Amount other) {
      TreeSet<String> left = new TreeSet<>(items);
      left.removeAll(cast(other).items);
      return new Items(left);
    }

    @Override
    public boolean contains(Amount other) {
      return other instanceof Items i && items.containsAll(i.items);
    }

    @Override
    public boolean isEmpty() {
      return items.isEmpty();
    }

    @Override
    public void writeTo(Resource.Builder b) {
      b.setType(Value.Type.SET).getSetBuilder().addAllItem(items);
    }

    @Override
    public String toString() {
      return "{" + String.join(",", items) + "}";
    }

    private static Items cast(Amount a) {
      if (a instanceof Items i) {
        return i;
      }
      throw new IllegalArgumentException("mixing a set with " + a);
    }
  }
}
