package io.botfleet.sdk;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One sample of a bot's state, sent as a heartbeat: the guide's ten metrics, the running version
 * and strategy-specific custom metrics. Units are in the names. Build with {@link #builder()}.
 *
 * @param version the bot software version running, e.g. {@code 2.4.1} (required)
 * @param uptimeSeconds seconds since the bot process started
 * @param heartbeatLatencyMs round trip to the exchange websocket, milliseconds
 * @param pnlUsd realized + unrealized PnL since the start of the day (UTC), USD, exact
 * @param drawdownPct drawdown from the day's peak, percent (0 to 100)
 * @param tradeCount trades since the start of the day
 * @param openPositions open positions
 * @param openOrders open orders
 * @param memoryMb resident memory, MiB
 * @param cpuPct CPU use, percent of one core
 * @param errorCount errors since the previous heartbeat
 * @param custom strategy-specific metrics (spread capture, Greeks, fill rate …): at most 28, names
 *     {@code [a-z][a-z0-9_]{0,63}}, finite values; the SDK adds its own {@code sdk_*} metrics
 */
public record Metrics(
    String version,
    long uptimeSeconds,
    double heartbeatLatencyMs,
    BigDecimal pnlUsd,
    double drawdownPct,
    long tradeCount,
    int openPositions,
    int openOrders,
    double memoryMb,
    double cpuPct,
    long errorCount,
    Map<String, Double> custom) {

  /** Custom metrics a bot may send; the SDK's own take the rest of the protocol's 32. */
  public static final int MAX_CUSTOM_METRICS = 28;

  /** Checks the fields. */
  public Metrics {
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("version is required");
    }
    Objects.requireNonNull(pnlUsd, "pnlUsd");
    custom = Map.copyOf(custom == null ? Map.of() : custom);
  }

  /** A new builder; uptime, memory and CPU default to this JVM's own when not set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Metrics}. Not thread-safe. */
  public static final class Builder {
    private String version;
    private Long uptimeSeconds;
    private double heartbeatLatencyMs;
    private BigDecimal pnlUsd = BigDecimal.ZERO;
    private double drawdownPct;
    private long tradeCount;
    private int openPositions;
    private int openOrders;
    private Double memoryMb;
    private Double cpuPct;
    private long errorCount;
    private final Map<String, Double> custom = new LinkedHashMap<>();

    private Builder() {}

    /** The bot software version running (required). */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** Seconds since the bot started (default: this JVM's uptime). */
    public Builder uptimeSeconds(long uptimeSeconds) {
      this.uptimeSeconds = uptimeSeconds;
      return this;
    }

    /** Round trip to the exchange websocket, ms. */
    public Builder heartbeatLatencyMs(double heartbeatLatencyMs) {
      this.heartbeatLatencyMs = heartbeatLatencyMs;
      return this;
    }

    /** PnL since the start of the day, USD. */
    public Builder pnlUsd(BigDecimal pnlUsd) {
      this.pnlUsd = pnlUsd;
      return this;
    }

    /** Drawdown from the day's peak, percent. */
    public Builder drawdownPct(double drawdownPct) {
      this.drawdownPct = drawdownPct;
      return this;
    }

    /** Trades since the start of the day. */
    public Builder tradeCount(long tradeCount) {
      this.tradeCount = tradeCount;
      return this;
    }

    /** Open positions. */
    public Builder openPositions(int openPositions) {
      this.openPositions = openPositions;
      return this;
    }

    /** Open orders. */
    public Builder openOrders(int openOrders) {
      this.openOrders = openOrders;
      return this;
    }

    /** Resident memory, MiB (default: this process's). */
    public Builder memoryMb(double memoryMb) {
      this.memoryMb = memoryMb;
      return this;
    }

    /** CPU use, percent of one core (default: this process's). */
    public Builder cpuPct(double cpuPct) {
      this.cpuPct = cpuPct;
      return this;
    }

    /** Errors since the previous heartbeat. */
    public Builder errorCount(long errorCount) {
      this.errorCount = errorCount;
      return this;
    }

    /** One custom metric. */
    public Builder custom(String name, double value) {
      custom.put(name, value);
      return this;
    }

    /**
     * The sample.
     *
     * @throws IllegalArgumentException if the version is missing
     */
    public Metrics build() {
      return new Metrics(
          version,
          uptimeSeconds != null
              ? uptimeSeconds
              : ManagementFactory.getRuntimeMXBean().getUptime() / 1000,
          heartbeatLatencyMs,
          pnlUsd,
          drawdownPct,
          tradeCount,
          openPositions,
          openOrders,
          memoryMb != null ? memoryMb : ProcessStats.residentMb(),
          cpuPct != null ? cpuPct : ProcessStats.cpuPct(),
          errorCount,
          custom);
    }
  }

  /** This JVM's resident memory and CPU use, for bots that do not measure their own. */
  static final class ProcessStats {
    private static final Path STATM = Path.of("/proc/self/statm");

    private ProcessStats() {}

    static double residentMb() {
      try {
        // statm: size resident shared … in pages; Linux pages are 4 KiB on the platforms we run.
        String[] fields = Files.readString(STATM).trim().split("\\s+");
        return Long.parseLong(fields[1]) * 4096.0 / (1024 * 1024);
      } catch (Exception e) {
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024.0 * 1024.0);
      }
    }

    static double cpuPct() {
      if (ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        double load = os.getProcessCpuLoad();
        if (load >= 0) {
          return load * Runtime.getRuntime().availableProcessors() * 100.0;
        }
      }
      return 0;
    }
  }
}
