package io.berth.cli;

import picocli.CommandLine;

/** Reports the version from the jar manifest (or "development" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    final String v = BerthCommand.class.getPackage().getImplementationVersion();
    return new String[] {"berth " + (v == null ? "development build" : v),
        "JVM: ${java.version} (${java.vendor} ${java.vm.name})"};
  }
}
