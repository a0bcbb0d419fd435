package io.ferry.mesos.local.fetcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReasonTextTest {

  @Test
  void controlAndFormatCharactersAreEscapedSoTheyCannotForgeALineOrReachATerminal() {
    assertThat(ReasonText.quote("a\nb\rc\td\u001b[31me\u202ef\\g"))
        .isEqualTo("a\\nb\\rc\\td\\u001b[31me\\u202ef\\\\g");
  }

  @Test
  void longTextIsCutWithAnEllipsis() {
    assertThat(ReasonText.quote("x".repeat(500))).isEqualTo("x".repeat(ReasonText.MAX_QUOTED) + "…");
    assertThat(ReasonText.quote("short")).isEqualTo("short");
    assertThat(ReasonText.quote(null)).isEmpty();
  }

  @Test
  void aWholeLineKeepsItsBackslashesButNotItsNewlines() {
    assertThat(ReasonText.line("entry 'a\\nb'\nforged", 100)).isEqualTo("entry 'a\\nb'\\nforged");
  }

  @Test
  void sizesReadAsAPersonWouldSayThem() {
    assertThat(ReasonText.size(512)).isEqualTo("512 bytes");
    assertThat(ReasonText.size(4L * 1024 * 1024)).isEqualTo("4 MiB");
    assertThat(ReasonText.size(1536L * 1024 * 1024)).isEqualTo("1.5 GiB");
  }

  @Test
  void utf8BytesAreWhatTheFileSystemCounts() {
    assertThat(ReasonText.utf8Bytes("é")).isEqualTo(2);
  }
}
