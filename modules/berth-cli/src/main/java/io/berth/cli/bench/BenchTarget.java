package io.berth.cli.bench;

/**
 * A system under load, as the load generator sees it: blocking calls, safe to call from many threads at once.
 * A call returns when the system acknowledged it; it throws when the system failed it.
 */
public interface BenchTarget extends AutoCloseable {
  /** Writes {@code value} under {@code key}. */
  void put(byte[] key, byte[] value) throws Exception;

  /** A linearizable read of {@code key} (the value may be absent). */
  void get(byte[] key) throws Exception;

  /** A short name for the kind of a failure, to count failures by kind (a gRPC status code, a class name). */
  String errorKind(Throwable failure);

  @Override
  void close();
}
