package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FerryConfTest {

  @TempDir Path confDir;

  Map<String, String> env() {
    return Map.of("FERRY_CONF_DIR", confDir.toString());
  }

  void defaultsFile(String... lines) throws Exception {
    Files.write(confDir.resolve("ferry-defaults.conf"), List.of(lines));
  }

  @Test
  void defaultsApplyWhenOnlyTheMasterIsSet() {
    FerryConf conf = FerryConf.load(Map.of("ferry.master", "local[2]"), Map.of(), env());
    assertThat(conf.master()).isEqualTo(new MasterUrl.Local(2));
    assertThat(conf.appName()).isEqualTo("ferry-app");
    assertThat(conf.coarse()).isFalse();
    assertThat(conf.coresMax()).isEmpty();
    assertThat(conf.executorMemoryMb()).isEqualTo(1024);
    assertThat(conf.executorMemoryOverheadMb()).isEqualTo(384);
    assertThat(conf.executorCores()).isEqualTo(1.0);
    assertThat(conf.taskCpus()).isEqualTo(1);
    assertThat(conf.coarseTasksInFlightPerSlot()).isEqualTo(64);
    assertThat(conf.taskMaxFailures()).isEqualTo(4);
    assertThat(conf.excludeMaxFailuresPerAgent()).isEqualTo(2);
    assertThat(conf.excludeTimeout()).isEqualTo(Duration.ofHours(1));
    // An embedded master keeps the driver port on loopback; a real cluster's default is every interface.
    assertThat(conf.driverBindAddress()).isEqualTo("127.0.0.1");
    assertThat(conf.driverHost()).isEqualTo("127.0.0.1");
    assertThat(conf.driverPort()).isZero();
    assertThat(conf.driverAdvertisedPort()).as("0: executors are told the bound port").isZero();
    FerryConf cluster = FerryConf.load(Map.of("ferry.master", "mesos://m:5050", "ferry.executor.uri", "file:///x.tgz"),
        Map.of(), env());
    assertThat(cluster.driverBindAddress()).isEqualTo("0.0.0.0");
    assertThat(cluster.driverHost()).isNotBlank();
    assertThat(conf.rpcHeartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(conf.rpcHeartbeatTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(conf.rpcMaxFrameSize()).isEqualTo(128 << 20);
    assertThat(conf.rpcHandshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(conf.rpcMaxPendingHandshakes()).isEqualTo(256);
    assertThat(conf.mesosFailoverTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(conf.mesosCheckpoint()).isTrue();
    assertThat(conf.mesosFetcherCache()).isFalse();
    assertThat(conf.mesosRejectOfferDuration()).isEqualTo(Duration.ofSeconds(120));
    assertThat(conf.mesosUser()).isEqualTo(System.getProperty("user.name"));
    assertThat(conf.mesosConstraints().isEmpty()).isTrue();
    assertThat(conf.mesosSecret()).isEmpty();
  }

  @Test
  void explicitBeatsSystemPropertiesBeatTheFileBeatsTheEnvironment() throws Exception {
    defaultsFile("# comment", "ferry.master mesos://file:5050", "ferry.app.name=from-file",
        "ferry.executor.memory = 2g", "ferry.executor.uri  http://repo/ferry.tgz?sig=a=b");
    Map<String, String> env = Map.of("FERRY_CONF_DIR", confDir.toString(), "FERRY_MASTER", "mesos://env:5050",
        "FERRY_EXECUTOR_URI", "http://env/ferry.tgz");
    FerryConf fileWins = FerryConf.load(Map.of(), Map.of("java.version", "17"), env);
    assertThat(fileWins.master()).isEqualTo(new MasterUrl.Mesos("file", 5050));
    assertThat(fileWins.appName()).isEqualTo("from-file");
    assertThat(fileWins.executorMemoryMb()).isEqualTo(2048);
    assertThat(fileWins.executorMemoryOverheadMb()).isEqualTo(384);
    assertThat(fileWins.executorUri()).hasValue("http://repo/ferry.tgz?sig=a=b");

    FerryConf propertyWins = FerryConf.load(Map.of(), Map.of("ferry.app.name", "from-property",
        "ferry.executor.memory", "8g"), env);
    assertThat(propertyWins.appName()).isEqualTo("from-property");
    assertThat(propertyWins.executorMemoryOverheadMb()).isEqualTo(819);

    FerryConf explicitWins = FerryConf.load(Map.of("ferry.app.name", "explicit"), Map.of("ferry.app.name", "prop"), env);
    assertThat(explicitWins.appName()).isEqualTo("explicit");

    FerryConf envOnly = FerryConf.load(Map.of(), Map.of(), Map.of("FERRY_MASTER", "mesos://env:5050",
        "FERRY_EXECUTOR_URI", "http://env/ferry.tgz"));
    assertThat(envOnly.master()).isEqualTo(new MasterUrl.Mesos("env", 5050));
    assertThat(envOnly.executorUri()).hasValue("http://env/ferry.tgz");
  }

  @Test
  void everyProblemIsReportedTogetherNamingKeyValueAndOrigin() throws Exception {
    defaultsFile("ferry.rpc.heartbeatInterval 2x", "ferry.task.cpus");
    assertThatThrownBy(() -> FerryConf.load(Map.of("ferry.master", "mesos://h:5050", "ferry.executor.memory", "lots",
        "ferry.mesos.coarse", "yes", "ferry.driver.port", "70000", "ferry.mesos.constraints", ":x"),
        Map.of("ferry.mesos.failoverTimeout", "10 fortnights"), env()))
        .isInstanceOfSatisfying(FerryConfException.class, e -> {
          assertThat(e.problems()).hasSize(8);
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("ferry.executor.memory: 'lots' from explicit setting")
              .contains("512m or 1g"));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("ferry.mesos.coarse: 'yes'").contains("true or false"));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("ferry.driver.port: '70000'").contains("0 to 65535"));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("ferry.mesos.constraints: ':x'"));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p)
              .startsWith("ferry.mesos.failoverTimeout: '10 fortnights' from system property -Dferry.mesos.failoverTimeout"));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("ferry.rpc.heartbeatInterval: '2x' from "
              + confDir.resolve("ferry-defaults.conf") + ":1"));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("ferry.task.cpus: no value at"));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("ferry.executor.uri: missing"));
          assertThat(e.getMessage()).startsWith("invalid Ferry configuration (8 problems):");
        });
  }

  @Test
  void aMissingOrBadMasterIsOneClearLine() {
    assertThatThrownBy(() -> FerryConf.load(Map.of(), Map.of(), env()))
        .isInstanceOfSatisfying(FerryConfException.class, e -> assertThat(e.problems()).singleElement()
            .satisfies(p -> assertThat(p).startsWith("ferry.master: missing").contains("FERRY_MASTER").contains("local-cluster")));
    assertThatThrownBy(() -> FerryConf.load(Map.of("ferry.master", "yarn"), Map.of(), env()))
        .isInstanceOfSatisfying(FerryConfException.class, e -> assertThat(e.problems()).singleElement()
            .satisfies(p -> assertThat(p).contains("'yarn' is not a master URL").contains("mesos://host:port")
                .contains("explicit setting")));
  }

  @Test
  void unknownKeysAreErrorsWithADidYouMean() {
    assertThatThrownBy(() -> FerryConf.load(Map.of("ferry.master", "local", "ferry.executor.memroy", "2g",
        "ferry.completely.different", "x"), Map.of("ferry.mesos.corse", "true"), env()))
        .isInstanceOfSatisfying(FerryConfException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "ferry.completely.different: unknown key (from explicit setting); see conf/ferry-defaults.conf.template for every key",
            "ferry.executor.memroy: unknown key (from explicit setting); did you mean ferry.executor.memory?",
            "ferry.mesos.corse: unknown key (from system property -Dferry.mesos.corse); did you mean ferry.mesos.coarse?"));
  }

  @Test
  void theSecretComesFromAFileOrTheEnvironmentAndIsNeverPrinted() throws Exception {
    Path secretFile = confDir.resolve("secret");
    Files.writeString(secretFile, "hunter2\n");
    FerryConf fromFile = FerryConf.load(Map.of("ferry.master", "local", "ferry.mesos.principal", "ferry",
        "ferry.mesos.secretFile", secretFile.toString()), Map.of(), env());
    assertThat(fromFile.mesosSecret()).hasValue("hunter2");
    assertThat(fromFile.toString()).contains("mesosSecret=[REDACTED]").doesNotContain("hunter2");

    FerryConf fromEnv = FerryConf.load(Map.of("ferry.master", "local", "ferry.mesos.principal", "ferry"), Map.of(),
        Map.of("FERRY_MESOS_SECRET", "envsecret"));
    assertThat(fromEnv.mesosSecret()).hasValue("envsecret");
    assertThat(fromEnv.toString()).doesNotContain("envsecret");

    assertThatThrownBy(() -> FerryConf.load(Map.of("ferry.master", "local", "ferry.mesos.secret", "plain"), Map.of(), env()))
        .isInstanceOfSatisfying(FerryConfException.class, e -> assertThat(e.problems()).singleElement()
            .satisfies(p -> assertThat(p).startsWith("ferry.mesos.secret: not accepted").contains("FERRY_MESOS_SECRET")
                .doesNotContain("plain")));
    assertThatThrownBy(() -> FerryConf.load(Map.of("ferry.master", "local"), Map.of(), Map.of("FERRY_MESOS_SECRET", "s")))
        .hasMessageContaining("ferry.mesos.principal: missing");
    assertThatThrownBy(() -> FerryConf.load(Map.of("ferry.master", "local", "ferry.mesos.principal", "p",
        "ferry.mesos.secretFile", confDir.resolve("absent").toString()), Map.of(), env()))
        .hasMessageContaining("ferry.mesos.secretFile: '" + confDir.resolve("absent")).hasMessageContaining("cannot be read");
  }

  @Test
  void zooKeeperPasswordsAreRedactedToo() {
    FerryConf conf = FerryConf.load(Map.of("ferry.master", "mesos://zk://bob:pw123@zk1:2181,zk2:2181/mesos",
        "ferry.executor.uri", "file:///x.tgz"), Map.of(), env());
    assertThat(conf.master()).isEqualTo(new MasterUrl.ZooKeeper("zk1:2181,zk2:2181", "/mesos", java.util.Optional.of("bob:pw123")));
    assertThat(conf.toString()).doesNotContain("pw123").contains("[REDACTED]@zk1:2181");
  }

  @Test
  void typedValues() {
    FerryConf conf = FerryConf.load(Map.ofEntries(Map.entry("ferry.master", "mesos://10.0.0.5"),
        Map.entry("ferry.cores.max", "8"), Map.entry("ferry.executor.memory", "512"),
        Map.entry("ferry.executor.memoryOverhead", "100m"), Map.entry("ferry.rpc.maxFrameSize", "4m"),
        Map.entry("ferry.excludeOnFailure.timeout", "90min"), Map.entry("ferry.mesos.rejectOfferDuration", "500ms"),
        Map.entry("ferry.jars", "a.jar, b.jar,,"), Map.entry("ferry.mesos.role", "analytics,batch"),
        Map.entry("ferry.mesos.constraints", "zone:a,b;gpu"), Map.entry("ferry.mesos.uris", "http://x/y.conf"),
        Map.entry("ferry.executor.uri", "file:///x.tgz")),
        Map.of(), env());
    assertThat(conf.master()).isEqualTo(new MasterUrl.Mesos("10.0.0.5", 5050));
    assertThat(conf.coresMax()).hasValue(8);
    assertThat(conf.executorMemoryMb()).isEqualTo(512);
    assertThat(conf.executorMemoryOverheadMb()).isEqualTo(100);
    assertThat(conf.rpcMaxFrameSize()).isEqualTo(4 << 20);
    assertThat(conf.excludeTimeout()).isEqualTo(Duration.ofMinutes(90));
    assertThat(conf.mesosRejectOfferDuration()).isEqualTo(Duration.ofMillis(500));
    assertThat(conf.jars()).containsExactly("a.jar", "b.jar");
    assertThat(conf.mesosRoles()).containsExactly("analytics", "batch");
    assertThat(conf.mesosConstraints().required()).containsOnlyKeys("zone", "gpu");
    assertThat(conf.mesosUris()).containsExactly("http://x/y.conf");
    assertThat(conf.executorUri()).hasValue("file:///x.tgz");
    assertThat(conf.get("ferry.cores.max")).hasValue("8");
  }

  @Test
  void theTemplateListsEveryKeyWithAValidExample() throws Exception {
    Map<String, String> examples = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(Path.of("../conf/ferry-defaults.conf.template"))) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^# (ferry\\.\\S+)\\s+(\\S.*)$").matcher(line);
      if (m.matches()) {
        examples.put(m.group(1), m.group(2));
      }
    }
    assertThat(examples.keySet()).containsExactlyInAnyOrderElementsOf(FerryConf.knownKeys().keySet());
    Path secret = confDir.resolve("secret");
    Files.writeString(secret, "s");
    examples.put("ferry.mesos.secretFile", secret.toString());
    // An installed distribution and an image exclude each other: each example is checked without the other.
    String home = examples.remove("ferry.mesos.executor.home");
    FerryConf conf = FerryConf.load(examples, Map.of(), env());
    assertThat(conf.mesosConstraints().toString()).isEqualTo("os:centos7;zone:us-east-1a,us-east-1b");
    examples.remove("ferry.mesos.executor.docker.image");
    examples.remove("ferry.mesos.executor.docker.forcePullImage");
    examples.put("ferry.mesos.executor.home", home);
    assertThat(FerryConf.load(examples, Map.of(), env()).mesosLaunch().executorHome()).hasValue(home);
  }

  @Test
  void theProgressDisplayIsAutoAlwaysOrNeverAndABadValueNamesTheKey() throws Exception {
    assertThat(FerryConf.load(Map.of("ferry.master", "local[1]"), Map.of(), env()).uiProgress())
        .isEqualTo(ProgressMode.AUTO);
    defaultsFile("ferry.ui.progress NEVER");
    assertThat(FerryConf.load(Map.of("ferry.master", "local[1]"), Map.of(), env()).uiProgress())
        .isEqualTo(ProgressMode.NEVER);
    assertThat(FerryConf.load(Map.of("ferry.master", "local[1]"), Map.of("ferry.ui.progress", "always"), env())
        .uiProgress()).isEqualTo(ProgressMode.ALWAYS);
    assertThatThrownBy(() -> FerryConf.load(Map.of("ferry.master", "local[1]", "ferry.ui.progress", "fancy"),
        Map.of(), env()))
        .isInstanceOf(FerryConfException.class)
        .hasMessageContaining("ferry.ui.progress: 'fancy' from explicit setting (expected: auto, always or never)");
  }

  @Test
  void theAdvertisedPortIsAPortOrAnError() {
    FerryConf conf = FerryConf.load(Map.of("ferry.master", "local[1]", "ferry.driver.port", "7077",
        "ferry.driver.advertisedPort", "31000"), Map.of(), env());
    assertThat(conf.driverPort()).isEqualTo(7077);
    assertThat(conf.driverAdvertisedPort()).isEqualTo(31000);
    assertThatThrownBy(() -> FerryConf.load(Map.of("ferry.master", "local[1]", "ferry.driver.advertisedPort", "70000"),
        Map.of(), env())).isInstanceOf(FerryConfException.class).hasMessageContaining("ferry.driver.advertisedPort");
  }

  @Test
  void theDriverPortsHandshakeLimits() {
    FerryConf conf = FerryConf.load(Map.of("ferry.master", "local[1]", "ferry.rpc.handshakeTimeout", "3s",
        "ferry.rpc.maxPendingHandshakes", "32"), Map.of(), env());
    assertThat(conf.rpcHandshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(conf.rpcMaxPendingHandshakes()).isEqualTo(32);
    assertThatThrownBy(() -> FerryConf.load(Map.of("ferry.master", "local[1]", "ferry.rpc.maxPendingHandshakes", "0",
        "ferry.rpc.handshakeTimeout", "0s"), Map.of(), env())).isInstanceOf(FerryConfException.class)
        .hasMessageContaining("ferry.rpc.maxPendingHandshakes: '0'").hasMessageContaining("ferry.rpc.handshakeTimeout");
  }

  @Test
  void aFrameLimitBelowOneJarChunkIsAConfigurationError() {
    // The driver port streams jars in 1 MiB chunks; the rpc server refuses frames below 2 MiB.
    assertThatThrownBy(() -> FerryConf.load(Map.of("ferry.master", "local[1]", "ferry.rpc.maxFrameSize", "1m"),
        Map.of(), env())).isInstanceOf(FerryConfException.class)
        .hasMessageContaining("ferry.rpc.maxFrameSize: '1m'").hasMessageContaining("from 2m to 2047m");
  }
}
