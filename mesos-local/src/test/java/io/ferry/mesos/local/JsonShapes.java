package io.ferry.mesos.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares a JSON answer with a fixture of {@code src/test/resources/mesos-shapes/} field by
 * field (see that directory's README): every key of the fixture present with the same JSON type
 * and nesting; an array's first fixture element is the template of every element of the answer.
 */
public final class JsonShapes {

  private JsonShapes() {}

  public static JsonElement fixture(String name) {
    try (InputStream in = JsonShapes.class.getResourceAsStream("/mesos-shapes/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture mesos-shapes/" + name);
      }
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read fixture " + name, e);
    }
  }

  /** The differences, each naming the path; empty when {@code actual} has the fixture's shape. */
  public static List<String> differences(String fixtureName, JsonElement actual) {
    List<String> out = new ArrayList<>();
    compare(fixture(fixtureName), actual, "$", out);
    return out;
  }

  private static void compare(JsonElement expected, JsonElement actual, String path, List<String> out) {
    if (expected.isJsonPrimitive() && expected.getAsJsonPrimitive().isString()
        && expected.getAsString().startsWith("@")) {
      compare(fixture(expected.getAsString().substring(1)), actual, path, out);
      return;
    }
    if (actual == null) {
      out.add(path + ": missing (expected " + type(expected) + ")");
      return;
    }
    if (!type(expected).equals(type(actual))) {
      out.add(path + ": " + type(actual) + " where Mesos has " + type(expected));
      return;
    }
    if (expected.isJsonObject()) {
      JsonObject a = actual.getAsJsonObject();
      for (Map.Entry<String, JsonElement> e : expected.getAsJsonObject().entrySet()) {
        compare(e.getValue(), a.get(e.getKey()), path + "." + e.getKey(), out);
      }
    } else if (expected.isJsonArray()) {
      JsonArray x = expected.getAsJsonArray();
      JsonArray a = actual.getAsJsonArray();
      if (x.size() > 0) {
        if (a.isEmpty()) {
          out.add(path + ": empty, the fixture needs an element to compare");
        }
        for (int i = 0; i < a.size(); i++) {
          compare(x.get(0), a.get(i), path + "[" + i + "]", out);
        }
      }
    }
  }

  private static String type(JsonElement e) {
    if (e.isJsonObject()) {
      return "object";
    }
    if (e.isJsonArray()) {
      return "array";
    }
    if (e.isJsonNull()) {
      return "null";
    }
    if (e.getAsJsonPrimitive().isBoolean()) {
      return "boolean";
    }
    return e.getAsJsonPrimitive().isNumber() ? "number" : "string";
  }
}
