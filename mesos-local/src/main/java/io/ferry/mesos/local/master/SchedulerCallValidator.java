package io.ferry.mesos.local.master;

import java.util.Optional;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * The master's validation of a parsed scheduler Call (the 400s of check 3): the type is known,
 * the framework ID is present where needed and consistent with SUBSCRIBE, and the message field
 * that the type names is present. ACKNOWLEDGE's uuid must be a valid RFC-4122 UUID.
 */
final class SchedulerCallValidator {

  private SchedulerCallValidator() {}

  static Optional<String> problem(Call call) {
    if (!call.hasType() || call.getType() == Call.Type.UNKNOWN) {
      return Optional.of("Expecting 'type' to be present");
    }
    if (call.getType() == Call.Type.SUBSCRIBE) {
      if (!call.hasSubscribe()) {
        return Optional.of("Expecting 'subscribe' to be present");
      }
      var info = call.getSubscribe().getFrameworkInfo();
      boolean callHasId = call.hasFrameworkId();
      boolean infoHasId = info.hasId();
      if (callHasId != infoHasId || (callHasId && !call.getFrameworkId().equals(info.getId()))) {
        return Optional.of("'framework_id' differs from 'subscribe.framework_info.id'");
      }
      return Optional.empty();
    }
    if (!call.hasFrameworkId()) {
      return Optional.of("Expecting 'framework_id' to be present");
    }
    return switch (call.getType()) {
      case ACCEPT -> require(call.hasAccept(), "accept");
      case DECLINE -> require(call.hasDecline(), "decline");
      case KILL -> require(call.hasKill(), "kill");
      case SHUTDOWN -> require(call.hasShutdown(), "shutdown");
      case ACKNOWLEDGE -> call.hasAcknowledge()
          ? (io.ferry.mesos.MesosUuids.isValid(call.getAcknowledge().getUuid()) ? Optional.empty() : Optional.of("Not a valid UUID"))
          : require(false, "acknowledge");
      case RECONCILE -> require(call.hasReconcile(), "reconcile");
      case MESSAGE -> require(call.hasMessage(), "message");
      case REQUEST -> require(call.hasRequest(), "request");
      case ACCEPT_INVERSE_OFFERS -> require(call.hasAcceptInverseOffers(), "accept_inverse_offers");
      case DECLINE_INVERSE_OFFERS -> require(call.hasDeclineInverseOffers(), "decline_inverse_offers");
      case UPDATE_FRAMEWORK -> require(call.hasUpdateFramework(), "update_framework");
      default -> Optional.empty();
    };
  }

  private static Optional<String> require(boolean present, String field) {
    return present ? Optional.empty() : Optional.of("Expecting '" + field + "' to be present");
  }
}
