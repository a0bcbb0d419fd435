package io.ferry.mesos.local.files;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * An agent's {@code /files/browse}, {@code /files/read}, {@code /files/download} and
 * {@code /files/debug}, answered as Mesos 1.12's {@code FilesProcess} answers them
 * ({@code src/files/files.cpp}): the same parameters, checks, messages and JSON, Mesos's optional
 * {@code jsonp=<callback>} on the JSON answers. The query is parsed on the event loop; everything
 * that touches the file system runs on {@code io} (the agent's files pool), which writes the
 * response (Netty makes that safe). A download's body is sent as a file region: the event loop
 * hands the socket what it accepts, never reading the whole file.
 */
public final class FilesEndpoint {

  /** Where the endpoints live on the agent's port. */
  public static final String PREFIX = "/files/";

  private final SandboxFiles files;
  private final SandboxReader reader;
  private final Executor io;

  public FilesEndpoint(SandboxFiles files, Executor io) {
    this.files = files;
    this.reader = new SandboxReader(files);
    this.io = io;
  }

  public static boolean serves(String path) {
    return path.startsWith(PREFIX);
  }

  /** On the event loop: {@code path} is the request's decoded path, {@code uri} the raw one. */
  public void handle(Channel channel, String path, String uri, boolean keepAlive) {
    Map<String, List<String>> query;
    try {
      // libprocess's query::decode: pairs split on '&' and ';', each decoded once, the last of a key kept.
      query = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, 1024, false).parameters();
    } catch (IllegalArgumentException malformed) {
      write(channel, SandboxReader.Answer.text(400, "Malformed query: " + malformed.getMessage() + ".\n"), keepAlive);
      return;
    }
    Optional<String> jsonp = last(query, "jsonp");
    if (jsonp.isPresent() && !Jsonp.valid(jsonp.get())) {
      write(channel, SandboxReader.Answer.text(400, Jsonp.PROBLEM), keepAlive);
      return;
    }
    switch (path) {
      case "/files/debug" -> respond(channel, debug(), jsonp, keepAlive);
      case "/files/browse", "/files/read", "/files/download" -> {
        Optional<String> requested = last(query, "path").filter(p -> !p.isEmpty()).map(FilesEndpoint::fromUri);
        if (requested.isEmpty()) {
          write(channel, SandboxReader.Answer.text(400, "Expecting 'path=value' in query.\n"), keepAlive);
          return;
        }
        Runnable work;
        if (path.equals("/files/browse")) {
          work = () -> respond(channel, reader.browse(requested.get()), jsonp, keepAlive);
        } else if (path.equals("/files/download")) {
          work = () -> download(channel, reader.download(requested.get()), keepAlive);
        } else {
          ReadRequest read = ReadRequest.parse(last(query, "offset"), last(query, "length"));
          if (read.problem() != null) {
            write(channel, SandboxReader.Answer.text(400, read.problem()), keepAlive);
            return;
          }
          work = () -> respond(channel, reader.read(requested.get(), read.offset(), read.length(),
              read.reportedOffset()), jsonp, keepAlive);
        }
        try {
          io.execute(work);
        } catch (RejectedExecutionException stopping) {
          write(channel, SandboxReader.Answer.text(503, "The agent is stopping.\n"), keepAlive);
        }
      }
      default -> write(channel, new SandboxReader.Answer(404, new byte[0]), keepAlive);
    }
  }

  /** Mesos's {@code path::from_uri}: an optional {@code file://} prefix is dropped. */
  private static String fromUri(String path) {
    return path.startsWith("file://") ? path.substring("file://".length()) : path;
  }

  private SandboxReader.Answer debug() {
    JsonBytes json = new JsonBytes().beginObject();
    files.mapping().forEach((virtual, real) -> json.key(virtual).value(real));
    return new SandboxReader.Answer(200, json.endObject().bytes());
  }

  /** libprocess's query map keeps the last of repeated keys. */
  private static Optional<String> last(Map<String, List<String>> query, String key) {
    List<String> values = query.get(key);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
  }

  /** A 200 is JSON (or JSONP); anything else is Mesos's text. */
  private static void respond(Channel channel, SandboxReader.Answer answer, Optional<String> jsonp, boolean keepAlive) {
    if (answer.status() != 200) {
      write(channel, answer, keepAlive);
      return;
    }
    byte[] body = jsonp.map(callback -> Jsonp.wrap(callback, answer.body())).orElse(answer.body());
    send(channel, 200, body, jsonp.isPresent() ? "text/javascript" : "application/json", keepAlive);
  }

  private static void write(Channel channel, SandboxReader.Answer answer, boolean keepAlive) {
    send(channel, answer.status(), answer.body(), answer.body().length > 0 ? "text/plain; charset=utf-8" : null,
        keepAlive);
  }

  private static void send(Channel channel, int status, byte[] body, String contentType, boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(body));
    if (contentType != null) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    HttpUtil.setContentLength(response, body.length);
    finish(channel.writeAndFlush(keepAlive(response, keepAlive)), keepAlive);
  }

  private static void download(Channel channel, SandboxReader.Outcome outcome, boolean keepAlive) {
    if (outcome instanceof SandboxReader.Answer refusal) {
      write(channel, refusal, keepAlive);
      return;
    }
    SandboxReader.Download file = (SandboxReader.Download) outcome;
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, MimeTypes.of(file.basename()));
    head.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=" + headerSafe(file.basename()));
    HttpUtil.setContentLength(head, file.size());
    channel.write(keepAlive(head, keepAlive));
    // What was there when the file was opened; a file that grows meanwhile is sent up to that size.
    channel.write(new DefaultFileRegion(file.channel(), 0, file.size()));
    finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
  }

  private static HttpResponse keepAlive(HttpResponse response, boolean keepAlive) {
    response.headers().set(HttpHeaderNames.CONNECTION,
        keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    return response;
  }

  private static void finish(ChannelFuture written, boolean keepAlive) {
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** A task may name a file with control characters; a header cannot carry them (Mesos sends them raw). */
  private static String headerSafe(String name) {
    StringBuilder out = new StringBuilder(name.length());
    name.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '_' : c));
    return out.toString();
  }
}
