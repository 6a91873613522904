/**
 * Raft membership changes: which ones are safe (a pure {@link io.berth.server.membership.MembershipPlan}) and
 * how the leader carries them out ({@link io.berth.server.membership.MembershipService}); a member outside the
 * configuration asking to be added ({@link io.berth.server.membership.AutoJoin}). Membership never changes as a
 * side effect of a member stopping or starting.
 */
package io.berth.server.membership;
