package dev.emporium.order.checkout;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

import dev.emporium.order.checkout.web.WaitSlots;
import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestHttp;
import dev.emporium.testsupport.TestTokens;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/** Object-level access: a customer sees their own orders only; another's order does not exist for them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "orders")
@TrustTestTokens
class OrderAccessIT {

    @Autowired
    Orders orders;

    @LocalServerPort
    int port;

    @Test
    void showsACustomerOnlyTheirOwnOrdersAndAnAdministratorAll() {
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        Order alicesOrder = orders.save(Order.place(alice, List.of(new OrderLine(UUID.randomUUID(), 1, new java.math.BigDecimal("10.00"))), "EUR",
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        Order bobsOrder = orders.save(Order.place(bob, List.of(new OrderLine(UUID.randomUUID(), 1, new java.math.BigDecimal("20.00"))), "EUR",
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        String aliceToken = TestTokens.customer(alice);

        String alicesList = get("/api/orders?size=100", aliceToken).body();
        Response bobsOrderForAlice = get("/api/orders/" + bobsOrder.id().value(), aliceToken);
        Response alicesOwn = get("/api/orders/" + alicesOrder.id().value(), aliceToken);
        Response bobsOrderForAdmin = get("/api/orders/" + bobsOrder.id().value(), TestTokens.admin(UUID.randomUUID()));
        Response anonymous = get("/api/orders", null);

        assertThat(JsonPath.<List<String>>read(alicesList, "$.content[*].id")).containsExactly(alicesOrder.id().value().toString());
        assertThat(bobsOrderForAlice.status()).isEqualTo(404);
        assertThat(alicesOwn.status()).isEqualTo(200);
        assertThat(bobsOrderForAdmin.status()).isEqualTo(200);
        assertThat(anonymous.status()).isEqualTo(401);
    }

    /** Spring Data renders an unknown sort property as SQL: only the documented ones may reach it. */
    @Test
    void refusesEverySortOutsideTheAllowListAndNamesTheAllowedOnes() {
        UUID carol = UUID.randomUUID();
        orders.save(Order.place(carol, List.of(new OrderLine(UUID.randomUUID(), 1, new java.math.BigDecimal("30.00"))), "EUR",
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        orders.save(Order.place(carol, List.of(new OrderLine(UUID.randomUUID(), 1, new java.math.BigDecimal("5.00"))), "EUR",
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        String token = TestTokens.customer(carol);

        for (String attack : List.of("nosuchcol", "pg_catalog.pg_reload_conf()", "pg_catalog.abs(1)", "placedAt,sideways",
                "status;select 1", "total.amount", "customerId")) {
            var refused = TestHttp.localPort(port).get("/api/orders?sort=" + java.net.URLEncoder.encode(attack,
                    java.nio.charset.StandardCharsets.UTF_8), token);
            assertThat(refused.getStatusCode().value()).as("sort=" + attack).isEqualTo(400);
            assertThat(refused.getHeaders().getContentType()).hasToString("application/problem+json");
            assertThat(JsonPath.<List<String>>read(refused.getBody(), "$.allowed")).containsExactly("placedAt", "status", "total");
        }
        String cheapestFirst = get("/api/orders?sort=total,asc", token).body();
        assertThat(JsonPath.<List<Double>>read(cheapestFirst, "$.content[*].total.amount")).containsExactly(5.0, 30.0);
    }

    /** What the OpenAPI document offers is taken: every sort it lists, and the largest page it allows. */
    @Test
    void takesEverySortAndPageItsDocumentOffers() {
        String token = TestTokens.customer(UUID.randomUUID());
        String document = TestHttp.localPort(port).get("/v3/api-docs", null).getBody();
        List<String> sorts = JsonPath.read(document, "$.paths['/api/orders'].get.parameters[?(@.name == 'sort')].schema.items.enum[*]");
        List<Integer> largestPage = JsonPath.read(document, "$.paths['/api/orders'].get.parameters[?(@.name == 'page')].schema.maximum");

        assertThat(sorts).contains("placedAt", "total,desc");
        for (String sort : sorts) {
            assertThat(TestHttp.localPort(port).get("/api/orders?sort=" + sort, token).getStatusCode().value()).as("sort=" + sort).isEqualTo(200);
        }
        assertThat(TestHttp.localPort(port).get("/api/orders?page=" + largestPage.getFirst(), token).getStatusCode().value()).isEqualTo(200);
    }

    /**
     * Spring Data would quietly read these as the first page, the largest one or no sort, and Spring an
     * empty value as none (the default); the documents say 400.
     */
    @Test
    void refusesAPageOrSizeOutsideItsBoundsAndNamesIt() {
        UUID frank = UUID.randomUUID();
        String token = TestTokens.customer(frank);
        Order his = orders.save(Order.place(frank, List.of(new OrderLine(UUID.randomUUID(), 1, new java.math.BigDecimal("10.00"))), "EUR",
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        List.of("page=-1", "page=").forEach(query -> refusals.put("/api/orders?" + query, "page"));
        List.of("size=0", "size=101", "size=lots", "page=1&size=1000", "size=").forEach(query -> refusals.put("/api/orders?" + query, "size"));
        List.of("sort=", "sort=,desc", "sort=total&sort=").forEach(query -> refusals.put("/api/orders?" + query, "sort"));
        refusals.put("/api/orders/" + his.id().value() + "?wait=", "wait");
        refusals.forEach((query, field) -> {
            var refused = TestHttp.localPort(port).get(query, token);
            assertThat(refused.getStatusCode().value()).as(query).isEqualTo(400);
            assertThat(refused.getHeaders().getContentType()).hasToString("application/problem+json");
            assertThat(JsonPath.<List<String>>read(refused.getBody(), "$.errors[*].field")).as(query).containsExactly(field);
        });
        assertThat(get("/api/orders?page=0&size=100", token).status()).isEqualTo(200);
        assertThat(get("/api/orders/" + his.id().value() + "?wait=0", token).status()).isEqualTo(200);
    }

    @Test
    void aWaitForAnOrderThatIsMissingOrAnothersLeavesNothingBehind(@Autowired io.micrometer.core.instrument.MeterRegistry meters) {
        Order davesOrder = orders.save(Order.place(UUID.randomUUID(), List.of(new OrderLine(UUID.randomUUID(), 1,
                new java.math.BigDecimal("10.00"))), "EUR", Instant.now().truncatedTo(ChronoUnit.MICROS)));
        String eve = TestTokens.customer(UUID.randomUUID());

        assertThat(get("/api/orders/" + UUID.randomUUID() + "?wait=5", eve).status()).isEqualTo(404);
        assertThat(get("/api/orders/" + davesOrder.id().value() + "?wait=5", eve).status()).isEqualTo(404);

        assertThat(meters.get("emporium.orders.waits.open").gauge().value()).isZero();
    }

    /** With every waiting slot taken, only a PENDING order of the caller's is refused (503); the rest is answered as without the limit. */
    @Test
    void aFullWaitingRoomRefusesOnlyTheCallersPendingOrder(@Autowired ApplicationContext context) {
        UUID dave = UUID.randomUUID();
        Order pending = orders.save(Order.place(dave, List.of(new OrderLine(UUID.randomUUID(), 1, new java.math.BigDecimal("10.00"))), "EUR",
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        Order confirmed = orders.save(orders.save(Order.place(dave, List.of(new OrderLine(UUID.randomUUID(), 1, new java.math.BigDecimal("20.00"))),
                "EUR", Instant.now().truncatedTo(ChronoUnit.MICROS))).confirm());
        String davesToken = TestTokens.customer(dave);
        String eve = TestTokens.customer(UUID.randomUUID());

        var slots = WaitSlots.takeAll(context);
        try {
            assertThat(slots).isNotEmpty();
            assertThat(get("/api/orders/" + pending.id().value() + "?wait=5", eve).status()).as("another's order").isEqualTo(404);
            assertThat(get("/api/orders/" + UUID.randomUUID() + "?wait=5", eve).status()).as("no such order").isEqualTo(404);
            Response decided = get("/api/orders/" + confirmed.id().value() + "?wait=5", davesToken);
            assertThat(decided.status()).isEqualTo(200);
            assertThat(JsonPath.<String>read(decided.body(), "$.status")).isEqualTo("CONFIRMED");
            assertThat(get("/api/orders/" + pending.id().value() + "?wait=5", davesToken).status()).as("the caller's pending order").isEqualTo(503);
            assertThat(get("/api/orders/" + pending.id().value(), davesToken).status()).as("read without waiting").isEqualTo(200);
        }
        finally {
            slots.forEach(slot -> slot.complete(null));
        }
    }

    record Response(int status, String body) {
    }

    private Response get(String path, String token) {
        var entity = TestHttp.localPort(port).get(path, token);
        return new Response(entity.getStatusCode().value(), entity.getBody());
    }
}
