package org.apache.ratis.server.impl;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.LogAppender;

/**
 * Test-only access to Ratis' leader internals (hence this package), to put a leader in the state Ratis 3.3
 * leaves behind when the log appender of a member that was being staged fails: the member is in the
 * configuration, and the leader has no appender for it. Written against Ratis 3.3.0; a Ratis upgrade that
 * renames these internals fails the test that uses it, loudly.
 */
public final class RatisLeaderInternals {
  private RatisLeaderInternals() {}

  /** Stops and forgets {@code leader}'s log appender for {@code follower}, as Ratis' failed restart does. */
  public static void dropLogAppender(RaftServer.Division leader, String follower) throws Exception {
    final LeaderStateImpl state = ((RaftServerImpl) leader).getRole().getLeaderStateNonNull();
    final LogAppender appender = state.getLogAppender(RaftPeerId.valueOf(follower))
        .orElseThrow(() -> new IllegalStateException("the leader has no log appender for " + follower));
    final Method stopAndRemove = LeaderStateImpl.class.getDeclaredMethod("stopAndRemoveSenders", Collection.class);
    stopAndRemove.setAccessible(true);
    stopAndRemove.invoke(state, List.of(appender));
  }
}
