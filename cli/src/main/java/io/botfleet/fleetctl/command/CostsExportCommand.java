package io.botfleet.fleetctl.command;

import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.CostEntry;
import io.botfleet.billing.v1.ListCostEntriesRequest;
import io.botfleet.billing.v1.ListCostEntriesResponse;
import io.botfleet.billing.v1.Period;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Printer;
import io.botfleet.fleetctl.output.Values;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every cost entry of a period as CSV (RFC 4180), paging through all of ListCostEntries. Amounts
 * are written exactly as billing-service returns them: no float ever touches them. A file is
 * written beside its target and moved into place, so a failed export never leaves half a file.
 */
@Command(
    name = "export",
    header = "Cost entries as CSV (every page), to stdout or a file; amounts exact.",
    description = {
      "Columns: " + CostsExportCommand.HEADER,
      "With -o json: the entries as one ListCostEntriesResponse instead."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl costs export --month 2026-01 --file costs-2026-01.csv",
      "  fleetctl costs export --from 2026-01-01 --to 2026-01-07 --category exchange_fees > fees.csv"
    })
public final class CostsExportCommand extends BaseCommand {

  static final String HEADER =
      "id,incurred_date,period,bot_id,bot_name,category,amount_usd,description,source,recorded_by,record_time,entry_key";

  @Mixin CostsCommand.PeriodOptions period;

  @Option(names = "--bot", description = "Only this bot (name or id).")
  String bot;

  @Option(names = "--category", description = "Only this category.")
  String category;

  @Option(names = "--file", paramLabel = "FILE", description = "Write here instead of stdout.")
  Path file;

  @Option(names = "--page-size", description = "Entries per call (1 to 5000, default 1000).")
  int pageSize = 1000;

  @Override
  protected int run(Session session) throws IOException {
    ListCostEntriesRequest.Builder request =
        ListCostEntriesRequest.newBuilder().setPageSize(pageSize);
    Period p = period.toProto();
    if (p != null) request.setPeriod(p);
    if (bot != null) request.setBotId(session.bots().id(bot));
    if (category != null) {
      request.setCategory(
          CostCategory.valueOf(
              Args.enumValue(CostCategory.getDescriptor(), category, "--category")));
    }
    if (session.out().json()) {
      ListCostEntriesResponse.Builder all = ListCostEntriesResponse.newBuilder();
      forEachPage(session, request, all::addAllEntries);
      write(session, out -> out.println(Printer.toJson(all.build())));
      return ExitCodes.OK;
    }
    long[] count = {0};
    write(
        session,
        out -> {
          out.print(HEADER + "\r\n");
          forEachPage(
              session,
              request,
              entries -> {
                for (CostEntry e : entries) {
                  out.print(row(e) + "\r\n");
                  count[0]++;
                }
              });
        });
    if (file != null) {
      session.note("Wrote " + count[0] + " entries to " + file);
    }
    return ExitCodes.OK;
  }

  private static void forEachPage(
      Session session,
      ListCostEntriesRequest.Builder request,
      java.util.function.Consumer<List<CostEntry>> pages) {
    String token = "";
    do {
      ListCostEntriesResponse page =
          session.clients().billing().listCostEntries(request.setPageToken(token).build());
      pages.accept(page.getEntriesList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
  }

  private interface Body {
    void write(PrintWriter out) throws IOException;
  }

  private void write(Session session, Body body) throws IOException {
    if (file == null) {
      body.write(session.out().out());
      session.out().out().flush();
      return;
    }
    Path target = file.toAbsolutePath();
    Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8);
        PrintWriter out = new PrintWriter(writer)) {
      body.write(out);
      out.flush();
      if (out.checkError()) {
        throw new IOException("cannot write " + temporary);
      }
    } catch (RuntimeException | IOException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
  }

  /** One CSV line of an entry. */
  static String row(CostEntry e) {
    return String.join(
        ",",
        csv(e.getId()),
        csv(e.getIncurredDate()),
        csv(e.getPeriod()),
        csv(e.getBotId()),
        csv(e.getBotName()),
        csv(Values.enumName(e.getCategory()).equals("-") ? "" : Values.enumName(e.getCategory())),
        csv(e.getAmountUsd()),
        csv(e.getDescription()),
        csv(e.getSource()),
        csv(e.getRecordedBy()),
        csv(
            e.hasRecordTime()
                ? java.time.Instant.ofEpochSecond(
                        e.getRecordTime().getSeconds(), e.getRecordTime().getNanos())
                    .toString()
                : ""),
        csv(e.getEntryKey()));
  }

  /** RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. */
  static String csv(String value) {
    if (value.contains(",")
        || value.contains("\"")
        || value.contains("\n")
        || value.contains("\r")) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }
}
