/**
 * Prometheus metrics of a member, served as text on the admin port's {@code /metrics}: berth's own (gRPC requests
 * and latency, Raft state, snapshots, RocksDB sizes), Ratis' Dropwizard metrics, and the JVM's.
 */
package io.berth.server.metrics;
