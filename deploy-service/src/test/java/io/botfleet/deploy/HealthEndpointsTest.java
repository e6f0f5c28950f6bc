package io.botfleet.deploy;

import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.HealthEndpointsContract;
import io.botfleet.devkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class HealthEndpointsTest extends HealthEndpointsContract {}
