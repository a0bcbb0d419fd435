package io.ferry.mesos.local.webui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;

/**
 * Whether the browser tests run. {@code FERRY_BROWSER_TESTS=1} (which {@code .ci/run} exports when
 * it installed Debian's {@code chromium} and {@code chromium-driver}) makes them required: a
 * missing browser then fails them. {@code 0} skips them. Unset, they run when both are installed
 * and are skipped, saying why, when not.
 */
final class BrowserTests {

  private BrowserTests() {}

  static void assumeAvailable() {
    String flag = System.getenv("FERRY_BROWSER_TESTS");
    boolean installed = Files.isExecutable(HeadlessChromium.CHROMIUM) && Files.isExecutable(HeadlessChromium.CHROMEDRIVER);
    if ("1".equals(flag)) {
      if (!installed) {
        throw new AssertionError("FERRY_BROWSER_TESTS=1 but " + HeadlessChromium.CHROMIUM + " or "
            + HeadlessChromium.CHROMEDRIVER + " is missing: apt-get install chromium chromium-driver");
      }
      return;
    }
    assumeTrue(!"0".equals(flag), "browser tests switched off (FERRY_BROWSER_TESTS=0)");
    assumeTrue(installed, "browser test skipped: Debian's chromium and chromium-driver are not installed ("
        + HeadlessChromium.CHROMIUM + ", " + HeadlessChromium.CHROMEDRIVER + "); apt-get install chromium "
        + "chromium-driver, or run .ci/run, which installs them and sets FERRY_BROWSER_TESTS=1");
  }
}
