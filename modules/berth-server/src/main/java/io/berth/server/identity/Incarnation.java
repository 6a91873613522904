package io.berth.server.identity;

import java.util.Collection;
import java.util.OptionalInt;

/**
 * Raft peer ids of a pod's incarnations. A pod's first incarnation has the pod's name as its peer id
 * ({@code berth-1}); a pod that lost its volume comes back as a new member, never as its old self, with the
 * next incarnation number after a {@code ~} ({@code berth-1~2}, then {@code berth-1~3}). The id is written to
 * the volume's identity marker, so the same volume always restarts as the same incarnation.
 */
public final class Incarnation {
  /** Separates the pod name from the incarnation number; not allowed in a pod name, so never ambiguous. */
  public static final char SEPARATOR = '~';

  private Incarnation() {}

  /** The pod of a peer id: {@code berth-1~2} and {@code berth-1} both belong to {@code berth-1}. */
  public static String pod(String peerId) {
    final int at = peerId.indexOf(SEPARATOR);
    return at < 0 ? peerId : peerId.substring(0, at);
  }

  /** The incarnation number of a peer id: 1 for a plain pod name, N for {@code pod~N}; empty if malformed. */
  public static OptionalInt number(String peerId) {
    final int at = peerId.indexOf(SEPARATOR);
    if (at < 0) {
      return OptionalInt.of(1);
    }
    final String digits = peerId.substring(at + 1);
    if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(digits));
  }

  /** True when {@code peerId} is {@code pod} itself or one of its incarnations. */
  public static boolean of(String peerId, String pod) {
    return pod(peerId).equals(pod) && number(peerId).isPresent();
  }

  /**
   * The peer id a new member for {@code pod} takes, given the ids already in the Raft configuration: the pod
   * name when none of them is an incarnation of it, else the next incarnation after the highest one.
   */
  public static String next(String pod, Collection<String> existing) {
    final int highest = existing.stream().filter(id -> of(id, pod))
        .mapToInt(id -> number(id).getAsInt()).max().orElse(0);
    return highest == 0 ? pod : pod + SEPARATOR + (highest + 1);
  }
}
