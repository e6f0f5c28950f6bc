package io.botfleet.fleetctl.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * An aligned text table: upper-case headers, columns two spaces apart, nothing truncated (a bot id
 * cut in half cannot be pasted into the next command).
 */
public final class Table {

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  /** A table with these column headers. */
  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  /** Adds a row; null cells print as "-". */
  public Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "a row has " + cells.length + " cells for " + headers.size() + " columns");
    }
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      String text = cell == null ? "-" : cell.toString();
      row.add(text.isEmpty() ? "-" : text);
    }
    rows.add(row);
    return this;
  }

  /** Rows so far. */
  public int size() {
    return rows.size();
  }

  /** Prints the table. */
  public void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    printRow(out, headers, widths);
    for (List<String> row : rows) {
      printRow(out, row, widths);
    }
    out.flush();
  }

  private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      line.append(cell);
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - cell.length() + 2));
      }
    }
    out.println(line.toString().stripTrailing());
  }
}
