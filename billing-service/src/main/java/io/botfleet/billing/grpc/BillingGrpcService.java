package io.botfleet.billing.grpc;

import io.botfleet.billing.service.CostService;
import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.billing.v1.RecordCostRequest;
import io.botfleet.billing.v1.RecordCostResponse;
import io.botfleet.common.grpc.RawRequests;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

/** The billing.v1 adapter. RPCs not overridden here answer UNIMPLEMENTED. */
@GrpcService
public class BillingGrpcService extends BillingServiceGrpc.BillingServiceImplBase {

  @Inject CostService costs;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  @Blocking
  public void recordCost(RecordCostRequest request, StreamObserver<RecordCostResponse> response) {
    var entry = costs.record(BillingMapper.toRecord(request));
    response.onNext(RecordCostResponse.newBuilder().setEntry(BillingMapper.toProto(entry)).build());
    response.onCompleted();
  }
}
