package io.berth.server.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

/** The Ratis settings a member runs with, and the {@code -Draft.*} escape hatch over them. */
class RaftPropertiesTest {

  @Test
  void raftSystemPropertiesOverrideBerthsSettingsAndNothingElseIsCopied() {
    final RaftProperties p = RaftNode.serverProperties(RaftSettings.defaults(), Path.of("raft"), "127.0.0.1", 7380);
    assertEquals(RaftSettings.defaults().logPreserved(), RaftServerConfigKeys.Log.purgePreservationLogNum(p));
    assertEquals(true, RaftServerConfigKeys.Log.logMetadataEnabled(p), "Ratis' default, kept (see RaftNode)");
    assertEquals(false, RaftServerConfigKeys.Log.appendEntriesComposeEnabled(p),
        "followers append in order: with compose on a follower can apply a stale entry (see RaftNode)");
    final Properties system = new Properties();
    system.setProperty("raft.server.log.purge.preservation.log.num", "77");
    system.setProperty("raft.server.log.force.sync.num", "16");
    system.setProperty("berth.unrelated", "x");
    RaftNode.applyOverrides(p, system);
    assertEquals(77, RaftServerConfigKeys.Log.purgePreservationLogNum(p));
    assertEquals(16, RaftServerConfigKeys.Log.forceSyncNum(p));
    assertEquals(null, p.get("berth.unrelated"), "only raft.* keys are Ratis'");
  }
}
