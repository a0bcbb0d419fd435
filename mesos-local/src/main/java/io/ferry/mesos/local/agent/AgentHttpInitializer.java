package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.ThreadTimers;
import io.ferry.mesos.recordio.RecordIoEncoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** An agent's HTTP pipeline: codec, aggregated requests, RecordIO framing of stream records, the API. */
public final class AgentHttpInitializer extends ChannelInitializer<SocketChannel> {

  /** SUBSCRIBE carries every unacknowledged task and update; generous, but bounded. */
  static final int MAX_REQUEST_BYTES = 64 * 1024 * 1024;

  private final AgentCore core;
  private final ThreadTimers agent;
  private final ExecutorGate.View view;

  public AgentHttpInitializer(AgentCore core, ThreadTimers agent, ExecutorGate.View view) {
    this.core = core;
    this.agent = agent;
    this.view = view;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast("http", new HttpServerCodec())
        .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
        .addLast("recordio", new RecordIoEncoder())
        .addLast("api", new ExecutorApiHandler(core, agent, view));
  }
}
