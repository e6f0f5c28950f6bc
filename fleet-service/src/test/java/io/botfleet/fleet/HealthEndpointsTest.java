package io.botfleet.fleet;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.HealthEndpointsContract;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class HealthEndpointsTest extends HealthEndpointsContract {}
