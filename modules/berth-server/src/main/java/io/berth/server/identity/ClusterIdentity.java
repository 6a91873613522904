package io.berth.server.identity;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Which cluster a member belongs to, and the Raft group id derived from it.
 *
 * <p>The group id is a pure function of (namespace, name): a name-based UUID of
 * {@code "berth/<namespace>/<name>"}. Every member computes the same id from its own configuration, so no member
 * has to create the group and tell the others, and two clusters in different namespaces, or two StatefulSets
 * in one namespace, never share a group id. Changing either part is changing the cluster: the id is written
 * to every member's volume ({@link IdentityMarker}) and a mismatch stops the member.
 *
 * @param namespace the Kubernetes namespace ({@value #DEFAULT_NAMESPACE} for a hand-started cluster)
 * @param name      the StatefulSet's name ({@value #DEFAULT_NAME} for a hand-started cluster)
 */
public record ClusterIdentity(String namespace, String name) {
  public static final String DEFAULT_NAMESPACE = "default";
  public static final String DEFAULT_NAME = "berth";

  public ClusterIdentity {
    DnsName.requireLabel("namespace", namespace);
    DnsName.requireLabel("cluster name", name);
  }

  /** The Raft group id: {@code UUID.nameUUIDFromBytes("berth/<namespace>/<name>")}. */
  public UUID groupId() {
    return UUID.nameUUIDFromBytes(("berth/" + namespace + "/" + name).getBytes(StandardCharsets.UTF_8));
  }

  /** The human-readable cluster id, {@code <namespace>/<name>}, as stored in the identity marker. */
  public String clusterId() {
    return namespace + "/" + name;
  }

  @Override
  public String toString() {
    return clusterId();
  }
}
