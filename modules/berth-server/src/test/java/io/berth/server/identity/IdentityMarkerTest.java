package io.berth.server.identity;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.proto.internal.v1.MemberIdentity;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityMarkerTest {
  private static final String GROUP = new ClusterIdentity("prod", "berth").groupId().toString();

  @TempDir
  Path dataDir;

  private static MemberIdentity identity(String group, String peer, String cluster) {
    return MemberIdentity.newBuilder().setGroupId(group).setPeerId(peer).setClusterId(cluster)
        .setCreatedUnixMillis(1_718_000_000_000L).build();
  }

  @Test
  void absentMarkerReadsAsEmpty() {
    assertEquals(Optional.empty(), IdentityMarker.read(dataDir));
  }

  @Test
  void writtenMarkerReadsBack() {
    MemberIdentity written = identity(GROUP, "berth-1", "prod/berth");
    IdentityMarker.write(dataDir, written);
    assertEquals(Optional.of(written), IdentityMarker.read(dataDir));
    assertEquals(dataDir.resolve("IDENTITY"), IdentityMarker.path(dataDir));
  }

  @Test
  void markerIsHumanReadableAndLeavesNoTemporaryFile() throws Exception {
    IdentityMarker.write(dataDir, identity(GROUP, "berth-1", "prod/berth"));
    String text = Files.readString(dataDir.resolve("IDENTITY"));
    assertTrue(text.startsWith("# Berth member identity."), text);
    assertTrue(text.contains("peer_id: \"berth-1\""), text);
    assertTrue(text.contains("group_id: \"" + GROUP + "\""), text);
    assertFalse(Files.exists(dataDir.resolve("IDENTITY.tmp")));
  }

  @Test
  void writeCreatesAMissingDataDirectory() {
    Path nested = dataDir.resolve("a/b");
    IdentityMarker.write(nested, identity(GROUP, "berth-0", "prod/berth"));
    assertTrue(IdentityMarker.read(nested).isPresent());
  }

  @Test
  void existingMarkerIsNeverReplaced() {
    IdentityMarker.write(dataDir, identity(GROUP, "berth-1", "prod/berth"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> IdentityMarker.write(dataDir, identity(GROUP, "berth-2", "prod/berth")));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals("berth-1", IdentityMarker.read(dataDir).orElseThrow().getPeerId());
  }

  @Test
  void leftoverTemporaryFileFromACrashDoesNotBlockWriting() throws Exception {
    Files.writeString(dataDir.resolve("IDENTITY.tmp"), "group_id: \"half");
    IdentityMarker.write(dataDir, identity(GROUP, "berth-1", "prod/berth"));
    assertEquals("berth-1", IdentityMarker.read(dataDir).orElseThrow().getPeerId());
  }

  @Test
  void unknownFieldsFromANewerVersionAreIgnored() throws Exception {
    Files.writeString(dataDir.resolve("IDENTITY"), "group_id: \"" + GROUP + "\"\npeer_id: \"berth-1\"\n"
        + "cluster_id: \"prod/berth\"\nfuture_field: 7\n");
    assertEquals("berth-1", IdentityMarker.read(dataDir).orElseThrow().getPeerId());
  }

  @Test
  void sameMemberPassesTheCheckWhateverItsCreationTime() {
    MemberIdentity existing = identity(GROUP, "berth-1", "prod/berth");
    MemberIdentity expected = existing.toBuilder().setCreatedUnixMillis(0).build();
    assertDoesNotThrow(() -> IdentityMarker.check(dataDir, existing, expected));
  }

  @Test
  void volumeOfAnotherMemberIsRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> IdentityMarker.check(dataDir,
        identity(GROUP, "berth-1", "prod/berth"), identity(GROUP, "berth-2", "prod/berth")));
    assertEquals("volume at " + dataDir + " belongs to member berth-1 of group " + GROUP + " (cluster prod/berth),"
        + " but this member is berth-2; each pod must mount its own volume", e.getMessage());
  }

  @Test
  void volumeOfAnotherClusterIsRejected() {
    String staging = new ClusterIdentity("staging", "berth").groupId().toString();
    ConfigException e = assertThrows(ConfigException.class, () -> IdentityMarker.check(dataDir,
        identity(staging, "berth-1", "staging/berth"), identity(GROUP, "berth-1", "prod/berth")));
    assertTrue(e.getMessage().startsWith("volume at " + dataDir + " belongs to member berth-1 of group " + staging
        + " (cluster staging/berth), but this member is berth-1 of group " + GROUP), e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] corrupt content")
  @ValueSource(strings = {
      "",
      "group_id: \"half-written",
      "not a proto at all",
      "peer_id: \"berth-1\"\ncluster_id: \"prod/berth\"\n",
      "group_id: \"not-a-uuid\"\npeer_id: \"berth-1\"\ncluster_id: \"prod/berth\"\n",
      "group_id: \"8b6bb7e2-5f88-3f19-b302-d05807bb700c\"\ncluster_id: \"prod/berth\"\n",
      "peer_id: \"berth-1\"\npeer_id: \"berth-2\"\n",
  })
  void corruptMarkerIsReportedByPathAndLeftUntouched(String content) throws Exception {
    Path file = dataDir.resolve("IDENTITY");
    Files.writeString(file, content);
    ConfigException e = assertThrows(ConfigException.class, () -> IdentityMarker.read(dataDir));
    assertTrue(e.getMessage().startsWith("identity file " + file + " is corrupt ("), e.getMessage());
    assertTrue(e.getMessage().contains("left untouched"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
    assertEquals(content, Files.readString(file));
    assertThrows(ConfigException.class,
        () -> IdentityMarker.write(dataDir, identity(GROUP, "berth-1", "prod/berth")));
  }

  @Test
  void markerThatIsNotTextIsReportedAsCorrupt() throws Exception {
    Files.write(dataDir.resolve("IDENTITY"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    ConfigException e = assertThrows(ConfigException.class, () -> IdentityMarker.read(dataDir));
    assertTrue(e.getMessage().contains("not UTF-8 text"), e.getMessage());
  }

  @Test
  void markerThatIsADirectoryIsAnIoErrorNamingThePath() throws Exception {
    Files.createDirectory(dataDir.resolve("IDENTITY"));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> IdentityMarker.read(dataDir));
    assertTrue(e.getMessage().contains(dataDir.resolve("IDENTITY").toString()), e.getMessage());
  }
}
