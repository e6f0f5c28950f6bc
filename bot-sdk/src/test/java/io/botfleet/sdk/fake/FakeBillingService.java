package io.botfleet.sdk.fake;

import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.billing.v1.Fill;
import io.botfleet.billing.v1.ReportFillsRequest;
import io.botfleet.billing.v1.ReportFillsResponse;
import io.grpc.stub.StreamObserver;
import java.math.BigDecimal;
import java.util.concurrent.ConcurrentHashMap;

/** billing-service's fill stream: books fills per bot, ignoring fill ids already booked. */
final class FakeBillingService extends BillingServiceGrpc.BillingServiceImplBase {

  private final FakeControlPlane plane;

  FakeBillingService(FakeControlPlane plane) {
    this.plane = plane;
  }

  @Override
  public StreamObserver<ReportFillsRequest> reportFills(
      StreamObserver<ReportFillsResponse> response) {
    String agentId = VerifyingInterceptor.CALLER.get();
    var booked = plane.fills.computeIfAbsent(agentId, a -> new ConcurrentHashMap<>());
    return new StreamObserver<>() {
      int accepted;
      int duplicates;
      BigDecimal fees = BigDecimal.ZERO;

      @Override
      public void onNext(ReportFillsRequest request) {
        for (Fill fill : request.getFillsList()) {
          if (booked.putIfAbsent(fill.getFillId(), fill) == null) {
            accepted++;
            fees =
                fees.add(
                    new BigDecimal(fill.getFeeUsd().isEmpty() ? fill.getFee() : fill.getFeeUsd()));
          } else {
            duplicates++;
          }
        }
      }

      @Override
      public void onError(Throwable error) {}

      @Override
      public void onCompleted() {
        response.onNext(
            ReportFillsResponse.newBuilder()
                .setAccepted(accepted)
                .setDuplicates(duplicates)
                .setFeesUsd(fees.toPlainString())
                .build());
        response.onCompleted();
      }
    };
  }
}
