package io.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a command's answer to stdout in the chosen form: one line of JSON per answer (records serialize in
 * declaration order, so each command's shape is its record), or plain lines and aligned tables for people.
 */
final class Printer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter out;
  private final boolean json;

  Printer(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean isJson() {
    return json;
  }

  void json(Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
    out.flush();
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }

  /** Columns padded to their widest cell plus two spaces; the last column is not padded. */
  void table(List<String> header, List<List<String>> rows) {
    final List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    final int[] widths = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      final StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i));
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
        }
      }
      out.println(line);
    }
    out.flush();
  }

  /** A value shown in a table cell: control characters escaped so one key stays on one line. */
  static String cell(String text) {
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }
}
