package io.ferry.packager.testing;

import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes test jars entry by entry, deflated or stored (a stored entry needs its sizes and CRC up front), and finds bytes in them. */
public final class ZipEntries {
  private ZipEntries() {}

  /** Adds {@code data} as entry {@code name} with {@code method} ({@link ZipEntry#DEFLATED} or {@link ZipEntry#STORED}). */
  public static void put(ZipOutputStream zip, String name, byte[] data, int method) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(method);
    if (method == ZipEntry.STORED) {
      CRC32 crc = new CRC32();
      crc.update(data);
      e.setSize(data.length);
      e.setCompressedSize(data.length);
      e.setCrc(crc.getValue());
    }
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  /** Where {@code what} first occurs in {@code b}, or -1. */
  public static int indexOf(byte[] b, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= b.length; i++) {
      for (int k = 0; k < what.length; k++) {
        if (b[i + k] != what[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
