package io.ferry.mesos.local.agent;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.MesosUuids;
import io.ferry.mesos.local.http.CallParser;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;

/**
 * The agent's checks on a request to {@code /api/v1/executor}, in Mesos's order (the digest,
 * section 1): authentication (401), containerizer recovery (503), method (405), content type
 * (400/415), parsing and validation (400); then SUBSCRIBE's Accept (406), HEARTBEAT answered at
 * once, other calls 503 while the agent recovers; unknown framework or executor (400), token
 * claims (403), and any call but SUBSCRIBE from an executor that has not subscribed (403).
 */
public final class ExecutorGate {

  /** The request as the HTTP layer saw it; {@code authorization} is the raw header or null. */
  public record Request(String method, String contentType, String accept, String authorization, byte[] body) {
    public Request(String method, String contentType, String accept, byte[] body) {
      this(method, contentType, accept, null, body);
    }
  }

  /** The outcome: an HTTP error, or a call to act on (with the SUBSCRIBE stream's type). */
  public sealed interface Result permits Reject, Pass {}

  public record Reject(int status, String body) implements Result {}

  public record Pass(Call call, ContentType contentType, ContentType streamType) implements Result {}

  /** What the gate needs to know of the agent's state. */
  public interface View {
    /** The containerizer has not finished recovering after an agent restart. */
    boolean containerizerRecovering();

    /** The agent as a whole is still recovering (SUBSCRIBE is allowed, other calls are not). */
    boolean agentRecovering();

    boolean frameworkKnown(String frameworkId);

    boolean executorKnown(String frameworkId, String executorId);

    /**
     * Executor authentication: empty when none is required; else the claims of the bearer token
     * when it is valid (an empty map when it is not, which is answered 401).
     */
    Optional<java.util.Map<String, String>> authenticate(String authorizationHeader);

    /** The executor's current container, for the token's {@code cid} claim. */
    Optional<String> containerId(String frameworkId, String executorId);

    boolean subscribed(String frameworkId, String executorId);
  }

  private ExecutorGate() {}

  public static Result check(Request r, View view) {
    Optional<java.util.Map<String, String>> claims = view.authenticate(r.authorization());
    if (claims.isPresent() && claims.get().isEmpty()) {
      return new Reject(401, "");
    }
    if (view.containerizerRecovering()) {
      return new Reject(503, "Agent has not finished recovery");
    }
    CallParser.Parsed<Call> parsed = CallParser.parse(r.method(), r.contentType(), r.body(), Call.newBuilder());
    if (parsed.failed()) {
      return new Reject(parsed.errorStatus(), parsed.error());
    }
    Call call = parsed.call();
    ContentType type = parsed.contentType();
    Optional<String> invalid = problem(call);
    if (invalid.isPresent()) {
      return new Reject(400, "Failed to validate executor::Call: " + invalid.get());
    }
    ContentType streamType = null;
    switch (call.getType()) {
      case SUBSCRIBE -> {
        Optional<ContentType> stream = ContentType.forAccept(r.accept());
        if (stream.isEmpty()) {
          return new Reject(406, "Expecting 'Accept' to allow application/json or application/x-protobuf");
        }
        streamType = stream.get();
      }
      case HEARTBEAT -> {
        return new Pass(call, type, null);
      }
      default -> {
        if (view.agentRecovering()) {
          return new Reject(503, "Agent has not finished recovery");
        }
      }
    }
    String frameworkId = call.getFrameworkId().getValue();
    String executorId = call.getExecutorId().getValue();
    if (!view.frameworkKnown(frameworkId)) {
      return new Reject(400, "Framework cannot be found");
    }
    if (!view.executorKnown(frameworkId, executorId)) {
      return new Reject(400, "Executor cannot be found");
    }
    if (claims.isPresent()) {
      java.util.Map<String, String> c = claims.get();
      if (!frameworkId.equals(c.get("fid")) || !executorId.equals(c.get("eid"))
          || !view.containerId(frameworkId, executorId).map(id -> id.equals(c.get("cid"))).orElse(false)) {
        return new Reject(403, "The token's claims do not match framework " + frameworkId + " and executor "
            + executorId);
      }
    }
    if (call.getType() != Call.Type.SUBSCRIBE && !view.subscribed(frameworkId, executorId)) {
      return new Reject(403, "Executor is not subscribed");
    }
    return new Pass(call, type, streamType);
  }

  /** Mesos's executor::Call validation. */
  static Optional<String> problem(Call call) {
    if (!call.hasType() || call.getType() == Call.Type.UNKNOWN) {
      return Optional.of("Expecting 'type' to be present");
    }
    return switch (call.getType()) {
      case SUBSCRIBE -> call.hasSubscribe() ? Optional.empty() : Optional.of("Expecting 'subscribe' to be present");
      case MESSAGE -> call.hasMessage() ? Optional.empty() : Optional.of("Expecting 'message' to be present");
      case UPDATE -> call.hasUpdate() ? updateProblem(call) : Optional.of("Expecting 'update' to be present");
      default -> Optional.empty();
    };
  }

  private static Optional<String> updateProblem(Call call) {
    TaskStatus status = call.getUpdate().getStatus();
    if (!status.hasUuid() || !MesosUuids.isValid(status.getUuid())) {
      return Optional.of("Not a valid UUID");
    }
    if (status.getSource() != TaskStatus.Source.SOURCE_EXECUTOR) {
      return Optional.of("Received Call from executor " + call.getExecutorId().getValue()
          + " of framework " + call.getFrameworkId().getValue() + " with invalid source, expecting 'SOURCE_EXECUTOR'");
    }
    if (status.getState() == TaskState.TASK_STAGING) {
      return Optional.of("Received TASK_STAGING from executor " + call.getExecutorId().getValue()
          + " of framework " + call.getFrameworkId().getValue() + " which is not allowed");
    }
    if (status.hasExecutorId() && !status.getExecutorId().equals(call.getExecutorId())) {
      return Optional.of("ExecutorID in Call: " + call.getExecutorId().getValue()
          + " does not match ExecutorID in TaskStatus: " + status.getExecutorId().getValue());
    }
    return Optional.empty();
  }
}
