package io.berth.server.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.berth.proto.internal.v1.Command;
import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.Query;
import io.berth.proto.internal.v1.QueryResult;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The only place that converts between Ratis' shaded protobuf ({@code org.apache.ratis.thirdparty...}) and
 * Berth's plain protobuf messages. Every conversion is a byte copy at most; the two runtimes never share objects.
 */
public final class RaftCodec {
  private RaftCodec() {}

  /** Wraps a Berth message as a Ratis message. */
  public static Message toMessage(MessageLite message) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(message.toByteArray()));
  }

  public static Command command(ByteString logData) throws InvalidProtocolBufferException {
    return Command.parseFrom(logData.asReadOnlyByteBuffer());
  }

  public static Query query(Message message) throws InvalidProtocolBufferException {
    return Query.parseFrom(message.getContent().asReadOnlyByteBuffer());
  }

  public static CommandResult commandResult(Message message) throws InvalidProtocolBufferException {
    return CommandResult.parseFrom(message.getContent().asReadOnlyByteBuffer());
  }

  public static QueryResult queryResult(Message message) throws InvalidProtocolBufferException {
    return QueryResult.parseFrom(message.getContent().asReadOnlyByteBuffer());
  }
}
