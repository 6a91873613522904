package io.berth.cli.k8s;

import static io.berth.cli.k8s.Yamls.integer;
import static io.berth.cli.k8s.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The image (docker/Dockerfile) agrees with the StatefulSet on user, data path, command and JVM flags. */
class DockerImageTest {
  private final Rendered base = Kustomize.required().render("k8s/base");

  private static String dockerfile() throws IOException {
    return Files.readString(Repo.path("docker/Dockerfile"));
  }

  private static String find(String text, String regex) {
    final Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
    assertTrue(m.find(), "docker/Dockerfile has no match for " + regex);
    return m.group(1);
  }

  @Test
  void imageRunsAsTheManifestsUserAndEntrypointIsBerth() throws IOException {
    final String df = dockerfile();
    assertEquals(String.valueOf(integer(base.podSpec(), "securityContext", "runAsUser")),
        find(df, "^ARG BERTH_UID=(\\d+)"), "the image's UID must be the pod's runAsUser");
    assertTrue(df.contains("USER ${BERTH_UID}:${BERTH_UID}"), "the image must run as BERTH_UID");
    assertEquals("[\"berth\"]", find(df, "^ENTRYPOINT (\\[.*])"), "entrypoint");
    assertTrue(df.contains("COPY docker/berth.sh /usr/local/bin/berth"), "`berth` must be on the PATH");
  }

  @Test
  void dataVolumeIsTheManifestsDataDir() throws IOException {
    final String df = dockerfile();
    final String mount = str(base.mountOf("data"), "mountPath");
    assertEquals(mount, find(df, "^VOLUME \\[\"([^\"]+)\"]"), "VOLUME must be the data mount path");
    assertEquals(mount, find(df, "BERTH_DATA_DIR=(\\S+)"), "BERTH_DATA_DIR must be the data mount path");
  }

  @Test
  void jvmFlagsAreTheManifests() throws IOException {
    final Map<String, String> env = PodEnvironment.env(base, 0);
    assertEquals(env.get("JAVA_TOOL_OPTIONS"), find(dockerfile(), "JAVA_TOOL_OPTIONS=\"([^\"]+)\""),
        "the image's default JAVA_TOOL_OPTIONS must equal the StatefulSet's");
    final String security = Files.readString(Repo.path("docker/java.security"));
    assertTrue(security.contains("networkaddress.cache.negative.ttl=0") && security.contains("networkaddress.cache.ttl=5"),
        "docker/java.security sets the DNS cache security properties");
    assertTrue(Files.readString(Repo.path("docker/berth.sh")).contains("-Djava.security.properties=/etc/berth/java.security"),
        "docker/berth.sh must load /etc/berth/java.security");
  }
}
