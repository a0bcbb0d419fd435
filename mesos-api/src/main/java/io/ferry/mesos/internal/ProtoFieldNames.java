package io.ferry.mesos.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.Map;

/**
 * Makes protobuf's JSON parser read JSON the way Mesos does: only the field names of the
 * {@code .proto} files count. protobuf-java also accepts the camelCase JSON names
 * ({@code taskId} for {@code task_id}); Mesos ignores those, as it ignores unknown keys, so a
 * client that sends camelCase gets the same silent loss here as against a real master.
 */
public final class ProtoFieldNames {

  private ProtoFieldNames() {}

  /** Removes, in place and recursively, every key that is not a proto field name of its message. */
  public static void retainProtoNames(JsonObject object, Descriptor type) {
    for (Map.Entry<String, JsonElement> entry : new ArrayList<>(object.entrySet())) {
      FieldDescriptor field = type.findFieldByName(entry.getKey());
      if (field == null) {
        object.remove(entry.getKey());
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        retainIn(entry.getValue(), field.getMessageType());
      }
    }
  }

  private static void retainIn(JsonElement value, Descriptor type) {
    if (value.isJsonObject()) {
      retainProtoNames(value.getAsJsonObject(), type);
    } else if (value.isJsonArray()) {
      JsonArray array = value.getAsJsonArray();
      for (JsonElement element : array) {
        retainIn(element, type);
      }
    }
  }
}
