package io.ferry.mesos.local.master;

import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.Resource;

/** Turns Mesos's {@code --resources} text into Resource protos (unreserved, no allocation role). */
public final class ResourcesText {

  private ResourcesText() {}

  public static List<Resource> protos(String text) {
    return Resources.parse(text).toProtos(Optional.empty());
  }
}
