package io.ferry.driver.submit;

/** A test application for {@code ferry-submit}: prints what a --conf key left behind, if anything. */
public final class EchoApp {
  private EchoApp() {}

  public static void main(String[] args) {
    System.out.println("spark.foo=" + System.getProperty("spark.foo") + " ferry.app.name="
        + System.getProperty("ferry.app.name"));
  }
}
