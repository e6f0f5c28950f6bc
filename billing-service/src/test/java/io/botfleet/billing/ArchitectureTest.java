package io.botfleet.billing;

import io.botfleet.devkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void layersDependOnlyTheWayConventionsAllow() {
    ArchitectureRules.check("io.botfleet.billing");
  }
}
