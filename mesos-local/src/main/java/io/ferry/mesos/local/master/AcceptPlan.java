package io.ferry.mesos.local.master;

import java.util.List;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * What an ACCEPT call comes to once validated: the tasks to launch, the updates that reject the
 * others (made by the master: no uuid), the offers used up, and the resources left over, which go
 * back to the allocator with the call's filter.
 *
 * @param agentId the one agent of the offers, or null when the offers were invalid
 * @param role the offers' allocation role, or null when the offers were invalid
 * @param used the offers consumed by this call (valid ones, even when others were not)
 * @param leftover what the single agent's offers have left once the tasks are launched; empty when
 *     the offers were invalid, in which case each used offer goes back whole
 */
record AcceptPlan(String agentId, String role, List<Launch> launches, List<TaskStatus> rejections,
    List<OfferRecord> used, Resources leftover) {

  /**
   * One task to launch.
   *
   * @param task the TaskInfo with {@code allocation_info} and {@code executor.framework_id} filled in
   * @param resources what it takes from the offers, its executor's resources included when the
   *     executor is launched by this task
   * @param newExecutor whether this task starts its executor on the agent
   */
  record Launch(TaskInfo task, Resources resources, boolean newExecutor) {}
}
