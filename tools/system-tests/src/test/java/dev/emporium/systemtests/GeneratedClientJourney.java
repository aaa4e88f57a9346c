package dev.emporium.systemtests;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emporium.client.ApiClient;
import dev.emporium.client.ApiException;
import dev.emporium.client.ApiResponse;
import dev.emporium.client.inventory.ProductsApi;
import dev.emporium.client.inventory.model.ProductResponse;
import dev.emporium.client.inventory.model.ProductRequest;
import dev.emporium.client.orders.OrdersApi;
import dev.emporium.client.orders.model.Entry;
import dev.emporium.client.orders.model.LineRequest;
import dev.emporium.client.orders.model.OrderRequest;
import dev.emporium.client.orders.model.OrderResponse;
import dev.emporium.client.users.AccountsApi;
import dev.emporium.client.users.LoginApi;
import dev.emporium.client.users.model.AccountResponse;
import dev.emporium.client.users.model.Credentials;
import dev.emporium.client.users.model.Problem;
import dev.emporium.client.users.model.RegisterRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * One shopper's whole journey through the gateway, driven only by the clients that
 * openapi-generator-maven-plugin generates from the committed OpenAPI documents (this module's pom):
 * register, log in, browse, order with an {@code Idempotency-Key}, wait for the saga's decision, read
 * the timeline, cancel. On the way it provokes the errors a shopper meets (an email already taken, a
 * wrong password, an invalid order, an order that is not there, an administrator's operation), and
 * each must arrive as the documented {@code Problem}, read by the generated model. The generated
 * clients fail on any field their documents do not name, and every exchange is recorded for
 * {@link ContractCheck}.
 */
final class GeneratedClientJourney {

    private static final String PASSWORD = "correct horse battery";

    private final RecordingHttpClient http = new RecordingHttpClient();
    private final ObjectMapper json = ApiClient.createDefaultObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final String gateway;

    GeneratedClientJourney(String gateway) {
        this.gateway = gateway;
    }

    /** Every request the journey made and what it answered, in order. */
    List<RecordingHttpClient.Exchange> exchanges() {
        return http.exchanges();
    }

    void run() throws Exception {
        AccountsApi accounts = new AccountsApi(client(null));
        LoginApi login = new LoginApi(client(null));
        String email = "journey." + UUID.randomUUID() + "@example.org";

        RegisterRequest registration = new RegisterRequest().email(email).password(PASSWORD).name("Journey");
        ApiResponse<AccountResponse> registered = accounts.registerCustomerWithHttpInfo(registration);
        assertThat(registered.getStatusCode()).isEqualTo(201);
        assertThat(registered.getHeaders().get("location")).as("Location").singleElement().asString()
            .endsWith("/api/users/" + registered.getData().getId());
        assertThat(registered.getData().getRole()).isEqualTo(AccountResponse.RoleEnum.CUSTOMER);
        problem(409, () -> accounts.registerCustomer(registration));
        problem(401, () -> login.logIn(new Credentials().email(email).password("not the password")));

        String token = login.logIn(new Credentials().email(email).password(PASSWORD)).getAccessToken();
        ApiClient shopper = client(token);
        assertThat(new AccountsApi(shopper).getMe().getEmail()).isEqualTo(email);

        ProductsApi products = new ProductsApi(client(null));
        List<ProductResponse> page = products.searchProducts(null, null, 0, 20, "price").getContent();
        assertThat(page).as("the first page of the catalogue, cheapest first").isNotEmpty()
            .isSortedAccordingTo(java.util.Comparator.comparing(product -> product.getPrice().getAmount()));
        ProductResponse chosen = page.stream().filter(product -> product.getAvailable() >= 1).findFirst()
            .orElseThrow(() -> new AssertionError("no product in stock on the catalogue's first page"));
        assertThat(products.getProduct(chosen.getId()).getName()).isEqualTo(chosen.getName());
        problem(403, () -> new ProductsApi(shopper).addProduct(new ProductRequest().sku("JOURNEY-1").name("Not yours to add")
            .category("misc").price(new dev.emporium.client.inventory.model.PriceRequest().amount(java.math.BigDecimal.ONE).currency(dev.emporium.client.inventory.model.PriceRequest.CurrencyEnum.EUR))));

        OrdersApi orders = new OrdersApi(shopper);
        OrderRequest order = new OrderRequest().lines(List.of(new LineRequest().productId(chosen.getId()).quantity(1)));
        Problem invalid = problem(400, () -> orders.placeOrder(UUID.randomUUID().toString(),
                new OrderRequest().lines(List.of(new LineRequest().productId(chosen.getId()).quantity(0)))));
        assertThat(invalid.getErrors()).extracting(error -> error.getField()).containsExactly("lines[0].quantity");
        UUID missing = UUID.randomUUID();
        Problem notInTheCatalogue = problem(404, () -> orders.placeOrder(UUID.randomUUID().toString(),
                new OrderRequest().lines(List.of(new LineRequest().productId(missing).quantity(1)))));
        assertThat(notInTheCatalogue.getDetail()).as("names the product").contains(missing.toString());
        String key = UUID.randomUUID().toString();
        ApiResponse<OrderResponse> placed = orders.placeOrderWithHttpInfo(key, order);
        assertThat(placed.getStatusCode()).isEqualTo(201);
        UUID id = placed.getData().getId();
        assertThat(placed.getHeaders().get("location")).as("Location").singleElement().asString().endsWith("/api/orders/" + id);
        ApiResponse<OrderResponse> again = orders.placeOrderWithHttpInfo(key, order);
        assertThat(again.getStatusCode()).as("the same Idempotency-Key and body again").isEqualTo(200);
        assertThat(again.getData().getId()).isEqualTo(id);

        OrderResponse decided = orders.getOrder(id, 20);
        assertThat(decided.getStatus()).as("the saga's decision (reason: %s)", decided.getReason()).isEqualTo(OrderResponse.StatusEnum.CONFIRMED);
        assertThat(orders.getOrderTimeline(id)).extracting(Entry::getEvent)
            .contains("sent ReserveStock", "received StockReserved", "received CreditReserved", "order CONFIRMED");
        problem(404, () -> orders.getOrder(UUID.randomUUID(), null));

        assertThat(orders.cancelOrder(id).getStatus()).isEqualTo(OrderResponse.StatusEnum.CANCELLED);
        assertThat(orders.getOrder(id, null).getStatus()).isEqualTo(OrderResponse.StatusEnum.CANCELLED);
    }

    /** A client of the gateway that records every exchange, with the shopper's token if given. */
    private ApiClient client(String token) {
        ApiClient client = new ApiClient(http.builder(), json, gateway).setReadTimeout(Duration.ofSeconds(30));
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }

    /**
     * The call fails with that status, and its body is a Problem of that status, read by the generated
     * model (the three documents share the one schema), in {@code application/problem+json}.
     */
    private Problem problem(int status, Callable<?> call) throws Exception {
        try {
            Object answer = call.call();
            return fail("expected %d, the call answered %s", status, answer);
        }
        catch (ApiException error) {
            assertThat(error.getCode()).as("the status, with %s", error.getResponseBody()).isEqualTo(status);
            assertThat(error.getResponseHeaders().firstValue("Content-Type")).as("the media type of the %d", status).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            Problem problem = json.readValue(error.getResponseBody(), Problem.class);
            assertThat(problem.getStatus()).isEqualTo(status);
            assertThat(problem.getTitle()).isNotBlank();
            assertThat(problem.getDetail()).as("what to do, for the %d", status).isNotBlank();
            return problem;
        }
    }
}
