package io.berth.client;

import java.nio.charset.StandardCharsets;

/**
 * A connection to a Berth cluster. Thread-safe: share one instance per application and {@link #close} it at
 * shutdown.
 *
 * <pre>{@code
 * try (BerthClient client = BerthClient.builder().endpoints("berth-0:7379", "berth-1:7379").build()) {
 *   client.put("greeting", "hello");
 *   String v = client.get("greeting").valueUtf8().orElseThrow();
 * }
 * }</pre>
 *
 * <h2>Failover and retries</h2>
 * Any member answers any request. A call goes first to the member that answered the previous call; when that
 * member is unreachable, has no leader ({@code UNAVAILABLE}) or does not answer within the per-request deadline
 * ({@code DEADLINE_EXCEEDED}), the call moves on to the next endpoint, with exponential backoff and jitter,
 * until it succeeds or its retry budget is spent ({@link ClusterUnavailableException}).
 *
 * <p><b>Writes are applied at most once.</b> Every write call carries one idempotency key (this client's id and
 * a per-call sequence number) that all of its retries reuse, so a write retried after a timeout, through the
 * same member or another, is applied at most once; a retry that finds it already applied returns its stored
 * result ({@code deduplicated() == true}). When the budget runs out, a write may or may not have been applied.
 *
 * <p>Rejections are never retried: {@link InvalidRequestException} (including {@link RequestTooLargeException})
 * and any other status the server answers with ({@link BerthException}).
 *
 * <p>Keys and values are bytes; the {@code String} overloads encode them as UTF-8. A key is 1 to 4096 bytes;
 * a value is at most the server's limit (1 MiB by default).
 */
public interface BerthClient extends AutoCloseable {

  /** A builder for a client; {@link BerthClientBuilder#endpoints endpoints} are required. */
  static BerthClientBuilder builder() {
    return new BerthClientBuilder();
  }

  /**
   * Sets {@code key} to {@code value}, creating it if absent; bumps the store revision by one.
   *
   * <p>Linearizable: once this returns, every read (linearizable, on any member) sees the write. Retried on
   * {@code UNAVAILABLE}/{@code DEADLINE_EXCEEDED} with the same idempotency key, so it is applied at most once.
   *
   * @throws ClusterUnavailableException when no member answered within the retry budget (the write may or may
   *                                     not have been applied)
   * @throws InvalidRequestException     for an empty key, or {@link RequestTooLargeException} for one over a limit
   */
  PutResult put(byte[] key, byte[] value);

  /** {@link #put(byte[], byte[])} with the key and value encoded as UTF-8. */
  default PutResult put(String key, String value) {
    return put(utf8(key), utf8(value));
  }

  /**
   * Like {@link #put(byte[], byte[])}, and also returns the key as it was just before this write
   * ({@link PutResult#prevKv()}), read atomically with it.
   */
  PutResult getAndPut(byte[] key, byte[] value);

  /** {@link #getAndPut(byte[], byte[])} with the key and value encoded as UTF-8. */
  default PutResult getAndPut(String key, String value) {
    return getAndPut(utf8(key), utf8(value));
  }

  /**
   * Reads one key, linearizably: the answer reflects every write acknowledged before this call started. Any
   * member may answer (it first catches up with the leader's commit index). Retried on another member on
   * {@code UNAVAILABLE}/{@code DEADLINE_EXCEEDED}.
   *
   * @throws ClusterUnavailableException when no member answered within the retry budget
   */
  default GetResult get(byte[] key) {
    return get(key, Consistency.LINEARIZABLE);
  }

  /** {@link #get(byte[])} with the key encoded as UTF-8. */
  default GetResult get(String key) {
    return get(utf8(key));
  }

  /**
   * Reads one key with the given consistency. {@link Consistency#SERIALIZABLE} reads the answering member's
   * local state: possibly stale, but available without a leader. Retried like {@link #get(byte[])}.
   */
  GetResult get(byte[] key, Consistency consistency);

  /** {@link #get(byte[], Consistency)} with the key encoded as UTF-8. */
  default GetResult get(String key, Consistency consistency) {
    return get(utf8(key), consistency);
  }

  /**
   * Deletes one key. Deleting a missing key succeeds with {@code deleted() == false} and leaves the revision
   * unchanged. Linearizable, and retried at most once-applied, like {@link #put(byte[], byte[])}.
   */
  DeleteResult delete(byte[] key);

  /** {@link #delete(byte[])} with the key encoded as UTF-8. */
  default DeleteResult delete(String key) {
    return delete(utf8(key));
  }

  /** Like {@link #delete(byte[])}, and also returns the deleted key ({@link DeleteResult#prevKv()}). */
  DeleteResult getAndDelete(byte[] key);

  /** {@link #getAndDelete(byte[])} with the key encoded as UTF-8. */
  default DeleteResult getAndDelete(String key) {
    return getAndDelete(utf8(key));
  }

  /**
   * Reads the keys starting with {@code prefix} in byte order (an empty prefix: every key). Consistency per
   * {@code options} (linearizable by default); retried like {@link #get(byte[])}.
   */
  ScanResult scanPrefix(byte[] prefix, ScanOptions options);

  /** At most {@code limit} keys (0 = no limit) and their values under {@code prefix}, linearizably. */
  default ScanResult scanPrefix(String prefix, long limit) {
    return scanPrefix(utf8(prefix), ScanOptions.defaults().withLimit(limit));
  }

  /**
   * Reads the keys in {@code [start, end)} in byte order; an empty {@code end} means "to the last key".
   * Consistency per {@code options} (linearizable by default); retried like {@link #get(byte[])}.
   */
  ScanResult scanRange(byte[] start, byte[] end, ScanOptions options);

  /** At most {@code limit} keys (0 = no limit) and their values in {@code [start, end)}, linearizably. */
  default ScanResult scanRange(String start, String end, long limit) {
    return scanRange(utf8(start), utf8(end), ScanOptions.defaults().withLimit(limit));
  }

  /**
   * Sets {@code key} to {@code value} only if {@code expect} holds. The comparison is decided when the command
   * is applied in log order, so two compare-and-sets from the same old state cannot both succeed. A failed
   * comparison is an answer ({@link CasResult#succeeded()} false, with the key as compared), not an exception.
   * Retried at most once-applied, like {@link #put(byte[], byte[])}: a retry of a CAS that was already applied
   * returns its first result.
   */
  CasResult compareAndSet(byte[] key, Expect expect, byte[] value);

  /** {@link #compareAndSet(byte[], Expect, byte[])} with the key and value encoded as UTF-8. */
  default CasResult compareAndSet(String key, Expect expect, String value) {
    return compareAndSet(utf8(key), expect, utf8(value));
  }

  /** Deletes {@code key} only if {@code expect} holds; otherwise like {@link #compareAndSet}. */
  CasResult compareAndDelete(byte[] key, Expect expect);

  /** {@link #compareAndDelete(byte[], Expect)} with the key encoded as UTF-8. */
  default CasResult compareAndDelete(String key, Expect expect) {
    return compareAndDelete(utf8(key), expect);
  }

  /**
   * Every member's role, addresses, indexes and health, plus the leader and term, as seen by the answering
   * member (which asks the others with a short deadline and lists the silent ones as unhealthy). Works without
   * a leader. Retried like {@link #get(byte[])}.
   */
  ClusterStatus status();

  /**
   * Hands leadership to the member named {@code target} (empty: the most caught-up follower) and waits until it
   * took over; returns the new leader's name. Retried only on {@code UNAVAILABLE}: after a
   * {@code DEADLINE_EXCEEDED} the transfer may be under way, so the call fails instead of starting another.
   *
   * @throws BerthException with the server's status (e.g. {@code FAILED_PRECONDITION}) when it refuses
   */
  String transferLeader(String target);

  /**
   * The Raft configuration with each member's progress as the leader sees it (forwarded to the leader; answered
   * from the member's own view when no leader is reachable). Retried like {@link #get(byte[])}.
   */
  Membership members();

  /**
   * Adds the member {@code name} (a pod name) as a non-voting listener; it must be running and waiting to join.
   * Another incarnation of the same pod is removed in the same change. Membership changes are retried only on
   * {@code UNAVAILABLE}.
   *
   * @throws BerthException {@code FAILED_PRECONDITION} when the change is refused (the message says why),
   *                        {@code ABORTED} when another change is in progress
   */
  Membership addMember(String name);

  /**
   * Makes the listener {@code name} a voter once it has caught up, waiting up to {@code timeoutMillis}.
   *
   * @throws BerthException {@code NOT_FOUND} for an unknown member, {@code FAILED_PRECONDITION} when refused
   */
  Membership promoteMember(String name, long timeoutMillis);

  /**
   * Removes the named members from the configuration in one change. Refused when it would remove a majority of
   * the voters or the last one, or leave fewer than a majority of the remaining voters live.
   *
   * @throws BerthException {@code NOT_FOUND} for an unknown member, {@code FAILED_PRECONDITION} when refused
   */
  Membership removeMembers(java.util.List<String> names);

  /**
   * Closes every connection, waiting briefly for calls in flight. Calls made afterwards throw
   * {@link IllegalStateException}. Idempotent.
   */
  @Override
  void close();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
