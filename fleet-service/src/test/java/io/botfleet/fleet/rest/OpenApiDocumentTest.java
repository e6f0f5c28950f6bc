package io.botfleet.fleet.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** /q/openapi documents every route with its RPC, access rule, schemas, examples and problems. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class OpenApiDocumentTest {

  @Test
  void theDocumentHasTheRoutesSchemasExamplesAndAccessRules() {
    given()
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths", hasKey("/api/v1/commands/pause"))
        .body("paths", hasKey("/api/v1/deployments/{deployment_id}/rollback"))
        .body("paths", hasKey("/api/v1/costs/fleet"))
        .body("paths", hasKey("/api/v1/events/stream"))
        .body(
            "paths.'/api/v1/commands/pause'.post.description",
            containsString("Access: operators with role OPERATOR or higher"))
        .body(
            "paths.'/api/v1/commands/pause'.post.requestBody.content.'application/json'.examples.group.value",
            notNullValue())
        .body(
            "paths.'/api/v1/commands/pause'.post.responses.'403'.'$ref'",
            equalTo("#/components/responses/Problem403"))
        .body("components.schemas", hasKey("fleet.v1.PauseBotsRequest"))
        .body("components.schemas", hasKey("deploy.v1.CreateDeploymentRequest"))
        .body("components.schemas.'common.v1.Scope'.properties.group.type", equalTo("string"))
        .body("components.securitySchemes", hasKey("bf-signature"));
  }
}
