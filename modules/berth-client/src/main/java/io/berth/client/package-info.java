/**
 * The Berth client library: everything an application needs to talk to a Berth cluster.
 *
 * <p>The public surface is one interface, {@link io.berth.client.BerthClient}, built by
 * {@link io.berth.client.BerthClient#builder()}; immutable result records; and one unchecked exception
 * hierarchy rooted at {@link io.berth.client.BerthException}. Everything else (the gRPC transport, failover,
 * backoff, the protobuf mapping) is package-private.
 */
package io.berth.client;
