package io.ferry.packager.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A gzip stream compressed on several threads, the way pigz does it: the input is cut into
 * fixed-size blocks, each block is deflated on its own with the previous 32 KiB as a preset
 * dictionary and ends on a byte boundary (a sync flush), and the raw deflate pieces are written
 * in order between one gzip header and trailer. The result is a single ordinary gzip member that
 * gzip, GNU tar, Mesos's fetcher and {@link java.util.zip.GZIPInputStream} read.
 *
 * <p>The bytes written depend only on the input, the block size and the level: block boundaries
 * are fixed input offsets, so the output is identical for any number of threads. The header
 * carries mtime 0 and OS 3 (Unix) so that it does not vary with the clock or the platform.
 *
 * <p>Bytes the caller knows to be compressed already (a jar's entry data: level 6 gains about
 * 0.4% on them) can be marked with {@link #storeRange}; {@link BlockDeflater} copies them into
 * deflate STORED blocks instead of deflating them. The marks are input offsets, so the output still
 * depends only on the input, the marks, the block size and the level.
 *
 * <p>Threading: the caller writes and closes on one thread; compression runs on {@code threads}
 * workers named {@code ferry-gzip-N}, and the compressed blocks are written to {@code out} in order
 * by one more thread, {@code ferry-gzip-writer}, so that whatever {@code out} does (a digest for
 * the sidecar, the file write) does not hold up the thread that feeds the workers. At most
 * {@code 8 * threads} blocks are in flight, fewer if that would be more than 64 MiB of blocks, but
 * never fewer than {@code 2 * threads + 1}: most blocks of a jar are stored, not deflated, so each
 * costs its threads little work and the handoffs between them (a wake-up each, 50-100 µs on a loaded
 * virtual machine) are what a shallow queue waits on. With {@code 2 * threads + 1} blocks of 128 KiB,
 * {@code ferry-package build} of {@code dist/} took 0.90 s; with 16 or 48 in flight 0.82 s (2 cores;
 * packager/README.md, "Speed").
 *
 * <p>The tasks and thread factories are named classes, not lambdas: this is on the path of a
 * command in a new JVM, where the first lambdas cost their bootstrap (tens of classes loaded).
 */
public final class ParallelGzipOutputStream extends OutputStream {

  /**
   * 512 KiB, four times pigz's default. Most of a distribution's bytes are stored jar data (see
   * {@link #storeRange}), so a block costs its threads little work and the per-block costs set the
   * pace: handing it between threads, copying its dictionary, and setting that dictionary (zlib hashes
   * all 32 KiB of it). {@code ferry-package build} of {@code dist/} (2 cores): 128 KiB 0.82 s,
   * 256 KiB 0.79 s, 512 KiB 0.75-0.76 s, 1 MiB 0.78 s, 2 MiB 0.80 s; the archive is 2 KB smaller.
   */
  public static final int DEFAULT_BLOCK_SIZE = 512 * 1024;

  /** The most block bytes in flight, whatever the thread count: with the pieces, about twice this. */
  private static final long MAX_BYTES_IN_FLIGHT = 64L * 1024 * 1024;

  private static final int DICTIONARY = 32 * 1024;
  private static final byte[] HEADER = {
    0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3
  };

  private final OutputStream out;
  private final int level;
  private final int blockSize;
  private final int maxInFlight;
  private final ExecutorService workers;
  private final ExecutorService writer;
  private final List<BlockDeflater> deflaters = new CopyOnWriteArrayList<>();
  private final ThreadLocal<BlockDeflater> deflater;
  private final ArrayDeque<Future<?>> inFlight = new ArrayDeque<>();
  /** Marked ranges not yet wholly submitted: absolute {@code start, end} pairs in order. */
  private final ArrayDeque<long[]> storeRanges = new ArrayDeque<>();
  /** Block buffers the writer is done with, for the feeding thread to fill again. */
  private final ConcurrentLinkedQueue<byte[]> freeBlocks = new ConcurrentLinkedQueue<>();
  /** Compressed-piece arrays the writer is done with, for the workers to fill again. */
  private final ConcurrentLinkedQueue<byte[]> freePieces = new ConcurrentLinkedQueue<>();
  private long lastStoreEnd;
  private final CRC32 crc = new CRC32();

  private byte[] block;
  private int filled;
  private byte[] dictionary;
  private long totalIn;
  private boolean closed;

  public ParallelGzipOutputStream(OutputStream out, int level, int threads, int blockSize)
      throws IOException {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("level: " + level + " (expected: 0 to 9)");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    if (blockSize < DICTIONARY) {
      throw new IllegalArgumentException(
          "blockSize: " + blockSize + " (expected: >= " + DICTIONARY + ")");
    }
    this.out = out;
    this.level = level;
    this.blockSize = blockSize;
    this.maxInFlight = (int) Math.max(2L * threads + 1, Math.min(8L * threads, MAX_BYTES_IN_FLIGHT / blockSize));
    this.workers = Executors.newFixedThreadPool(threads, new DaemonThreads("ferry-gzip-", true));
    this.writer = Executors.newSingleThreadExecutor(new DaemonThreads("ferry-gzip-writer", false));
    this.deflater = new ThreadLocal<>() {
      @Override
      protected BlockDeflater initialValue() {
        BlockDeflater d = new BlockDeflater(level);
        deflaters.add(d);
        return d;
      }
    };
    this.block = new byte[blockSize];
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    while (len > 0) {
      if (filled == blockSize) {
        submit(false);
      }
      int n = Math.min(len, blockSize - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  /**
   * Marks the input bytes {@code [start, end)} (offsets as {@link #bytesIn} counts them) as
   * compressed already: they go into the stream as STORED blocks. Ranges must come in order, not
   * overlap and not start before the block being filled; a range that does not is ignored (the
   * bytes are then deflated as usual), as are empty ones.
   */
  public void storeRange(long start, long end) {
    if (start < end && start >= totalIn && start >= lastStoreEnd) {
      storeRanges.add(new long[] {start, end});
      lastStoreEnd = end;
    }
  }

  /** The number of uncompressed bytes written so far. */
  public long bytesIn() {
    return totalIn + filled;
  }

  private void submit(boolean last) throws IOException {
    byte[] data = filled == blockSize ? block : Arrays.copyOf(block, filled);
    int length = filled;
    crc.update(data, 0, length);
    totalIn += length;
    byte[] dict = dictionary;
    dictionary = Arrays.copyOfRange(data, Math.max(0, length - DICTIONARY), length);
    if (dict != null && length < DICTIONARY && dict.length > 0) {
      // A short final block still sees the full 32 KiB window before it.
      byte[] window = new byte[Math.min(DICTIONARY, dict.length + length)];
      int keep = window.length - length;
      System.arraycopy(dict, dict.length - keep, window, 0, keep);
      System.arraycopy(data, 0, window, keep, length);
      dictionary = window;
    }
    int[] stored = storedIn(totalIn - length, length);
    Future<BlockDeflater.Piece> piece = workers.submit(new Compress(data, length, dict, stored, last));
    inFlight.add(writer.submit(new Write(piece, data)));
    byte[] free = freeBlocks.poll();
    block = free != null ? free : new byte[blockSize];
    filled = 0;
    while (inFlight.size() >= maxInFlight) {
      drainOne();
    }
  }

  /** The marked ranges within the block {@code [from, from + length)}, block-relative. */
  private int[] storedIn(long from, int length) {
    long to = from + length;
    int[] found = new int[0];
    int n = 0;
    for (long[] r : storeRanges) {
      if (r[0] >= to) {
        break;
      }
      long start = Math.max(r[0], from);
      long end = Math.min(r[1], to);
      if (start < end) {
        if (n == found.length) {
          found = Arrays.copyOf(found, Math.max(8, 2 * n));
        }
        found[n++] = (int) (start - from);
        found[n++] = (int) (end - from);
      }
    }
    while (!storeRanges.isEmpty() && storeRanges.peekFirst()[1] <= to) {
      storeRanges.pollFirst();
    }
    return n == found.length ? found : Arrays.copyOf(found, n);
  }

  private void drainOne() throws IOException {
    Future<?> head = inFlight.poll();
    try {
      head.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof ExecutionException inner ? inner.getCause() : e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("compression failed: " + cause, cause);
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Compresses what is left, writes the gzip trailer and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      submit(true);
      while (!inFlight.isEmpty()) {
        drainOne();
      }
      long value = crc.getValue();
      byte[] trailer = new byte[8];
      for (int i = 0; i < 4; i++) {
        trailer[i] = (byte) (value >>> (8 * i));
        trailer[4 + i] = (byte) (totalIn >>> (8 * i));
      }
      out.write(trailer);
    } finally {
      abort();
      out.close();
    }
  }

  /** Stops the workers and frees native memory without writing anything more. */
  public void abort() {
    closed = true;
    for (Future<?> f : inFlight) {
      f.cancel(true);
    }
    inFlight.clear();
    writer.shutdownNow();
    workers.shutdownNow();
    for (BlockDeflater d : deflaters) {
      d.end();
    }
  }

  /** A worker's task: one block into a piece, in an array the writer handed back if there is one. */
  private final class Compress implements Callable<BlockDeflater.Piece> {
    private final byte[] data;
    private final int length;
    private final byte[] dict;
    private final int[] stored;
    private final boolean last;

    Compress(byte[] data, int length, byte[] dict, int[] stored, boolean last) {
      this.data = data;
      this.length = length;
      this.dict = dict;
      this.stored = stored;
      this.last = last;
    }

    @Override
    public BlockDeflater.Piece call() {
      return deflater.get().compress(data, length, dict, stored, last, freePieces.poll());
    }
  }

  /** The writer's task: a block's piece to {@code out}, in order; then both arrays go back for reuse. */
  private final class Write implements Callable<Void> {
    private final Future<BlockDeflater.Piece> piece;
    private final byte[] data;

    Write(Future<BlockDeflater.Piece> piece, byte[] data) {
      this.piece = piece;
      this.data = data;
    }

    @Override
    public Void call() throws Exception {
      BlockDeflater.Piece p = piece.get();
      out.write(p.bytes(), 0, p.length());
      freePieces.add(p.bytes());
      if (data.length == blockSize) {
        freeBlocks.add(data);
      }
      return null;
    }
  }

  /** Daemon threads named {@code prefix + N}, or {@code prefix} alone. No lambda: see the class doc. */
  private static final class DaemonThreads implements ThreadFactory {
    private final String name;
    private final boolean numbered;
    private final AtomicInteger ids = new AtomicInteger();

    DaemonThreads(String name, boolean numbered) {
      this.name = name;
      this.numbered = numbered;
    }

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, numbered ? name + ids.incrementAndGet() : name);
      t.setDaemon(true);
      return t;
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
  }
}
