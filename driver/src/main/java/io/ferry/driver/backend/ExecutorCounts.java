package io.ferry.driver.backend;

/**
 * Coarse mode's executors, as the driver counts them.
 *
 * @param live executors launched and not ended (starting, running, retiring)
 * @param added executors launched since the application began
 * @param retired executors the driver retired (idle, or past their max lifetime) and that ended
 */
public record ExecutorCounts(int live, int added, int retired) {}
