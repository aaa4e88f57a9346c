package dev.emporium.order.order;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

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

    record Response(int status, String body) {
    }

    private Response get(String path, String token) {
        var entity = TestHttp.localPort(port).get(path, token);
        return new Response(entity.getStatusCode().value(), entity.getBody());
    }
}
