package io.ferry.mesos.local.files;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Mesos's {@code jsonp=<callback>} (libprocess's {@code OK(json, jsonp)}): the body becomes
 * {@code callback(<json>);}, typed {@code text/javascript}, so that a page served by the master can
 * read an agent's endpoints on another port with a script tag, as Mesos's web UI does. Unlike
 * libprocess, the callback must be a dotted JavaScript name ({@code angular.callbacks._0}): any
 * other text would let a link make the agent serve script of the link's choosing.
 */
final class Jsonp {

  static final String PROBLEM = "Invalid 'jsonp': expected a JavaScript function name such as"
      + " 'angular.callbacks._0' (letters, digits, '_', '$' and '.', at most 200 characters).\n";

  private Jsonp() {}

  static boolean valid(String callback) {
    return io.ferry.mesos.local.http.JsonResponse.validCallback(callback);
  }

  static byte[] wrap(String callback, byte[] json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + callback.length() + 3);
    out.writeBytes(callback.getBytes(StandardCharsets.US_ASCII));
    out.write('(');
    out.writeBytes(json);
    out.write(')');
    out.write(';');
    return out.toByteArray();
  }
}
