package io.berth.testkit.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes history files: JSON Lines of {@link Op}, in the order events happened. A malformed line is
 * an error that names its line number; nothing is skipped silently.
 */
public final class HistoryFile implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BufferedWriter out;

  private HistoryFile(BufferedWriter out) {
    this.out = out;
  }

  /** Creates (or truncates) {@code file} for writing events as they happen. */
  public static HistoryFile create(Path file) throws IOException {
    return new HistoryFile(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
  }

  /** Appends one event (thread-safe; flushed at once so a crash loses nothing already recorded). */
  public synchronized void append(Op op) {
    try {
      out.write(toJson(op));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the history: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }

  /** One event as its JSON line (without the newline). */
  public static String toJson(Op op) {
    final ObjectNode n = JSON.createObjectNode();
    n.put("process", op.process());
    n.put("type", op.type().name());
    n.put("f", op.f());
    n.put("key", op.key());
    n.set("value", op.value());
    n.put("time", op.time());
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every event of {@code file}, in file order. */
  public static List<Op> read(Path file) throws IOException {
    final List<Op> ops = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          ops.add(parse(line));
        } catch (IllegalArgumentException | JsonProcessingException e) {
          throw new IllegalArgumentException(file + ":" + number + ": " + e.getMessage(), e);
        }
      }
    }
    return ops;
  }

  /** One event from its JSON line. */
  public static Op parse(String line) throws JsonProcessingException {
    final JsonNode n = JSON.readTree(line);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    for (String field : List.of("process", "type", "f", "time")) {
      if (!n.hasNonNull(field)) {
        throw new IllegalArgumentException("missing \"" + field + "\"");
      }
    }
    final Op.Type type;
    try {
      type = Op.Type.valueOf(n.get("type").asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("type must be invoke, ok, fail or info, not " + n.get("type"));
    }
    if (!n.get("process").canConvertToInt() || !n.get("time").canConvertToLong()) {
      throw new IllegalArgumentException("process and time must be integers");
    }
    return new Op(n.get("process").asInt(), type, n.get("f").asText(), n.path("key").asText(""), n.get("value"),
        n.get("time").asLong());
  }
}
