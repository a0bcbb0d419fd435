package io.ferry.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class MesosDurationsTest {

  @Test
  void parsesEveryUnit() {
    assertThat(MesosDurations.parse("5secs")).isEqualTo(Duration.ofSeconds(5));
    assertThat(MesosDurations.parse("15mins")).isEqualTo(Duration.ofMinutes(15));
    assertThat(MesosDurations.parse("1.5mins")).isEqualTo(Duration.ofSeconds(90));
    assertThat(MesosDurations.parse("100ms")).isEqualTo(Duration.ofMillis(100));
    assertThat(MesosDurations.parse("2hrs")).isEqualTo(Duration.ofHours(2));
    assertThat(MesosDurations.parse("1weeks")).isEqualTo(Duration.ofDays(7));
    assertThat(MesosDurations.parse("7days")).isEqualTo(Duration.ofDays(7));
    assertThat(MesosDurations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(MesosDurations.parse("3ns")).isEqualTo(Duration.ofNanos(3));
  }

  @Test
  void formatsAsStoutDoes() {
    assertThat(MesosDurations.format(Duration.ofSeconds(5))).isEqualTo("5secs");
    assertThat(MesosDurations.format(Duration.ofMinutes(15))).isEqualTo("15mins");
    assertThat(MesosDurations.format(Duration.ofSeconds(90))).isEqualTo("1.5mins");
    assertThat(MesosDurations.format(Duration.ofSeconds(2))).isEqualTo("2secs");
    assertThat(MesosDurations.format(Duration.ofMillis(100))).isEqualTo("100ms");
    assertThat(MesosDurations.format(Duration.ZERO)).isEqualTo("0ns");
  }

  @Test
  void rejectsOtherForms() {
    for (String bad : new String[] {"5", "5s", "5 seconds", "-1secs", "", "secs"}) {
      assertThatThrownBy(() -> MesosDurations.parse(bad)).hasMessageContaining("not a Mesos duration");
    }
  }
}
