package io.ferry.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PeerTextTest {
  @Test
  void controlCharactersBecomeVisibleEscapes() {
    assertThat(PeerText.escape("e-1\nWARN forged\r\t\u001b[31m\u0000\u007f\u0085"))
        .isEqualTo("e-1\\nWARN forged\\r\\t\\u001b[31m\\u0000\\u007f\\u0085");
    assertThat(PeerText.escape("a\\nb")).as("a literal backslash-n stays distinguishable").isEqualTo("a\\\\nb");
    assertThat(PeerText.escape("line\u2028sep \u202eevil")).isEqualTo("line\\u2028sep \\u202eevil");
  }

  @Test
  void printableTextIsKeptAndLongTextIsCut() {
    assertThat(PeerText.escape("ferry-exec-3 agent-ü 执行器")).isEqualTo("ferry-exec-3 agent-ü 执行器");
    assertThat(PeerText.escape("x".repeat(1000))).isEqualTo("x".repeat(256) + "...(744 more chars)");
    assertThat(PeerText.escape(null)).isEqualTo("null");
  }
}
