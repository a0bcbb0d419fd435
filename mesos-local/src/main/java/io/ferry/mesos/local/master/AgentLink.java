package io.ferry.mesos.local.master;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * What the master asks of one agent. In a real cluster these are libprocess messages; inside
 * mesos-local they are calls into the agent, which does its work on its own thread and answers
 * through {@link MasterCore}'s agent-facing methods.
 */
public interface AgentLink {

  /** RunTaskMessage: start the task (and its executor when needed). */
  void launch(FrameworkInfo framework, TaskInfo task);

  void kill(String frameworkId, TaskID taskId, KillPolicy killPolicy);

  void shutdownExecutor(String frameworkId, ExecutorID executorId);

  /** The framework is gone: shut down all its executors on this agent. */
  void shutdownFramework(String frameworkId);

  /** The scheduler acknowledged the update with this uuid. */
  void acknowledge(String frameworkId, TaskID taskId, ByteString uuid);

  void message(String frameworkId, ExecutorID executorId, ByteString data);
}
