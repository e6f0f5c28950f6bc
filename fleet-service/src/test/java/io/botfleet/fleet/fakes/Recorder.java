package io.botfleet.fleet.fakes;

import com.google.protobuf.Message;
import io.botfleet.signing.CanonicalRequest;
import io.botfleet.signing.SignatureHeaders;
import io.botfleet.signing.VerifyingKey;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Base64;
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
   * @param headers every header it came with
   */
  public record Call(String method, String agent, Message request, Metadata headers) {

    /** The botfleet-acting-for header, or null. */
    public String actingFor() {
      return headers.get(SignatureHeaders.ACTING_FOR);
    }

    /**
     * True if its signature verifies with {@code key} over the request's bytes and the
     * botfleet-acting-for header received (the fakes see a parsed message: its encoding by the same
     * protobuf library is the bytes fleet-service signed).
     */
    public boolean signatureVerifies(VerifyingKey key, String fullMethod) {
      SignatureHeaders signed =
          new SignatureHeaders(
              headers.get(SignatureHeaders.AGENT),
              Integer.parseInt(headers.get(SignatureHeaders.KEY_VERSION)),
              Long.parseLong(headers.get(SignatureHeaders.TIMESTAMP)),
              headers.get(SignatureHeaders.NONCE),
              Base64.getDecoder().decode(headers.get(SignatureHeaders.SIGNATURE)));
      String bodyHash = CanonicalRequest.sha256Hex(request.toByteArray());
      return key.verify(
          signed.canonical(fullMethod, bodyHash, actingFor()).bytes(), signed.signature());
    }
  }

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  private final Map<String, Status> failures = new ConcurrentHashMap<>();

  /**
   * Records a call; if a failure is set for its method, answers the call with it and returns true
   * (the fake must then return without answering).
   */
  boolean failed(String method, Message request, StreamObserver<?> response) {
    Metadata headers = FakeServices.HEADERS.get();
    calls.add(
        new Call(
            method,
            FakeServices.CALLER.get(),
            request,
            headers == null ? new Metadata() : headers));
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
