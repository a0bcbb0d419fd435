package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MasterUrlTest {

  @Test
  void parsesEveryAcceptedForm() {
    assertThat(MasterUrl.parse("mesos://10.0.0.5:5050")).isEqualTo(new MasterUrl.Mesos("10.0.0.5", 5050));
    assertThat(MasterUrl.parse("mesos://master.example")).isEqualTo(new MasterUrl.Mesos("master.example", 5050));
    assertThat(MasterUrl.parse("mesos://[::1]:5051")).isEqualTo(new MasterUrl.Mesos("::1", 5051));
    assertThat(((MasterUrl.Mesos) MasterUrl.parse("mesos://[::1]:5051")).httpEndpoint()).isEqualTo("http://[::1]:5051");
    assertThat(MasterUrl.parse("mesos://zk://h1:2181,h2:2181/mesos"))
        .isEqualTo(new MasterUrl.ZooKeeper("h1:2181,h2:2181", "/mesos", Optional.empty()));
    assertThat(MasterUrl.parse("zk://h1:2181/a/b/")).isEqualTo(new MasterUrl.ZooKeeper("h1:2181", "/a/b", Optional.empty()));
    assertThat(MasterUrl.parse("mesos://zk://u:p@h1:2181/mesos"))
        .isEqualTo(new MasterUrl.ZooKeeper("h1:2181", "/mesos", Optional.of("u:p")));
    assertThat(MasterUrl.parse("local")).isEqualTo(new MasterUrl.Local(1));
    assertThat(MasterUrl.parse("local[4]")).isEqualTo(new MasterUrl.Local(4));
    assertThat(MasterUrl.parse("local[*]")).isEqualTo(new MasterUrl.Local(Runtime.getRuntime().availableProcessors()));
    assertThat(MasterUrl.parse(" local-cluster[2, 2, 1024] ")).isEqualTo(new MasterUrl.LocalCluster(2, 2, 1024));
    assertThat(MasterUrl.parse("local-cluster[2,2,1024]").toString()).isEqualTo("local-cluster[2,2,1024]");
    assertThat(MasterUrl.parse("local").usesMesos()).isFalse();
    assertThat(MasterUrl.parse("local-cluster[1,1,64]").usesMesos()).isTrue();
  }

  @Test
  void aBadUrlIsOneLineNamingTheAcceptedForms() {
    for (String bad : new String[] {"", "spark://h:7077", "mesos://h:99999", "mesos://h:5050/path", "zk://h1:2181",
        "local[0]", "local[x]", "local-cluster[2,2]", "local-cluster[0,1,512]"}) {
      assertThatThrownBy(() -> MasterUrl.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("ferry.master: '" + bad + "' is not a master URL")
          .hasMessageContaining(MasterUrl.ACCEPTED_FORMS).hasMessageNotContaining("\n");
    }
    assertThatThrownBy(() -> MasterUrl.parse("mesos://zk://:secret@h:2181/mesos")).hasMessageNotContaining("secret")
        .hasMessageContaining("user:pass");
    assertThatThrownBy(() -> MasterUrl.parse("mesos://zk://bob:secret@h:2181")).hasMessageNotContaining("secret")
        .hasMessageContaining("[REDACTED]");
    assertThat(MasterUrl.parse("mesos://zk://bob:secret@h:2181/mesos").toString()).doesNotContain("secret");
  }
}
