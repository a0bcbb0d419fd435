package io.ferry.packager.internal;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses one block of a {@link ParallelGzipOutputStream} into a raw deflate piece that ends on
 * a byte boundary (or ends the stream), copying the block's <em>stored ranges</em> (bytes known to
 * be compressed already, e.g. a jar's entry data) into deflate STORED blocks instead of running
 * LZ77 over them.
 *
 * <p>The deflate stream stays one stream: a stored block adds its bytes to the decoder's 32 KiB
 * window like any other block, so before the next compressed segment the bytes the {@link Deflater}
 * did not see are handed to it with {@link Deflater#setDictionary} (zlib appends a raw stream's
 * dictionary to its window, or replaces the window with the last 32 KiB), and its matches keep
 * pointing at the right bytes. A compressed segment ends with a sync flush, whose empty stored
 * block ({@code 00 00 FF FF} after the 3 header bits) becomes the header of the stored data that
 * follows: its length is written in place of the zeros, which saves five bytes per segment.
 *
 * <p>One instance per worker thread; not thread-safe.
 */
final class BlockDeflater {

  static final int WINDOW = 32 * 1024;
  private static final int MAX_STORED = 0xFFFF;

  private final Deflater deflater;
  private byte[] out;
  private int size;

  /** A compressed piece: {@code bytes[0, length)}; the array may be handed back for reuse. */
  record Piece(byte[] bytes, int length) {}

  BlockDeflater(int level) {
    this.deflater = new Deflater(level, true);
  }

  /**
   * The raw deflate bytes of {@code data[0, length)}.
   *
   * @param dict the up to 32 KiB of input before this block, or null for the first block
   * @param stored block-relative {@code start, end} pairs to store, sorted, disjoint, in bounds
   * @param last whether this block ends the stream (its last deflate block is final)
   * @param reuse an array from an earlier piece to write into (null: a new one); the piece
   *     returned may be a larger one if this is too small
   */
  Piece compress(byte[] data, int length, byte[] dict, int[] stored, boolean last, byte[] reuse) {
    deflater.reset();
    size = 0;
    int need = length + (length >> 3) + 1024;
    out = reuse != null && reuse.length >= need ? reuse : new byte[need];
    boolean fresh = true;
    int seen = 0; // the deflater's window is current up to here (block-relative)
    int pos = 0;
    boolean afterSync = false; // the output ends with a sync flush's empty stored block
    for (int i = 0; i < stored.length; i += 2) {
      int start = stored[i];
      int end = stored[i + 1];
      if (start > pos) {
        prepareWindow(data, dict, pos, fresh, seen);
        fresh = false;
        deflate(data, pos, start - pos, false);
        seen = start;
        afterSync = true;
      }
      store(data, start, end, afterSync);
      afterSync = false;
      pos = end;
    }
    if (pos < length || last) {
      if (pos < length) {
        prepareWindow(data, dict, pos, fresh, seen);
      }
      deflate(data, pos, length - pos, last);
    }
    Piece piece = new Piece(out, size);
    out = null;
    return piece;
  }

  /** Gives the deflater the window the decoder will have at {@code pos}. */
  private void prepareWindow(byte[] data, byte[] dict, int pos, boolean fresh, int seen) {
    if (fresh) {
      int fromBlock = Math.min(pos, WINDOW);
      int fromDict = dict == null ? 0 : Math.min(dict.length, WINDOW - fromBlock);
      if (fromBlock + fromDict == 0) {
        return;
      }
      if (fromDict == 0) {
        deflater.setDictionary(data, pos - fromBlock, fromBlock);
      } else {
        byte[] window = new byte[fromDict + fromBlock];
        System.arraycopy(dict, dict.length - fromDict, window, 0, fromDict);
        System.arraycopy(data, pos - fromBlock, window, fromDict, fromBlock);
        deflater.setDictionary(window);
      }
    } else if (seen < pos) {
      // Appended to the window if shorter than it; a full window replaces it.
      int from = Math.max(seen, pos - WINDOW);
      deflater.setDictionary(data, from, pos - from);
    }
  }

  private void deflate(byte[] data, int off, int len, boolean finish) {
    deflater.setInput(data, off, len);
    if (finish) {
      deflater.finish();
    }
    while (true) {
      if (out.length - size < 64) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      int room = out.length - size;
      int n = finish
          ? deflater.deflate(out, size, room)
          : deflater.deflate(out, size, room, Deflater.SYNC_FLUSH);
      size += n;
      if (finish ? deflater.finished() : n < room) {
        return;
      }
    }
  }

  private void store(byte[] data, int start, int end, boolean afterSync) {
    int need = (end - start) + 5 * ((end - start) / MAX_STORED + 1) + 8;
    if (out.length - size < need) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, size + need));
    }
    boolean reuse = afterSync && size >= 4 && out[size - 4] == 0 && out[size - 3] == 0
        && out[size - 2] == (byte) 0xFF && out[size - 1] == (byte) 0xFF;
    for (int p = start; p < end; ) {
      int n = Math.min(MAX_STORED, end - p);
      if (reuse) {
        size -= 4; // the sync flush's empty stored block: its header bits are already written
        reuse = false;
      } else {
        out[size++] = 0; // BFINAL 0, BTYPE 00, padded to the byte boundary
      }
      out[size++] = (byte) n;
      out[size++] = (byte) (n >>> 8);
      out[size++] = (byte) ~n;
      out[size++] = (byte) (~n >>> 8);
      System.arraycopy(data, p, out, size, n);
      size += n;
      p += n;
    }
  }

  void end() {
    deflater.end();
  }
}
