/**
 * JMH benchmarks of the apply path (the pure {@code Applier} plus the RocksDB batch commit), so a regression in
 * what every member does for every log entry shows as a number. Run them as the README's "Benchmarks" section
 * says; the default build only compiles them.
 */
package io.berth.bench;
