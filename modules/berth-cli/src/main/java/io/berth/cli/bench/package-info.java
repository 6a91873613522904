/**
 * {@code berth bench}: a closed-loop load generator that drives Berth, or an etcd v3 endpoint through etcd's
 * own gRPC API, with one workload and one way of measuring, so the two systems are compared by one harness.
 */
package io.berth.cli.bench;
