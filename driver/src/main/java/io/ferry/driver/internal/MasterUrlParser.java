package io.ferry.driver.internal;

import io.ferry.driver.MasterUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code ferry.master} into a {@link MasterUrl}; every failure is one line naming the accepted forms. */
public final class MasterUrlParser {

  private MasterUrlParser() {}

  /** See {@link MasterUrl#parse}. */
  public static MasterUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw bad(url, "empty");
    }
    String text = url.strip();
    String lower = text.toLowerCase(Locale.ROOT);
    try {
      if (lower.startsWith("mesos://zk://")) {
        return zooKeeper(url, text.substring("mesos://".length()));
      }
      if (lower.startsWith("zk://")) {
        return zooKeeper(url, text);
      }
      if (lower.startsWith("mesos://")) {
        return mesos(url, text.substring("mesos://".length()));
      }
      if (lower.startsWith("local-cluster")) {
        return localCluster(url, lower);
      }
      if (lower.startsWith("local")) {
        return local(url, lower);
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("ferry.master")) {
        throw e;
      }
      throw bad(url, e.getMessage());
    }
    throw bad(url, "unknown scheme");
  }

  private static MasterUrl mesos(String url, String rest) {
    String hostPort = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
    if (hostPort.isEmpty() || hostPort.contains("/") || hostPort.contains("@") || hostPort.contains(",")) {
      throw bad(url, "expected mesos://host:port");
    }
    String host;
    String port;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw bad(url, "unclosed IPv6 bracket");
      }
      host = hostPort.substring(1, close);
      port = hostPort.length() > close + 1 && hostPort.charAt(close + 1) == ':' ? hostPort.substring(close + 2) : "";
    } else {
      int colon = hostPort.lastIndexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      port = colon < 0 ? "" : hostPort.substring(colon + 1);
    }
    return new MasterUrl.Mesos(host, port.isEmpty() ? MasterUrl.DEFAULT_MESOS_PORT : parsePort(url, port));
  }

  private static MasterUrl zooKeeper(String url, String zk) {
    String rest = zk.substring("zk://".length());
    Optional<String> credentials = Optional.empty();
    int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      if (!userInfo.contains(":") || userInfo.startsWith(":")) {
        throw bad(url, "ZooKeeper credentials must be user:pass");
      }
      credentials = Optional.of(userInfo);
      rest = rest.substring(at + 1);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      throw bad(url, "a ZooKeeper URL needs hosts and a path, e.g. zk://h1:2181/mesos");
    }
    String hosts = rest.substring(0, slash);
    String path = rest.substring(slash);
    for (String host : hosts.split(",", -1)) {
      int colon = host.lastIndexOf(':');
      if (host.isBlank() || colon == 0) {
        throw bad(url, "empty host in '" + hosts + "'");
      }
      if (colon > 0) {
        parsePort(url, host.substring(colon + 1));
      }
    }
    if (path.endsWith("/") && path.length() > 1) {
      path = path.substring(0, path.length() - 1);
    }
    return new MasterUrl.ZooKeeper(hosts, path, credentials);
  }

  private static final Pattern LOCAL = Pattern.compile("^local(?:\\[\\s*(\\*|\\d+)\\s*])?$");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("^local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+(?:\\.\\d+)?)\\s*,\\s*(\\d+)\\s*]$");

  private static MasterUrl local(String url, String lower) {
    Matcher m = LOCAL.matcher(lower);
    if (!m.matches()) {
      throw bad(url, "expected local, local[N] or local[*]");
    }
    String n = m.group(1);
    if (n == null) {
      return new MasterUrl.Local(1);
    }
    if (n.equals("*")) {
      return new MasterUrl.Local(Runtime.getRuntime().availableProcessors());
    }
    try {
      return new MasterUrl.Local(Integer.parseInt(n));
    } catch (NumberFormatException e) {
      throw bad(url, "thread count too large");
    }
  }

  private static MasterUrl localCluster(String url, String lower) {
    Matcher m = LOCAL_CLUSTER.matcher(lower);
    if (!m.matches()) {
      throw bad(url, "expected local-cluster[agents,cpus,memMB], e.g. local-cluster[2,2,1024]");
    }
    try {
      return new MasterUrl.LocalCluster(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)), Long.parseLong(m.group(3)));
    } catch (NumberFormatException e) {
      throw bad(url, "number too large");
    }
  }

  private static int parsePort(String url, String port) {
    try {
      int p = Integer.parseInt(port);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(url, "port '" + port + "' is not 1-65535");
  }

  private static IllegalArgumentException bad(String url, String why) {
    List<String> parts = new ArrayList<>();
    parts.add("ferry.master: '" + redactUserInfo(url) + "' is not a master URL (" + why + ")");
    parts.add("expected one of: " + MasterUrl.ACCEPTED_FORMS);
    return new IllegalArgumentException(String.join("; ", parts));
  }

  /** The URL with any {@code user:pass@} replaced, so errors never print a ZooKeeper password. */
  public static String redactUserInfo(String url) {
    if (url == null) {
      return "null";
    }
    return url.replaceAll("(zk://)[^/@]*@", "$1[REDACTED]@");
  }
}
