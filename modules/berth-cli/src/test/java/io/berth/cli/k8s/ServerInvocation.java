package io.berth.cli.k8s;

import io.berth.cli.BerthCommand;
import io.berth.cli.ServerCommand;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * A container's argv and environment as {@code berth server}'s own picocli parser reads them. Option defaults
 * of the form {@code ${env:NAME}} / {@code ${env:NAME:-fallback}} are resolved against the pod's environment
 * instead of this JVM's, so what the test sees is what the member would see.
 */
final class ServerInvocation {
  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  final CommandSpec server;

  private ServerInvocation(CommandSpec server) {
    this.server = server;
  }

  /** Parses {@code argv} (argv[0] is the program); fails the test with picocli's message if it is rejected. */
  static ServerInvocation parse(List<String> argv, Map<String, String> env) {
    if (argv.isEmpty() || !Path.of(argv.get(0)).getFileName().toString().equals("berth")) {
      throw new AssertionError("the container must run the berth command, but its command is " + argv);
    }
    final CommandLine cl = BerthCommand.commandLine();
    final Map<String, String> rawDefaults = rawDefaults();
    cl.setDefaultValueProvider(arg -> arg instanceof OptionSpec o && o.command().userObject() instanceof ServerCommand
        ? interpolate(rawDefaults.get(o.longestName()), env) : null);
    final String[] args = argv.subList(1, argv.size()).toArray(String[]::new);
    final ParseResult result;
    try {
      result = cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new AssertionError("berth rejects the container's arguments " + Arrays.toString(args) + ": "
          + e.getMessage());
    }
    if (result.subcommand() == null || !(result.subcommand().commandSpec().userObject() instanceof ServerCommand)) {
      throw new AssertionError("the container's arguments " + Arrays.toString(args) + " do not run `berth server`");
    }
    return new ServerInvocation(result.subcommand().commandSpec());
  }

  /** The value of an option after parsing (its default when not given); {@code null} when unset. */
  <T> T option(String name) {
    final OptionSpec option = server.findOption(name);
    if (option == null) {
      throw new AssertionError("berth server has no option " + name);
    }
    return option.getValue();
  }

  /** The annotated default of every ServerCommand option, before picocli interpolates it with the JVM's env. */
  private static Map<String, String> rawDefaults() {
    final Map<String, String> defaults = new HashMap<>();
    final Object unset;
    try {
      unset = Option.class.getMethod("defaultValue").getDefaultValue(); // picocli's "no default" marker
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
    for (Field f : ServerCommand.class.getDeclaredFields()) {
      final Option option = f.getAnnotation(Option.class);
      if (option != null && !option.defaultValue().equals(unset)) {
        for (String name : option.names()) {
          defaults.put(name, option.defaultValue());
        }
      }
    }
    return defaults;
  }

  private static String interpolate(String raw, Map<String, String> env) {
    if (raw == null) {
      return null;
    }
    final Matcher m = ENV_DEFAULT.matcher(raw);
    final StringBuilder out = new StringBuilder();
    while (m.find()) {
      final String value = env.get(m.group(1));
      final String replacement = value != null ? value : m.group(2);
      m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? "" : replacement));
    }
    m.appendTail(out);
    if (out.indexOf("${") >= 0) {
      throw new AssertionError("default '" + raw + "' uses a variable form this check does not model");
    }
    // Picocli treats an empty interpolated default as "no default".
    return out.length() == 0 ? null : out.toString();
  }
}
