package io.ferry.mesos.local.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ResourcesTest {

  @Test
  void arithmeticOnScalarsRangesAndSets() {
    Resources agent = Resources.parse("cpus:4;mem:8192;ports:[31000-31009];zones:{a,b}");
    Resources task = Resources.parse("cpus:0.5;mem:512;ports:[31003-31004];zones:{a}");
    Resources left = agent.minus(task);
    assertThat(left).isEqualTo(Resources.parse("cpus:3.5;mem:7680;ports:[31000-31002,31005-31009];zones:{b}"));
    assertThat(left.plus(task)).isEqualTo(agent);
    assertThat(agent.contains(task)).isTrue();
    assertThat(task.contains(agent)).isFalse();
    assertThat(Resources.parse("cpus:0.1").plus(Resources.parse("cpus:0.2")).scalar("cpus")).isEqualTo(0.3);
    assertThat(agent.minus(agent).isEmpty()).isTrue();
  }

  @Test
  void subtractingMoreThanThereIsFails() {
    assertThatThrownBy(() -> Resources.parse("cpus:1").minus(Resources.parse("cpus:2")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Resources.parse("cpus:-1")).hasMessageContaining("expected: >= 0");
    assertThatThrownBy(() -> Resources.parse("cpus")).hasMessageContaining("name:value");
  }

  @Test
  void protosRoundTripWithAllocationRole() {
    Resources r = Resources.parse("cpus:2;mem:1024;ports:[1-5]");
    var protos = r.toProtos(Optional.of("*"));
    assertThat(protos).allSatisfy(p -> assertThat(p.getAllocationInfo().getRole()).isEqualTo("*"));
    assertThat(Resources.of(protos)).isEqualTo(r);
    assertThatThrownBy(() -> Resources.of(java.util.List.of(Resource.newBuilder().setName("cpus")
        .setType(org.apache.mesos.v1.Protos.Value.Type.SCALAR).setRole("web")
        .setScalar(org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(1)).build())))
        .hasMessageContaining("reservations");
  }
}
