package io.botfleet.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The fleet as a text table: one row per bot (up to a limit), then counts per state. */
final class StatusTable {

  private static final String[] HEADER = {
    "bot", "state", "version", "pnl_usd", "dd_%", "trades", "pos", "orders", "health", "key"
  };

  private StatusTable() {}

  static String render(Collection<SimulatedBot> bots, int maxRows) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    Map<String, Integer> states = new TreeMap<>();
    int shown = 0;
    for (SimulatedBot bot : bots) {
      String[] row = bot.row();
      states.merge(row[1], 1, Integer::sum);
      if (shown++ < maxRows) {
        rows.add(row);
      }
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        boolean number = i >= 3 && i <= 7;
        String cell = number ? pad(row[i], widths[i], true) : pad(row[i], widths[i], false);
        text.append(cell).append(i + 1 < row.length ? "  " : "\n");
      }
    }
    if (bots.size() > maxRows) {
      text.append("… and ").append(bots.size() - maxRows).append(" more\n");
    }
    text.append(bots.size()).append(" bots: ");
    List<String> parts = new ArrayList<>();
    states.forEach((state, count) -> parts.add(count + " " + state));
    text.append(String.join(", ", parts)).append('\n');
    return text.toString();
  }

  private static String pad(String value, int width, boolean right) {
    String spaces = " ".repeat(width - value.length());
    return right ? spaces + value : value + spaces;
  }
}
