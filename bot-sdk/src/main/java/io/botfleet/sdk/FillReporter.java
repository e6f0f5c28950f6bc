package io.botfleet.sdk;

import com.google.protobuf.Timestamp;
import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.billing.v1.ReportFillsRequest;
import io.botfleet.billing.v1.ReportFillsResponse;
import io.botfleet.billing.v1.Side;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends fills to billing-service over ReportFills, in batches of up to {@value #BATCH} per message.
 * Recorded fills are buffered and sent every flush interval; a batch that fails goes back to the
 * front of the buffer and is sent again (billing ignores fill ids it has booked, so a retry never
 * books a fee twice). The buffer is bounded: beyond {@value #MAX_BUFFERED} the oldest fills are
 * dropped and counted.
 */
final class FillReporter {

  private static final System.Logger LOG = System.getLogger(FillReporter.class.getName());
  static final int BATCH = 1000;
  static final int MAX_BUFFERED = 100_000;

  private final String bot;
  private final BillingServiceGrpc.BillingServiceStub stub;
  private final long callTimeoutMillis;
  private final ArrayDeque<Fill> buffer = new ArrayDeque<>();
  private boolean flushing;
  private long dropped;
  private long booked;

  FillReporter(String bot, BillingServiceGrpc.BillingServiceStub stub, long callTimeoutMillis) {
    this.bot = bot;
    this.stub = stub;
    this.callTimeoutMillis = callTimeoutMillis;
  }

  synchronized void record(Fill fill) {
    if (buffer.size() >= MAX_BUFFERED) {
      buffer.pollFirst();
      dropped++;
      if (dropped == 1 || dropped % 1000 == 0) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}: billing-service unreachable, {1} fills dropped so far",
            bot,
            dropped);
      }
    }
    buffer.addLast(fill);
  }

  synchronized int buffered() {
    return buffer.size();
  }

  synchronized long booked() {
    return booked;
  }

  /** Sends one batch of the buffer unless one is on its way; completes when it is answered. */
  CompletableFuture<Void> flush() {
    List<Fill> batch;
    synchronized (this) {
      if (flushing || buffer.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      flushing = true;
      batch = new ArrayList<>(Math.min(BATCH, buffer.size()));
      while (batch.size() < BATCH && !buffer.isEmpty()) {
        batch.add(buffer.pollFirst());
      }
    }
    return send(batch)
        .handle(
            (report, error) -> {
              synchronized (this) {
                flushing = false;
                if (error != null) {
                  for (int i = batch.size() - 1; i >= 0; i--) {
                    buffer.addFirst(batch.get(i));
                  }
                  LOG.log(
                      System.Logger.Level.DEBUG,
                      "{0}: {1} fills not reported yet: {2}",
                      bot,
                      batch.size(),
                      HeartbeatStream.describe(Status.fromThrowable(error)));
                } else {
                  booked += report.accepted();
                  if (!report.rejected().isEmpty()) {
                    LOG.log(
                        System.Logger.Level.WARNING,
                        "{0}: billing-service refused {1} fills, e.g. {2}",
                        bot,
                        report.rejected().size(),
                        report.rejected().get(0));
                  }
                }
              }
              return null;
            });
  }

  /** Sends {@code fills} in one ReportFills stream, batches of {@value #BATCH}; no retry. */
  CompletableFuture<FillReport> send(List<Fill> fills) {
    CompletableFuture<FillReport> result = new CompletableFuture<>();
    StreamObserver<ReportFillsRequest> requests;
    try {
      requests = open(result);
    } catch (RuntimeException e) {
      // Nothing to sign with (the keys were just destroyed) or a closed channel.
      result.completeExceptionally(e);
      return result;
    }
    try {
      for (int from = 0; from < fills.size(); from += BATCH) {
        ReportFillsRequest.Builder message = ReportFillsRequest.newBuilder();
        for (Fill fill : fills.subList(from, Math.min(fills.size(), from + BATCH))) {
          message.addFills(toProto(fill));
        }
        requests.onNext(message.build());
      }
      requests.onCompleted();
    } catch (RuntimeException e) {
      requests.onError(e);
      result.completeExceptionally(e);
    }
    return result;
  }

  private StreamObserver<ReportFillsRequest> open(CompletableFuture<FillReport> result) {
    return stub.withDeadlineAfter(callTimeoutMillis, TimeUnit.MILLISECONDS)
        .reportFills(
            new StreamObserver<>() {
              @Override
              public void onNext(ReportFillsResponse response) {
                result.complete(
                    new FillReport(
                        response.getAccepted(),
                        response.getDuplicates(),
                        response.getRejectedList().stream()
                            .map(
                                r ->
                                    new FillReport.Rejection(
                                        r.getFillId(), r.getField(), r.getDescription()))
                            .toList(),
                        response.getFeesUsd().isEmpty()
                            ? BigDecimal.ZERO
                            : new BigDecimal(response.getFeesUsd())));
              }

              @Override
              public void onError(Throwable error) {
                result.completeExceptionally(error);
              }

              @Override
              public void onCompleted() {
                result.completeExceptionally(
                    Status.INTERNAL
                        .withDescription("billing-service answered ReportFills with nothing")
                        .asRuntimeException());
              }
            });
  }

  static io.botfleet.billing.v1.Fill toProto(Fill fill) {
    io.botfleet.billing.v1.Fill.Builder proto =
        io.botfleet.billing.v1.Fill.newBuilder()
            .setFillId(fill.fillId())
            .setExchange(fill.exchange())
            .setPair(fill.pair())
            .setSide(fill.side() == Fill.Side.BUY ? Side.SIDE_BUY : Side.SIDE_SELL)
            .setSize(fill.size().toPlainString())
            .setPrice(fill.price().toPlainString())
            .setFee(fill.fee().toPlainString())
            .setFeeCurrency(fill.feeCurrency())
            .setFillTime(
                Timestamp.newBuilder()
                    .setSeconds(fill.fillTime().getEpochSecond())
                    .setNanos(fill.fillTime().getNano()));
    if (fill.feeUsd() != null) {
      proto.setFeeUsd(fill.feeUsd().toPlainString());
    }
    if (fill.realizedPnlUsd() != null) {
      proto.setRealizedPnlUsd(fill.realizedPnlUsd().toPlainString());
    }
    return proto.build();
  }
}
