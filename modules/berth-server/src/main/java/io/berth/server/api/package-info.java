/**
 * The public gRPC API on the client port: thin handlers that validate a request, turn it into a replicated
 * command or a read, and map the outcome to a response or a gRPC status ({@link io.berth.server.api.KvService},
 * {@link io.berth.server.api.ClusterService}), plus the health services Kubernetes probes
 * ({@link io.berth.server.api.MemberHealth}).
 */
package io.berth.server.api;
