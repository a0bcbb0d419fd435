package io.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TaskSerializerTest {
  private final TaskSerializer serializer = new TaskSerializer(getClass().getClassLoader());

  @Test
  void theResultsMostTasksReturnAreShortAndReadBackEqual() throws Exception {
    List<Object> values = Arrays.asList(null, true, false, 0, -7, Integer.MAX_VALUE, 0L, Long.MIN_VALUE, 123456789012L,
        0.0, -0.0, Double.NaN, 3.25, "", "pi ≈ 3.14159, 🚢", new byte[] {1, 2, 3});
    for (Object v : values) {
      byte[] bytes = serializer.serialize(v);
      assertThat(bytes.length).as("bytes for %s", v).isLessThanOrEqualTo(2 + 8 + (v instanceof String s ? s.length() * 4 : 3));
      Object back = serializer.deserialize(bytes);
      if (v instanceof byte[] raw) {
        assertThat((byte[]) back).containsExactly(raw);
      } else {
        assertThat(back).isEqualTo(v);
      }
    }
    assertThat(serializer.serialize(42L)).hasSize(10); // Java serialization: 82 bytes
  }

  @Test
  void javaSerializedValuesStillRead() throws Exception {
    // What an executor of an earlier build sends for a Long result.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(42L);
    }
    assertThat(serializer.deserialize(bytes.toByteArray())).isEqualTo(42L);
  }

  @Test
  void otherObjectsGoThroughJavaSerializationAndItsFilter() throws Exception {
    ArrayList<Object> list = new ArrayList<>(List.of(1L, "two"));
    byte[] bytes = serializer.serialize(list);
    assertThat(bytes[0]).isEqualTo((byte) 0xAC);
    assertThat(serializer.deserialize(bytes)).isEqualTo(list);
    TaskSerializer strict = new TaskSerializer(getClass().getClassLoader(), "!java.util.ArrayList");
    assertThatThrownBy(() -> strict.deserialize(bytes)).isInstanceOf(InvalidClassException.class);
  }

  @Test
  void aCorruptCompactValueIsAClearError() {
    assertThatThrownBy(() -> serializer.deserialize(new byte[] {CompactValues.MARKER, 'J', 1, 2}))
        .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("type 'J' with 2 bytes after its tag (expected 8)");
    assertThatThrownBy(() -> serializer.deserialize(new byte[] {CompactValues.MARKER, 'Q'}))
        .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("unknown type tag 0x51");
  }
}
