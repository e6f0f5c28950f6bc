package io.botfleet.billing.grpc;

import io.botfleet.billing.domain.FillReport;
import io.botfleet.billing.service.FillService;
import io.botfleet.billing.v1.ReportFillsRequest;
import io.botfleet.billing.v1.ReportFillsResponse;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.grpc.GrpcErrors;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One bot's ReportFills stream. Each message is booked on a worker thread (never the event loop),
 * one at a time and in order; the next message is requested only when the previous one is booked,
 * so a fast bot is slowed by flow control instead of filling memory. What was booked stays booked
 * if the stream breaks; the bot resends and the duplicates are ignored.
 */
final class FillStream implements StreamObserver<ReportFillsRequest> {

  /** Most fills in one message. */
  static final int MAX_FILLS = 1000;

  private final String botId;
  private final FillService fills;
  private final ServerCallStreamObserver<ReportFillsResponse> response;
  private final Executor workers;
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private FillReport report = FillReport.empty();
  private volatile boolean failed;

  FillStream(
      String botId,
      FillService fills,
      ServerCallStreamObserver<ReportFillsResponse> response,
      Executor workers) {
    this.botId = botId;
    this.fills = fills;
    this.response = response;
    this.workers = workers;
  }

  /** Asks for the first message. */
  void start() {
    response.request(1);
  }

  @Override
  public void onNext(ReportFillsRequest message) {
    tail =
        tail.thenRunAsync(
            () -> {
              if (failed) {
                return;
              }
              try {
                if (message.getFillsCount() > MAX_FILLS) {
                  throw new InvalidArgumentException(
                      "fills",
                      "at most " + MAX_FILLS + " per message, got " + message.getFillsCount());
                }
                if (message.getFillsCount() > 0) {
                  report =
                      report.plus(
                          fills.report(botId, FillMapper.toFillInputs(message.getFillsList())));
                }
                response.request(1);
              } catch (RuntimeException e) {
                failed = true;
                response.onError(GrpcErrors.toStatusException(e));
              }
            },
            workers);
  }

  @Override
  public void onError(Throwable cancelled) {
    failed = true;
  }

  @Override
  public void onCompleted() {
    tail =
        tail.thenRunAsync(
            () -> {
              if (!failed) {
                response.onNext(ReportMapper.toProto(report));
                response.onCompleted();
              }
            },
            workers);
  }
}
