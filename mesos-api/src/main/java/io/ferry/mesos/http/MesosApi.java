package io.ferry.mesos.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.ferry.mesos.ContentType;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One of Mesos's v1 streaming APIs: where it lives and which messages it speaks. The two
 * constants are all there is; {@link MesosClient} is generic over them.
 *
 * <pre>{@code
 * MesosClient<org.apache.mesos.v1.executor.Protos.Call, org.apache.mesos.v1.executor.Protos.Event>
 *     client = MesosClient.create(MesosApi.EXECUTOR, config);
 * }</pre>
 *
 * @param <C> the Call message type
 * @param <E> the Event message type
 */
public final class MesosApi<C extends Message, E extends Message> {

  /** The master's scheduler API, {@code /api/v1/scheduler}; its streams carry a Mesos-Stream-Id. */
  public static final MesosApi<org.apache.mesos.v1.scheduler.Protos.Call, org.apache.mesos.v1.scheduler.Protos.Event>
      SCHEDULER = new MesosApi<>("scheduler", "/api/v1/scheduler", true,
          org.apache.mesos.v1.scheduler.Protos.Event::newBuilder,
          call -> call.getType().name(),
          call -> call.getType() == org.apache.mesos.v1.scheduler.Protos.Call.Type.SUBSCRIBE);

  /** The agent's executor API, {@code /api/v1/executor}; no stream id. */
  public static final MesosApi<org.apache.mesos.v1.executor.Protos.Call, org.apache.mesos.v1.executor.Protos.Event>
      EXECUTOR = new MesosApi<>("executor", "/api/v1/executor", false,
          org.apache.mesos.v1.executor.Protos.Event::newBuilder,
          call -> call.getType().name(),
          call -> call.getType() == org.apache.mesos.v1.executor.Protos.Call.Type.SUBSCRIBE);

  private final String name;
  private final String path;
  private final boolean usesStreamId;
  private final Supplier<Message.Builder> eventBuilder;
  private final Function<C, String> callType;
  private final Predicate<C> isSubscribe;

  private MesosApi(String name, String path, boolean usesStreamId, Supplier<Message.Builder> eventBuilder,
      Function<C, String> callType, Predicate<C> isSubscribe) {
    this.name = name;
    this.path = path;
    this.usesStreamId = usesStreamId;
    this.eventBuilder = eventBuilder;
    this.callType = callType;
    this.isSubscribe = isSubscribe;
  }

  /** {@code scheduler} or {@code executor}; used in thread names and log tags. */
  public String name() {
    return name;
  }

  /** The request path, e.g. {@code /api/v1/scheduler}. */
  public String path() {
    return path;
  }

  /** Whether SUBSCRIBE answers with a {@code Mesos-Stream-Id} that later calls must echo. */
  public boolean usesStreamId() {
    return usesStreamId;
  }

  /** The call's type name, e.g. {@code SUBSCRIBE}, for messages and logs. */
  public String callType(C call) {
    return callType.apply(call);
  }

  public boolean isSubscribe(C call) {
    return isSubscribe.test(call);
  }

  /** Decodes one stream record into this API's Event type. */
  public E decodeEvent(ContentType contentType, byte[] record) throws InvalidProtocolBufferException {
    return contentType.decode(record, eventBuilder.get());
  }

  @Override
  public String toString() {
    return name + " API (" + path + ")";
  }
}
