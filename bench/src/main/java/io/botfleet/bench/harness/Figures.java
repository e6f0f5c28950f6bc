package io.botfleet.bench.harness;

import java.util.Locale;

/**
 * The one line format every benchmark prints for bench/run: {@code FIGURE<TAB>benchmark<TAB>figure
 * <TAB>unit<TAB>value}, one line per measured value (one run, one fork, one stop). bench/run
 * collects these lines from every run and {@link ResultTable} turns them into the table (median and
 * spread per figure), so a benchmark never aggregates across runs itself.
 */
public final class Figures {

  private Figures() {}

  /** Prints one value of one figure. */
  public static void report(String benchmark, String figure, String unit, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "FIGURE\t%s\t%s\t%s\t%s%n",
        clean(benchmark),
        clean(figure),
        clean(unit),
        Double.toString(value));
    System.out.flush();
  }

  private static String clean(String text) {
    return text.replace('\t', ' ').replace('\n', ' ');
  }
}
