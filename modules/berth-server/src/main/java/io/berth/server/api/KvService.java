package io.berth.server.api;

import io.berth.proto.internal.v1.Command;
import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.CompareAndSetOp;
import io.berth.proto.internal.v1.DeleteOp;
import io.berth.proto.internal.v1.GetQuery;
import io.berth.proto.internal.v1.PutOp;
import io.berth.proto.internal.v1.Query;
import io.berth.proto.internal.v1.QueryResult;
import io.berth.proto.internal.v1.RangeQuery;
import io.berth.proto.v1.CompareAndSetRequest;
import io.berth.proto.v1.CompareAndSetResponse;
import io.berth.proto.v1.Consistency;
import io.berth.proto.v1.DeleteRequest;
import io.berth.proto.v1.DeleteResponse;
import io.berth.proto.v1.GetRequest;
import io.berth.proto.v1.GetResponse;
import io.berth.proto.v1.IdempotencyKey;
import io.berth.proto.v1.KVGrpc;
import io.berth.proto.v1.PutRequest;
import io.berth.proto.v1.PutResponse;
import io.berth.proto.v1.ResponseHeader;
import io.berth.proto.v1.ScanRequest;
import io.berth.proto.v1.ScanResponse;
import io.berth.server.raft.RaftNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The KV service: validate, turn into a command or query, delegate to the Raft node, map the outcome. Every
 * handler is a few lines; all the semantics live in the state machine's applier.
 */
public final class KvService extends KVGrpc.KVImplBase {
  private final RaftNode raft;
  private final Limits limits;
  private final Clock clock;

  public KvService(RaftNode raft, Limits limits, Clock clock) {
    this.raft = raft;
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public void put(PutRequest request, StreamObserver<PutResponse> out) {
    limits.checkKey(request.getKey(), "key");
    limits.checkValue(request.getValue());
    final Command.Builder command = stamp(request.hasIdempotency(), request.getIdempotency())
        .setPut(PutOp.newBuilder().setKey(request.getKey()).setValue(request.getValue())
            .setPrevKv(request.getPrevKv()));
    write(command.build(), out, r -> {
      final PutResponse.Builder response = PutResponse.newBuilder().setHeader(header(r.getRevision()))
          .setKv(Protos.toPublic(r.getCurrent(), request.getKey(), request.getValue()))
          .setDeduplicated(r.getDeduplicated());
      if (request.getPrevKv() && r.hasPrevious()) {
        response.setPrevKv(Protos.toPublic(r.getPrevious(), request.getKey(), r.getPrevious().getValue()));
      }
      return response.build();
    });
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<DeleteResponse> out) {
    limits.checkKey(request.getKey(), "key");
    final Command.Builder command = stamp(request.hasIdempotency(), request.getIdempotency())
        .setDelete(DeleteOp.newBuilder().setKey(request.getKey()).setPrevKv(request.getPrevKv()));
    write(command.build(), out, r -> {
      final DeleteResponse.Builder response = DeleteResponse.newBuilder().setHeader(header(r.getRevision()))
          .setDeleted(r.hasPrevious() ? 1 : 0).setDeduplicated(r.getDeduplicated());
      if (request.getPrevKv() && r.hasPrevious()) {
        response.setPrevKv(Protos.toPublic(r.getPrevious(), request.getKey(), r.getPrevious().getValue()));
      }
      return response.build();
    });
  }

  @Override
  public void compareAndSet(CompareAndSetRequest request, StreamObserver<CompareAndSetResponse> out) {
    limits.checkKey(request.getKey(), "key");
    final CompareAndSetOp.Builder op = CompareAndSetOp.newBuilder().setKey(request.getKey());
    switch (request.getExpectCase()) {
      case EXPECT_VERSION -> op.setExpectVersion(request.getExpectVersion());
      case EXPECT_MOD_REVISION -> op.setExpectModRevision(request.getExpectModRevision());
      case EXPECT_VALUE -> {
        limits.checkValue(request.getExpectValue());
        op.setExpectValue(request.getExpectValue());
      }
      case EXPECT_NOT_SET -> throw invalid("compare-and-set needs an expectation: expect_version, "
          + "expect_mod_revision or expect_value");
    }
    switch (request.getThenCase()) {
      case PUT_VALUE -> {
        limits.checkValue(request.getPutValue());
        op.setPutValue(request.getPutValue());
      }
      case DELETE -> op.setDelete(true);
      case THEN_NOT_SET -> throw invalid("compare-and-set needs an action: put_value or delete");
    }
    final Command command = stamp(request.hasIdempotency(), request.getIdempotency()).setCompareAndSet(op).build();
    write(command, out, r -> {
      final CompareAndSetResponse.Builder response = CompareAndSetResponse.newBuilder()
          .setHeader(header(r.getRevision())).setSucceeded(r.getSucceeded()).setDeduplicated(r.getDeduplicated());
      if (r.getSucceeded() && r.hasCurrent()) {
        response.setKv(Protos.toPublic(r.getCurrent(), request.getKey(), request.getPutValue()));
      } else if (!r.getSucceeded() && r.hasPrevious()) {
        response.setKv(Protos.toPublic(r.getPrevious(), request.getKey(), r.getPrevious().getValue()));
      }
      return response.build();
    });
  }

  @Override
  public void get(GetRequest request, StreamObserver<GetResponse> out) {
    limits.checkKey(request.getKey(), "key");
    final Query query = Query.newBuilder().setGet(GetQuery.newBuilder().setKey(request.getKey())).build();
    read(query, request.getConsistency(), out, r -> {
      final GetResponse.Builder response = GetResponse.newBuilder().setHeader(header(r.getRevision()));
      if (r.getKvsCount() > 0) {
        response.setFound(true).setKv(Protos.toPublic(r.getKvs(0)));
      }
      return response.build();
    });
  }

  @Override
  public void scan(ScanRequest request, StreamObserver<ScanResponse> out) {
    final RangeQuery.Builder range = RangeQuery.newBuilder()
        .setLimit(request.getLimit()).setKeysOnly(request.getKeysOnly()).setCountOnly(request.getCountOnly());
    if (request.getLimit() < 0) {
      throw invalid("limit must not be negative, got " + request.getLimit());
    }
    if (!request.getPrefix().isEmpty()) {
      if (!request.getStart().isEmpty() || !request.getEnd().isEmpty()) {
        throw invalid("give either a prefix or a range [start, end), not both");
      }
      range.setStart(request.getPrefix()).setEnd(Protos.prefixEnd(request.getPrefix()));
    } else {
      range.setStart(request.getStart()).setEnd(request.getEnd());
    }
    read(Query.newBuilder().setRange(range).build(), request.getConsistency(), out, r -> ScanResponse.newBuilder()
        .setHeader(header(r.getRevision()))
        .addAllKvs(r.getKvsList().stream().map(Protos::toPublic).toList())
        .setCount(r.getCount())
        .setMore(r.getMore())
        .build());
  }

  private Command.Builder stamp(boolean hasKey, IdempotencyKey key) {
    final Command.Builder command = Command.newBuilder().setAcceptedAtUnixMillis(clock.millis());
    if (hasKey) {
      if (key.getClientId().isEmpty()) {
        throw invalid("idempotency.client_id must not be empty when an idempotency key is given");
      }
      command.setIdempotency(io.berth.proto.internal.v1.IdempotencyKey.newBuilder()
          .setClientId(key.getClientId()).setSequence(key.getSequence()));
    }
    return command;
  }

  private <T> void write(Command command, StreamObserver<T> out, Function<CommandResult, T> respond) {
    complete(raft.submit(command), out, respond, Errors::forWrite);
  }

  private <T> void read(Query query, Consistency consistency, StreamObserver<T> out,
      Function<QueryResult, T> respond) {
    if (consistency == Consistency.SERIALIZABLE) {
      final QueryResult result;
      try {
        result = raft.readLocal(query);
      } catch (RuntimeException e) {
        throw Errors.forRead(e);
      }
      out.onNext(respond.apply(result));
      out.onCompleted();
      return;
    }
    complete(raft.readLinearizable(query), out, respond, Errors::forRead);
  }

  private static <R, T> void complete(CompletableFuture<R> future, StreamObserver<T> out, Function<R, T> respond,
      Function<Throwable, StatusRuntimeException> onError) {
    future.whenComplete((result, error) -> {
      if (error != null) {
        out.onError(onError.apply(error));
        return;
      }
      final T response;
      try {
        response = respond.apply(result);
      } catch (RuntimeException e) {
        out.onError(Status.INTERNAL.withDescription("cannot build response: " + e).asRuntimeException());
        return;
      }
      out.onNext(response);
      out.onCompleted();
    });
  }

  private ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).setMember(raft.selfId()).setRaftTerm(raft.term()).build();
  }

  private static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
