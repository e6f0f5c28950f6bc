package io.botfleet.devkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The layering every service keeps (CONVENTIONS.md): {@code domain} is plain Java, free of gRPC,
 * Quarkus, protobuf and the service's other layers; {@code grpc} never reaches into {@code
 * persistence}; {@code client} never touches {@code grpc}. Each service's ArchitectureTest calls
 * {@link #check(String)} with its root package.
 */
public final class ArchitectureRules {

  private ArchitectureRules() {}

  /** Checks every rule over the main classes under {@code rootPackage}. */
  public static void check(String rootPackage) {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(rootPackage);
    for (ArchRule rule : rules(rootPackage)) {
      rule.check(classes);
    }
  }

  static List<ArchRule> rules(String root) {
    String domain = root + ".domain..";
    return List.of(
        noClasses()
            .that()
            .resideInAPackage(domain)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.grpc..",
                "io.quarkus..",
                "com.google.protobuf..",
                "jakarta.persistence..",
                "jakarta.enterprise..",
                root + ".v1..",
                root + ".service..",
                root + ".persistence..",
                root + ".grpc..",
                root + ".client..",
                root + ".greenhelix..",
                root + ".config..")
            .as("domain is plain Java: no framework, no proto, no other layer"),
        noClasses()
            .that()
            .resideInAPackage(root + ".grpc..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(root + ".persistence..")
            .allowEmptyShould(true)
            .as("grpc adapters go through the service layer, never persistence"),
        noClasses()
            .that()
            .resideInAPackage(root + ".client..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(root + ".grpc..")
            .allowEmptyShould(true)
            .as("clients never touch the service's own adapters"));
  }
}
