/**
 * Who this member is and who its peers are: the StatefulSet contract.
 *
 * <p>A member takes its name from {@code --name}, {@code POD_NAME} or the hostname ({@link MemberName}),
 * derives its peers from the headless Service's per-pod DNS names ({@link StatefulSetPeers}) or reads an
 * explicit list ({@link PeerList}), and derives the Raft group id from the cluster identity
 * ({@link ClusterIdentity}) so every member agrees without coordination. {@link MemberConfig#resolve} does all
 * of that once, validated, into one immutable value. {@link IdentityMarker} pins the member's identity to its
 * volume, and {@link StartMode} decides whether a volume may act as the voter it once was.
 *
 * <p>Plain Java on purpose: no Ratis types (the Raft wiring converts), no picocli (the CLI passes raw option
 * values in {@link MemberOptions}). Host names stay names; nothing here resolves DNS. Every mistake is reported
 * as a {@link ConfigException} with one line saying what is wrong, the value, and what to do.
 */
package io.berth.server.identity;
