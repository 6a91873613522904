package io.berth.testkit.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to run the image's {@code berth} entrypoint on this machine: a JVM with the Berth class path.
 *
 * @param java      the {@code java} executable
 * @param classPath the class path holding the {@code berth} command
 * @param mainClass its main class
 * @param jvmOptions JVM flags that stand in for the container's limits on a shared machine (heap cap, ...);
 *                   they come after the manifest's {@code JAVA_TOOL_OPTIONS} and so win
 */
public record PodCommand(Path java, String classPath, String mainClass, List<String> jvmOptions) {
  /** The default JVM flags: a small heap and C1 only, so several members start fast on two cores. */
  public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1",
      "-XX:+ExitOnOutOfMemoryError");

  public PodCommand {
    Objects.requireNonNull(java, "java");
    Objects.requireNonNull(classPath, "classPath");
    Objects.requireNonNull(mainClass, "mainClass");
    jvmOptions = List.copyOf(jvmOptions);
  }

  /** {@code berth} from this JVM's own class path: the same build that runs the emulator. */
  public static PodCommand current() {
    return new PodCommand(Path.of(System.getProperty("java.home"), "bin", "java"),
        System.getProperty("java.class.path"), "io.berth.cli.Main", DEFAULT_JVM_OPTIONS);
  }
}
