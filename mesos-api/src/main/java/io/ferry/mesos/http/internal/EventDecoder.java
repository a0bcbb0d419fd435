package io.ferry.mesos.http.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.http.MesosApi;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parses each RecordIO record into the API's Event type, in the stream's content type. */
final class EventDecoder extends MessageToMessageDecoder<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(EventDecoder.class);

  private final MesosApi<?, ?> api;
  private final ContentType contentType;
  private long records;

  EventDecoder(MesosApi<?, ?> api, ContentType contentType) {
    super(ByteBuf.class);
    this.api = api;
    this.contentType = contentType;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf record, List<Object> out) {
    records++;
    byte[] bytes = ByteBufUtil.getBytes(record);
    if (log.isTraceEnabled()) {
      log.trace("<- record {} ({} bytes): {}", records, bytes.length,
          contentType == ContentType.JSON ? Failures.bodyPrefix(bytes) : ByteBufUtil.hexDump(bytes, 0,
              Math.min(bytes.length, Failures.BODY_PREFIX)));
    }
    try {
      out.add(api.decodeEvent(contentType, bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new DecoderException("record " + records + " is not a valid " + api.name() + " Event in "
          + contentType.mediaType() + ": " + e.getMessage(), e);
    }
  }
}
