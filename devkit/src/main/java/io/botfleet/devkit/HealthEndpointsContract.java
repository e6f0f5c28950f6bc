package io.botfleet.devkit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/**
 * What Kubernetes and Prometheus read from every service: liveness, readiness (database and key
 * cache) and metrics. Each service's HealthEndpointsTest extends it as a {@code @QuarkusTest}.
 */
public abstract class HealthEndpointsContract {

  @Test
  void readinessChecksTheDatabaseAndTheKeyCache() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", is("UP"))
        .body("checks.name", hasItems("key-cache", "Database connections health check"));
  }

  @Test
  void livenessIsUp() {
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
  }

  @Test
  void metricsArePublishedForPrometheus() {
    given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
  }
}
