/**
 * RecordIO, the framing of Mesos's event streams: each record is its length in decimal ASCII, a
 * {@code \n}, then exactly that many bytes. {@link io.ferry.mesos.recordio.RecordIoDecoder} and
 * {@link io.ferry.mesos.recordio.RecordIoEncoder} are Netty codecs for it.
 */
package io.ferry.mesos.recordio;
