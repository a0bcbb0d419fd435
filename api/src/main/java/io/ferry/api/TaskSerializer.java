package io.ferry.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.Objects;

/**
 * Java serialization of tasks and results, with an {@link ObjectInputFilter} on every read.
 *
 * <p>Bytes are only ever read from an authenticated peer, and the filter is a second wall: it caps
 * depth, references, array lengths and total bytes, and rejects the classes that known
 * deserialization gadget chains are built from (JNDI, RMI, JMX, scripting, XSLT, Commons
 * Collections functors, Groovy, Spring's object factories). Application classes are otherwise
 * allowed: a task is arbitrary application code by design.
 */
public final class TaskSerializer {
  /** The default filter pattern (JDK {@code jdk.serialFilter} syntax). */
  public static final String DEFAULT_FILTER =
      "maxdepth=64;maxrefs=1000000;maxarray=67108864;maxbytes=268435456;"
          + "!javax.naming.**;!com.sun.jndi.**;!java.rmi.**;!sun.rmi.**;!javax.management.**;"
          + "!javax.script.**;!com.sun.org.apache.xalan.**;!org.apache.xalan.**;"
          + "!com.sun.rowset.**;!javax.sql.rowset.**;!java.beans.**;!com.sun.beans.**;"
          + "!org.apache.commons.collections.functors.**;!org.apache.commons.collections4.functors.**;"
          + "!org.codehaus.groovy.runtime.**;!groovy.lang.**;!org.springframework.beans.factory.**;"
          + "!com.mchange.v2.c3p0.**;!org.hibernate.**;!bsh.**;!clojure.**";

  private final ClassLoader loader;
  private final ObjectInputFilter filter;

  /** @param loader where classes are resolved (the application's loader on executors) */
  public TaskSerializer(ClassLoader loader) {
    this(loader, DEFAULT_FILTER);
  }

  /**
   * @param filterPattern a {@code jdk.serialFilter} pattern of limits and {@code !package.**}
   *     rejections; classes it leaves undecided are allowed (application classes must load)
   */
  public TaskSerializer(ClassLoader loader, String filterPattern) {
    this.loader = Objects.requireNonNull(loader, "loader");
    ObjectInputFilter patterns = ObjectInputFilter.Config.createFilter(filterPattern);
    this.filter =
        info -> {
          ObjectInputFilter.Status status = patterns.checkInput(info);
          return status == ObjectInputFilter.Status.UNDECIDED ? ObjectInputFilter.Status.ALLOWED : status;
        };
  }

  /**
   * The value's bytes: Java serialization, or for a null, {@code Boolean}, {@code Integer},
   * {@code Long}, {@code Double}, {@code String} or {@code byte[]} (what most tasks return) a
   * short encoding that {@link #deserialize} tells apart by its first byte ({@code CompactValues}).
   */
  public byte[] serialize(Object value) throws NotSerializableException {
    byte[] compact = CompactValues.encode(value);
    if (compact != null) {
      return compact;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (NotSerializableException e) {
      throw e;
    } catch (IOException e) {
      NotSerializableException wrapped =
          new NotSerializableException(value.getClass().getName() + ": " + e.getMessage());
      wrapped.initCause(e);
      throw wrapped;
    }
    return bytes.toByteArray();
  }

  /**
   * Reads one object.
   *
   * @throws InvalidClassException when the filter rejects a class or a limit (the message names it)
   * @throws ClassNotFoundException when a class is not in the application's jars
   */
  public Object deserialize(byte[] data) throws IOException, ClassNotFoundException {
    if (CompactValues.isCompact(data)) {
      return CompactValues.decode(data);
    }
    try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(data), loader)) {
      in.setObjectInputFilter(filter);
      return in.readObject();
    }
  }

  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
