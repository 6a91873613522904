package io.berth.server.identity;

import com.google.protobuf.TextFormat;
import io.berth.proto.internal.v1.MemberIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The identity file on a member's volume, {@code <dataDir>/IDENTITY}: which group, member and cluster the
 * volume belongs to, written once at first start and checked at every start after, so a volume mounted by the
 * wrong pod (or a pod pointed at the wrong cluster) stops before it can touch the Raft log.
 *
 * <p>The file is a {@link MemberIdentity} in protobuf text format, under a comment line, so an operator can
 * read it with {@code cat}:
 * <pre>
 * # Berth member identity. Written once; do not edit or copy to another member's volume.
 * group_id: "2f0f5c5e-..."
 * peer_id: "berth-1"
 * cluster_id: "prod/berth"
 * created_unix_millis: 1718000000000
 * </pre>
 *
 * <p>Writes are atomic and durable: a temporary file is written and fsynced, renamed over, and the directory
 * fsynced, so after a crash the file is either absent or complete. An existing file is never replaced, and one
 * that cannot be parsed is reported, never silently rewritten. One member process owns one volume; concurrent
 * writers to the same directory are not coordinated.
 */
public final class IdentityMarker {
  /** The marker's file name inside the data directory. */
  public static final String FILE_NAME = "IDENTITY";

  private static final String HEADER =
      "# Berth member identity. Written once; do not edit or copy to another member's volume.\n";
  private static final TextFormat.Parser PARSER = TextFormat.Parser.newBuilder()
      .setAllowUnknownFields(true) // a newer version may add fields
      .setSingularOverwritePolicy(TextFormat.Parser.SingularOverwritePolicy.FORBID_SINGULAR_OVERWRITES)
      .build();

  private IdentityMarker() {}

  /** The marker file of the volume whose data directory is {@code dataDir}: {@code <dataDir>/IDENTITY}. */
  public static Path path(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  /**
   * Reads the marker; empty when the file does not exist. Throws {@link ConfigException} naming the path when
   * it exists but is not a complete identity, and {@link UncheckedIOException} when it cannot be read.
   */
  public static Optional<MemberIdentity> read(Path dataDir) {
    Path file = path(dataDir);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read identity file " + file + ": " + e.getMessage(), e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw corrupt(file, "it is not UTF-8 text");
    }
    if (text.isBlank()) {
      throw corrupt(file, "it is empty");
    }
    MemberIdentity.Builder identity = MemberIdentity.newBuilder();
    try {
      PARSER.merge(text, identity);
    } catch (TextFormat.ParseException e) {
      throw corrupt(file, e.getMessage().replace('\n', ' '));
    }
    if (identity.getPeerId().isEmpty() || identity.getClusterId().isEmpty()) {
      throw corrupt(file, "peer_id or cluster_id is missing");
    }
    try {
      UUID.fromString(identity.getGroupId());
    } catch (IllegalArgumentException e) {
      throw corrupt(file, "group_id '" + identity.getGroupId() + "' is not a UUID");
    }
    return Optional.of(identity.build());
  }

  /**
   * Writes the marker atomically and durably, creating the data directory if needed. Throws
   * {@link ConfigException} if a marker already exists (it is never replaced) and {@link UncheckedIOException}
   * when the disk refuses.
   */
  public static void write(Path dataDir, MemberIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    Path file = path(dataDir);
    if (Files.exists(file)) {
      throw new ConfigException("identity file " + file + " already exists; it is written once and never"
          + " replaced");
    }
    Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
    byte[] bytes = (HEADER + TextFormat.printer().printToString(identity)).getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(dataDir);
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + dataDir + " cannot rename atomically", e);
      }
      try (FileChannel dir = FileChannel.open(dataDir, StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write identity file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that the identity found on this volume is this member's: its peer id is the pod's name or one of
   * the pod's later {@link Incarnation incarnations}. Throws {@link ConfigException} when the volume belongs to
   * another group, cluster or member; the creation time is not compared.
   */
  public static void check(Path dataDir, MemberIdentity existing, MemberIdentity expected) {
    String owner = "member " + existing.getPeerId() + " of group " + existing.getGroupId() + " (cluster "
        + existing.getClusterId() + ")";
    String self = expected.getPeerId() + " of group " + expected.getGroupId() + " (cluster "
        + expected.getClusterId() + ")";
    if (!existing.getGroupId().equals(expected.getGroupId())
        || !existing.getClusterId().equals(expected.getClusterId())) {
      throw new ConfigException("volume at " + dataDir + " belongs to " + owner + ", but this member is " + self
          + "; mount this cluster's volume, or check --namespace and the StatefulSet name");
    }
    if (!Incarnation.of(existing.getPeerId(), expected.getPeerId())) {
      throw new ConfigException("volume at " + dataDir + " belongs to " + owner + ", but this member is "
          + expected.getPeerId() + "; each pod must mount its own volume");
    }
  }

  private static ConfigException corrupt(Path file, String why) {
    return new ConfigException("identity file " + file + " is corrupt (" + why + "); it was left untouched:"
        + " repair it by hand (compare another member's " + FILE_NAME + "), or give this member a fresh volume"
        + " and re-add it with `berth member remove` and `berth member add`");
  }

}
