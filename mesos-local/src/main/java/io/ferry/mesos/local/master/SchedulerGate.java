package io.ferry.mesos.local.master;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.http.CallParser;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * The master's checks on a request to {@code /api/v1/scheduler}, in Mesos's order (the digest,
 * section 2): authentication, leadership (307), recovery (503), method (405), content type
 * (400/415), parsing and validation (400), SUBSCRIBE's Accept (406) and stream-id (400), unknown
 * framework (400), principal mismatch (400), disconnected framework (403), stream id (400).
 * Everything that passes is answered 202 by the caller, or 200 with a stream for SUBSCRIBE.
 */
final class SchedulerGate {

  /** The request as the HTTP layer saw it. */
  record Request(String method, String contentType, String accept, String streamId,
      Optional<String> authenticatedPrincipal, boolean authenticationFailed, byte[] body) {}

  /** What the gate needs to know of the master's state. */
  interface View {
    /** Empty when this master leads; else the leader's {@code host:port}. */
    Optional<String> leader();

    /** False while no master is elected (ZooKeeper has none): calls get 503. */
    default boolean leaderElected() {
      return true;
    }

    /** Whether the master has finished recovering and serves calls. */
    boolean recovered();

    boolean frameworkKnown(String frameworkId);

    /** The principal the framework subscribed with, if any. */
    Optional<String> principal(String frameworkId);

    boolean connected(String frameworkId);

    /** The framework's current stream id, if subscribed. */
    Optional<String> streamId(String frameworkId);
  }

  private SchedulerGate() {}

  static GateResult<Call> check(Request r, View view) {
    if (r.authenticationFailed()) {
      return new GateResult.Reject<>(401, "", Map.of("WWW-Authenticate", "Basic realm=\"mesos\""));
    }
    if (!view.leaderElected()) {
      return new GateResult.Reject<>(503, "No leader elected");
    }
    Optional<String> leader = view.leader();
    if (leader.isPresent()) {
      return new GateResult.Reject<>(307, "", Map.of("Location", "//" + leader.get() + "/api/v1/scheduler"));
    }
    if (!view.recovered()) {
      return new GateResult.Reject<>(503, "Master has not finished recovery");
    }
    CallParser.Parsed<Call> parsed = CallParser.parse(r.method(), r.contentType(), r.body(), Call.newBuilder());
    if (parsed.failed()) {
      Map<String, String> headers = parsed.errorStatus() == 405 ? Map.of("Allow", "POST") : Map.of();
      return new GateResult.Reject<>(parsed.errorStatus(), parsed.error(), headers);
    }
    Call call = parsed.call();
    ContentType type = parsed.contentType();
    Optional<String> invalid = SchedulerCallValidator.problem(call);
    if (invalid.isPresent()) {
      return new GateResult.Reject<>(400, "Failed to validate scheduler::Call: " + invalid.get());
    }
    if (call.getType() == Call.Type.SUBSCRIBE) {
      Optional<ContentType> stream = ContentType.forAccept(r.accept());
      if (stream.isEmpty()) {
        return new GateResult.Reject<>(406, "Expecting 'Accept' to allow application/json or application/x-protobuf");
      }
      if (r.streamId() != null) {
        return new GateResult.Reject<>(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
      }
      return new GateResult.Pass<>(call, type, stream.get());
    }
    String frameworkId = call.getFrameworkId().getValue();
    if (!view.frameworkKnown(frameworkId)) {
      return new GateResult.Reject<>(400, "Framework cannot be found");
    }
    // Only an authenticated request is held to the framework's principal, as in Mesos.
    Optional<String> principal = view.principal(frameworkId);
    if (principal.isPresent() && r.authenticatedPrincipal().isPresent() && !principal.equals(r.authenticatedPrincipal())) {
      return new GateResult.Reject<>(400, "Authenticated principal '" + r.authenticatedPrincipal().orElse("")
          + "' does not match principal '" + principal.get() + "' set in `FrameworkInfo`");
    }
    if (!view.connected(frameworkId)) {
      return new GateResult.Reject<>(403, "Framework is not subscribed");
    }
    Optional<String> current = view.streamId(frameworkId);
    if (r.streamId() == null || current.isEmpty() || !current.get().equals(r.streamId())) {
      return new GateResult.Reject<>(400, "The stream ID '" + (r.streamId() == null ? "" : r.streamId())
          + "' included in this request didn't match the stream ID currently associated with framework ID "
          + frameworkId);
    }
    return new GateResult.Pass<>(call, type, null);
  }
}
