package io.botfleet.common.greenhelix;

import com.fasterxml.jackson.databind.JsonNode;
import io.botfleet.common.config.GreenHelixConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Calls GreenHelix directly. State changes never call it directly: they queue calls in the {@link
 * Outbox}. Direct calls are for questions whose answer is needed now (get_agent_identity,
 * get_agent_reputation, search_agents_by_metrics) and for the relay itself.
 */
@ApplicationScoped
public class GreenHelixClient {

  @Inject GreenHelixConfig config;

  private GreenHelixApi api;

  @PostConstruct
  void build() {
    api =
        QuarkusRestClientBuilder.newBuilder()
            .baseUri(config.url())
            .connectTimeout(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .build(GreenHelixApi.class);
  }

  /** True if GreenHelix is enabled in this installation. */
  public boolean enabled() {
    return config.enabled();
  }

  /** Executes a tool now with a fresh idempotency key. */
  public JsonNode call(String tool, Map<String, Object> input) {
    return call(tool, input, UUID.randomUUID().toString());
  }

  /**
   * Executes a tool with the given idempotency key (the relay reuses one key for every retry of a
   * call).
   *
   * @throws GreenHelixException if it is disabled, unreachable or answers an error
   */
  public JsonNode call(String tool, Map<String, Object> input, String idempotencyKey) {
    if (!config.enabled()) {
      throw new GreenHelixException(0, "GreenHelix is disabled (botfleet.greenhelix.enabled)");
    }
    String key =
        config
            .apiKey()
            .orElseThrow(
                () -> new GreenHelixException(0, "botfleet.greenhelix.api-key is not set"));
    try {
      return api.execute("Bearer " + key, idempotencyKey, Map.of("tool", tool, "input", input));
    } catch (WebApplicationException e) {
      Response response = e.getResponse();
      throw new GreenHelixException(
          response == null ? 0 : response.getStatus(), tool + " failed: " + e.getMessage());
    } catch (RuntimeException e) {
      throw new GreenHelixException(0, tool + " failed: " + e.getMessage());
    }
  }
}
