package io.ferry.driver.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OfferConstraintsTest {

  static Attribute text(String name, String value) {
    return Attribute.newBuilder().setName(name).setType(Value.Type.TEXT).setText(Value.Text.newBuilder().setValue(value)).build();
  }

  static Attribute scalar(String name, double value) {
    return Attribute.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  @Test
  void sparksRulesForEachAttributeType() {
    OfferConstraints c = OfferConstraints.parse("zone:a,b; gpu ;mem:8");
    assertThat(c.toString()).isEqualTo("zone:a,b;gpu;mem:8");
    assertThat(c.matches(List.of(text("zone", "b"), text("gpu", "x"), scalar("mem", 16)))).isTrue();
    assertThat(c.matches(List.of(text("zone", "c"), text("gpu", "x"), scalar("mem", 16)))).isFalse();
    assertThat(c.matches(List.of(text("zone", "a"), scalar("mem", 16)))).as("gpu absent").isFalse();
    assertThat(c.matches(List.of(text("zone", "a"), text("gpu", "x"), scalar("mem", 4)))).as("mem too small").isFalse();
    Attribute ports = Attribute.newBuilder().setName("rack").setType(Value.Type.RANGES).setRanges(Value.Ranges.newBuilder()
        .addRange(Value.Range.newBuilder().setBegin(10).setEnd(20))).build();
    assertThat(OfferConstraints.parse("rack:15").matches(List.of(ports))).isTrue();
    assertThat(OfferConstraints.parse("rack:25").matches(List.of(ports))).isFalse();
    Attribute set = Attribute.newBuilder().setName("tags").setType(Value.Type.SET)
        .setSet(Value.Set.newBuilder().addItem("ssd").addItem("fast")).build();
    assertThat(OfferConstraints.parse("tags:ssd,fast").matches(List.of(set))).isTrue();
    assertThat(OfferConstraints.parse("tags:ssd,slow").matches(List.of(set))).isFalse();
    assertThat(OfferConstraints.parse("").matches(List.of())).isTrue();
  }

  @Test
  void badSyntaxNamesThePart() {
    assertThatThrownBy(() -> OfferConstraints.parse("a:b:c")).hasMessageContaining("'a:b:c'");
    assertThatThrownBy(() -> OfferConstraints.parse("a:1;a:2")).hasMessageContaining("'a' twice");
  }
}
