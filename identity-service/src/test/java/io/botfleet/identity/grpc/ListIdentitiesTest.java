package io.botfleet.identity.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.ListIdentitiesRequest;
import io.botfleet.identity.v1.ListIdentitiesResponse;
import io.botfleet.identity.v1.RevokeIdentityRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Listing with filters, ordered by name, in stable keyset pages. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class ListIdentitiesTest extends IdentityTestSupport {

  @Inject KeyCache keyCache;

  @Test
  void pagesCoverEveryMatchOnceInNameOrder() {
    String organization = unique("org");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = "bot-" + (char) ('e' - i);
      names.add(name);
      registerBot(keyCache, botRequest(name).setOrganization(organization));
    }

    List<Identity> seen = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListIdentitiesResponse page =
          identity(fleetService())
              .listIdentities(
                  ListIdentitiesRequest.newBuilder()
                      .setOrganization(organization)
                      .setPageSize(2)
                      .setPageToken(token)
                      .build());
      seen.addAll(page.getIdentitiesList());
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());

    assertThat(pages).isEqualTo(3);
    assertThat(seen)
        .extracting(Identity::getName)
        .containsExactly("bot-a", "bot-b", "bot-c", "bot-d", "bot-e");
    assertThat(seen).allSatisfy(i -> assertThat(i.getPublicKey()).isNotEmpty());
  }

  @Test
  void filtersCombineSoTheGuidesListActiveIdentitiesWorks() {
    String organization = unique("filters");
    Bot binance = registerBot(keyCache, botRequest("spot-1").setOrganization(organization));
    Bot okx =
        registerBot(
            keyCache, botRequest("spot-2").setOrganization(organization).setExchange("okx"));
    Bot perp =
        registerBot(
            keyCache, botRequest("perp-1").setOrganization(organization).setGroup("perp-momentum"));
    identity(admin(keyCache))
        .registerAgent(botRequest("pending-1").setOrganization(organization).build());
    identity(fleetService())
        .revokeIdentity(
            RevokeIdentityRequest.newBuilder().setAgentId(okx.id()).setReason("test").build());

    assertThat(names(list(organization).setStatus(IdentityStatus.IDENTITY_STATUS_ACTIVE)))
        .containsExactly("perp-1", "spot-1");
    assertThat(names(list(organization).setGroup("spot-arb")))
        .containsExactly("pending-1", "spot-1", "spot-2");
    assertThat(names(list(organization).setExchange("okx"))).containsExactly("spot-2");
    assertThat(
            names(
                list(organization)
                    .setKind(PrincipalKind.PRINCIPAL_KIND_BOT)
                    .setGroup("spot-arb")
                    .setStatus(IdentityStatus.IDENTITY_STATUS_ACTIVE)))
        .containsExactly(binance.name());
    assertThat(names(list(organization).setKind(PrincipalKind.PRINCIPAL_KIND_OPERATOR))).isEmpty();
    assertThat(perp.name()).isEqualTo("perp-1");
  }

  @Test
  void badPagingIsInvalidArgumentAndBotsMayNotList() {
    Bot bot = registerBot(keyCache);

    StatusRuntimeException tooBig =
        failure(
            () -> identity(fleetService()).listIdentities(list("acme").setPageSize(1001).build()));
    StatusRuntimeException foreignToken =
        failure(
            () ->
                identity(fleetService()).listIdentities(list("acme").setPageToken("nope").build()));
    StatusRuntimeException asBot = failure(() -> bot.stub().listIdentities(list("acme").build()));

    assertThat(badRequestFields(tooBig)).containsExactly("page_size");
    assertThat(badRequestFields(foreignToken)).containsExactly("page_token");
    assertThat(asBot.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  private static ListIdentitiesRequest.Builder list(String organization) {
    return ListIdentitiesRequest.newBuilder().setOrganization(organization);
  }

  private static List<String> names(ListIdentitiesRequest.Builder request) {
    return identity(fleetService()).listIdentities(request.build()).getIdentitiesList().stream()
        .map(Identity::getName)
        .toList();
  }
}
