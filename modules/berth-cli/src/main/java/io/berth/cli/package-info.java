/**
 * The {@code berth} command (picocli): one class per subcommand, shared options as mixins, output through
 * {@code spec.commandLine().getOut()/getErr()} so tests capture it, and the exit codes of DESIGN.md.
 */
package io.berth.cli;
