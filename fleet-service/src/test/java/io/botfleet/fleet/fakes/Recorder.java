package io.botfleet.fleet.fakes;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records the calls a fake receives, with the caller, and fails them on request. */
public final class Recorder {

  /**
   * One call.
   *
   * @param method the RPC's name, e.g. "SuspendBot"
   * @param agent the bf-agent header (who signed it)
   * @param request the request
   */
  public record Call(String method, String agent, Message request) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  private final Map<String, Status> failures = new ConcurrentHashMap<>();

  /**
   * Records a call; if a failure is set for its method, answers the call with it and returns true
   * (the fake must then return without answering).
   */
  boolean failed(String method, Message request, StreamObserver<?> response) {
    calls.add(new Call(method, FakeServices.CALLER.get(), request));
    AtomicInteger left = failuresLeft.get(method);
    if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      response.onError(failures.get(method).asRuntimeException());
      return true;
    }
    return false;
  }

  /** The next {@code count} calls of {@code method} fail with {@code status}. */
  public void failNext(String method, int count, Status status) {
    failures.put(method, status);
    failuresLeft.put(method, new AtomicInteger(count));
  }

  /** Stops failing. */
  public void heal() {
    failuresLeft.clear();
  }

  /** Every call of a method, in order. */
  @SuppressWarnings("unchecked")
  public <T extends Message> List<T> requests(String method) {
    List<T> found = new ArrayList<>();
    for (Call call : calls) {
      if (call.method().equals(method)) {
        found.add((T) call.request());
      }
    }
    return found;
  }

  /** Every call, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }
}
