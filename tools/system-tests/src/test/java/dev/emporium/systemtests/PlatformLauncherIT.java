package dev.emporium.systemtests;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import net.minidev.json.JSONValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.emporium.launcher.Http;
import dev.emporium.launcher.Platform;
import dev.emporium.launcher.Priority;
import dev.emporium.launcher.Settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The one-command local run, end to end: the launcher built by this very build starts embedded
 * PostgreSQL, a Kafka broker, discovery, the three services and the gateway as separate processes;
 * the gateway answers through Eureka; and stopping the launcher leaves no process behind.
 * Ports are shifted by {@link #PORT_OFFSET} so a developer's running platform is not disturbed.
 * One platform for the class: its tests run in order, the last one stops it.
 * <p>
 * Longer than the project's 300 lines on purpose: starting a platform costs minutes on two cores, so
 * every check that needs a running one (the shopper's journey, traces, Kafka ACLs, the databases'
 * roles, the fuzz, the browser) shares this class's; the journeys themselves are classes of their own
 * ({@link GeneratedClientJourney}, {@link ApiFuzz}, {@link StorefrontJourneys}, {@link HttpFile}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformLauncherIT {

    static final int PORT_OFFSET = 20000;
    static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();

    /**
     * Static: made before {@code @BeforeAll} starts the platform in it, removed after {@code @AfterAll}
     * when every test passed; after a failure it stays, with the services' logs under {@code logs/}.
     */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    static Path home;

    Process launcher;

    /** The documents' validators, read once for the journey's check and the fuzz test's. */
    ContractCheck contract;

    /** The administrator's token, from the first login (the gateway limits logins a minute per address). */
    String adminToken;

    @BeforeAll
    void startThePlatform() throws IOException {
        contract = new ContractCheck();
        launcher = startLauncher();
        await("the launcher to print 'ready'").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
            .failFast("the launcher exited", () -> !launcher.isAlive())
            .untilAsserted(() -> assertThat(output()).contains("emporium: ready in"));
    }

    /** Whatever happened in the tests, nothing they started may outlive them (the temp home goes away next). */
    @AfterAll
    void stopEverything() throws IOException {
        if (launcher == null) {
            return;
        }
        List<ProcessHandle> started = launcher.descendants().toList();
        launcher.destroy();
        await().atMost(Duration.ofSeconds(90)).until(() -> !launcher.isAlive());
        started.forEach(ProcessHandle::destroyForcibly);
        postmaster().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }

    /**
     * The gateway's Swagger UI in headless Chromium ({@link SwaggerUiWalk}); skipped, with the reason,
     * where no Chromium and chromedriver are installed. First, so that its login comes before the
     * others and the fuzz test's (the gateway limits logins a minute per address).
     */
    @Test
    @Order(1)
    void theSwaggerUiRendersAndCallsTheApisWithAToken() throws Exception {
        Optional<String> missing = Browser.unavailable();
        Assumptions.assumeTrue(missing.isEmpty(), () -> "the browser test needs a Chromium: " + missing.orElseThrow());
        try (Browser browser = Browser.start(Path.of("target/failsafe-reports/screenshots"))) {
            new SwaggerUiWalk(browser).walk("http://localhost:" + (8080 + PORT_OFFSET), "admin@emporium.local", adminPassword());
        }
    }

    /**
     * The storefront at the gateway's {@code /}, in headless Chromium ({@link StorefrontJourneys}): the
     * administrator's page, a shopper's order confirmed with its saga drawn, an order refused for stock,
     * a double click, another shopper's order, an expired token. Skipped, with the reason, without a Chromium.
     */
    @Test
    @Order(2)
    void theStorefrontWalksEveryJourneyInABrowser() throws Exception {
        Optional<String> missing = Browser.unavailable();
        Assumptions.assumeTrue(missing.isEmpty(), () -> "the browser test needs a Chromium: " + missing.orElseThrow());
        try (Browser browser = Browser.start(Path.of("target/failsafe-reports/screenshots"))) {
            new StorefrontJourneys(browser, "http://localhost:" + (8080 + PORT_OFFSET))
                .walk("admin@emporium.local", adminPassword(), this::poisonInventoryCommands);
        }
    }

    /** A record inventory-service cannot read, on its command topic: it ends among the dead letters. */
    private void poisonInventoryCommands() {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(kafkaAdministrator(),
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("inventory-commands", "storefront-poison",
                    "this is not an envelope {")).get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        catch (Exception e) {
            throw new AssertionError("could not put a poison record on inventory-commands", e);
        }
    }

    /** The broker's super user, as an operator's Kafka client logs in. */
    private Map<String, Object> kafkaAdministrator() throws IOException {
        Map<String, Object> properties = new java.util.HashMap<>(dev.emporium.localkafka.KafkaLogin.admin(
                Files.readString(home.resolve("kafka-passwords").resolve(dev.emporium.localkafka.KafkaLogin.ADMIN)).strip()).clientProperties());
        properties.put("bootstrap.servers", "localhost:" + (Platform.KAFKA_PORT + PORT_OFFSET));
        return properties;
    }

    /**
     * Every record the orders, the storefront and the generated clients caused is as docs/asyncapi.yaml
     * describes it, read by a Kafka client that knows only the document ({@link AsyncApiRecords}).
     */
    private void everyRecordOnTheTopicsIsAsDocumented() throws Exception {
        AsyncApiRecords contract = new AsyncApiRecords(Path.of(System.getProperty("user.dir")).resolve("../../docs/asyncapi.yaml").normalize());
        assertThat(contract.violations(kafkaAdministrator())).as("records on the topics that break docs/asyncapi.yaml").isEmpty();
    }

    @Test
    @Order(3)
    void startsEveryServiceBehindTheGateway() throws Exception {
        Http.Response products = Http.get("http://localhost:" + (8080 + PORT_OFFSET) + "/api/products", "application/json");
        assertThat(products.status()).isEqualTo(200);
        assertThat(products.body()).contains("\"content\"", "\"totalElements\"");

        Http.Response registry = Http.getAs("http://localhost:" + (8761 + PORT_OFFSET) + "/eureka/apps", "application/json",
                Platform.REGISTRY_USER, Files.readString(home.resolve("eureka-password")).strip());
        assertThat(registry.body()).contains("\"USER-SERVICE\"", "\"INVENTORY-SERVICE\"", "\"ORDER-SERVICE\"", "\"GATEWAY\"");
        assertThat(Http.get("http://localhost:" + (8761 + PORT_OFFSET) + "/eureka/apps", "application/json").status())
            .as("the registry without its credentials").isEqualTo(401);

        for (String[] service : new String[][] { { "user-service", "/api/users/login" }, { "inventory-service", "/api/products" },
                { "order-service", "/api/orders" } }) {
            Http.Response document = Http.get("http://localhost:" + (8080 + PORT_OFFSET) + "/v3/api-docs/" + service[0], "application/json");
            assertThat(document.status()).as("the OpenAPI document of " + service[0] + " through the gateway").isEqualTo(200);
            assertThat(document.body()).contains("\"openapi\"", "Emporium " + service[0], "\"" + service[1] + "\"");
        }
        assertThat(Http.get("http://localhost:" + (8080 + PORT_OFFSET) + "/v3/api-docs/swagger-config", "application/json").body())
            .contains("/v3/api-docs/user-service", "/v3/api-docs/inventory-service", "/v3/api-docs/order-service");
        assertThat(Http.get("http://localhost:" + (8080 + PORT_OFFSET) + "/swagger-ui/index.html", "text/html").status())
            .as("the Swagger UI at the gateway").isEqualTo(200);

        Http.Response actuator = Http.get("http://localhost:" + (8080 + PORT_OFFSET) + "/actuator/env", "application/json");
        assertThat(actuator.status()).as("the gateway must not route actuator endpoints").isEqualTo(404);

        eachServiceConnectsAsARoleOfItsOwnThatOwnsOnlyItsDatabase();
        String shopper = shopperRegistersLogsInAndIsCheckedAtEveryHop();
        theApiWalkthroughRunsAsWritten();
        ordersFlowThroughTheSagaAcrossEveryService(shopper);
        aNewPriceReachesTheOrdersThatFollow(shopper);
        aShopperJourneysThroughTheGeneratedClientsAsDocumented();
        everyRecordOnTheTopicsIsAsDocumented();
        everyServiceReportsTheFiguresTheDashboardShows();
        everyOperationAnswersBadInputWithAProblem(shopper);
        noMetricWasRefused();
        noProcessWarnsAboutWhatItsConfigurationChose();

        List<ProcessHandle> started = launcher.descendants().toList();
        long postgres = postmaster().orElseThrow();
        assertThat(started).extracting(process -> process.info().commandLine().orElse(""))
            .anyMatch(line -> line.contains("-Demporium.process=gateway"))
            .anyMatch(line -> line.contains("-Demporium.process=kafka"));
        ProcessHandle gateway = started.stream()
            .filter(process -> process.info().commandLine().orElse("").contains("-Demporium.process=gateway")).findFirst().orElseThrow();
        assertThat(eventLoopThreads(gateway)).as("Reactor Netty event loops of the gateway (Settings.DEFAULT_GATEWAY_JAVA_OPTIONS)")
            .isEqualTo(1);
        theGatewayHasTheCpuFirst(started, postgres);
    }

    @Test
    @Order(4)
    void stopsEveryProcessItStarted() throws IOException {
        List<ProcessHandle> started = launcher.descendants().toList();
        long postgres = postmaster().orElseThrow();
        launcher.destroy();

        await("every process to stop").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(launcher.isAlive()).isFalse();
            assertThat(started).noneMatch(ProcessHandle::isAlive);
            assertThat(ProcessHandle.of(postgres)).isEmpty();
        });
        assertThat(output()).contains("emporium: stopping", "emporium: stopped");
    }

    /**
     * Least privilege in PostgreSQL: order-service's role is no superuser, owns its database, cannot
     * connect to another service's; nobody gets in without a password, the superuser included.
     */
    private void eachServiceConnectsAsARoleOfItsOwnThatOwnsOnlyItsDatabase() throws Exception {
        String server = "jdbc:postgresql://localhost:" + (Platform.POSTGRES_PORT + PORT_OFFSET) + "/";
        String password = Files.readString(home.resolve("postgres-passwords/emporium_orders")).strip();
        try (java.sql.Connection orders = java.sql.DriverManager.getConnection(server + "orders", "emporium_orders", password);
                java.sql.ResultSet role = orders.createStatement().executeQuery(
                        "select r.rolsuper, r.rolcreaterole, pg_get_userbyid(d.datdba) from pg_roles r, pg_database d"
                                + " where r.rolname = current_user and d.datname = 'orders'")) {
            assertThat(role.next()).isTrue();
            assertThat(role.getBoolean(1)).as("superuser").isFalse();
            assertThat(role.getBoolean(2)).as("may create roles").isFalse();
            assertThat(role.getString(3)).as("the orders database's owner").isEqualTo("emporium_orders");
        }
        assertThatExceptionOfType(java.sql.SQLException.class).as("order-service's role in the users database")
            .isThrownBy(() -> java.sql.DriverManager.getConnection(server + "users", "emporium_orders", password).close());
        assertThatExceptionOfType(java.sql.SQLException.class).as("the superuser without its password")
            .isThrownBy(() -> java.sql.DriverManager.getConnection(server + "postgres", "postgres", "").close());
    }

    /** The identity flow through the gateway, with user-service's real keys fetched through Eureka. */
    private String shopperRegistersLogsInAndIsCheckedAtEveryHop() throws IOException, InterruptedException {
        String gateway = "http://localhost:" + (8080 + PORT_OFFSET);
        String email = "shopper." + java.util.UUID.randomUUID() + "@example.org";

        // the first registration of a platform just started: its password hashing and the routes to
        // user-service run for the first time, on two cores shared with the browser test's Chromium
        long sent = System.nanoTime();
        Http.Response registered = Http.postJson(gateway + "/api/users/register",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"name\":\"Shopper\"}",
                java.time.Duration.ofSeconds(60));
        Duration took = Duration.ofNanos(System.nanoTime() - sent);
        String waiting = registered.status() == 0 ? dumpThreads("the first registration timed out") : "";
        if (took.compareTo(Duration.ofSeconds(5)) > 0) {
            // where the time went, from the spans of every hop (exported every 200 ms)
            String collector = "http://localhost:" + (Platform.TRACE_COLLECTOR_PORT + PORT_OFFSET);
            String[] traces = { "" };
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    traces[0] = Diagnosis.slowTraces(collector, Duration.ofSeconds(5));
                    return !traces[0].startsWith("\nno trace");
                });
            }
            catch (org.awaitility.core.ConditionTimeoutException none) {
                // printed as it is: no slow trace arrived
            }
            System.out.println("the first registration took " + took.toMillis() + " ms (" + registered.status() + "):" + traces[0]);
        }
        assertThat(registered.status()).as(registered.body() + waiting).isEqualTo(201);
        Http.Response asAnAdministrator = Http.postJson(gateway + "/api/users/register", "{\"email\":\"mallory." + java.util.UUID.randomUUID()
                + "@example.org\",\"password\":\"correct horse battery\",\"name\":\"Mallory\",\"roles\":[\"ADMIN\"]}", Duration.ofSeconds(30));
        assertThat(asAnAdministrator.status()).as("a registration that names its roles: %s", asAnAdministrator.body()).isEqualTo(400);
        assertThat(JsonPath.<List<String>>read(asAnAdministrator.body(), "$.errors[*].field")).containsExactly("roles");
        String token = logIn(gateway, email, "correct horse battery");
        Http.Response me = Http.get(gateway + "/api/users/me", "application/json", token);
        Http.Response anonymous = Http.get(gateway + "/api/users/me", "application/json");
        Http.Response adminOnly = Http.get(gateway + "/api/orders/dead-letters", "application/json", token);
        adminToken = logIn(gateway, "admin@emporium.local", adminPassword());
        Http.Response asAdmin = Http.get(gateway + "/api/orders/dead-letters", "application/json", adminToken);

        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(me.body(), "$.role")).isEqualTo("CUSTOMER");
        assertThat(JsonPath.<Double>read(me.body(), "$.credit.available")).isEqualTo(1000.0);
        assertThat(anonymous.status()).as(anonymous.body()).isEqualTo(401);
        assertThat(adminOnly.status()).as("a customer at an admin endpoint: %s", adminOnly.body()).isEqualTo(403);
        assertThat(asAdmin.status()).as(asAdmin.body()).isEqualTo(200);
        return token;
    }

    /** docs/api.http, top to bottom, against this platform: every request answers as the file says. */
    private void theApiWalkthroughRunsAsWritten() throws Exception {
        List<HttpFile.Result> results = new HttpFile(Map.of("EMPORIUM_ADMIN_PASSWORD", adminPassword()))
            .run(ROOT.resolve("docs/api.http"), Map.of("gateway", "http://localhost:" + (8080 + PORT_OFFSET)));
        assertThat(results).hasSizeGreaterThan(15).allSatisfy(result -> assertThat(result.asWritten())
            .as(result.title() + ": " + result.method() + " " + result.url() + " answered " + result.status() + ", the file says "
                    + result.expected() + "\n" + result.body())
            .isTrue());
    }

    /**
     * The place-order and cancel-order sagas through the gateway, against inventory-service and
     * user-service for real: confirm, reject for stock, reject for credit, cancel, idempotency, privacy.
     */
    private void ordersFlowThroughTheSagaAcrossEveryService(String token) throws IOException {
        String gateway = "http://localhost:" + (8080 + PORT_OFFSET);
        String catalogue = Http.get(gateway + "/api/products?size=100&sort=price", "application/json").body();
        List<Map<String, Object>> products = JsonPath.read(catalogue, "$.content[?(@.available >= 5 && @.price.amount <= 100)]");
        Map<String, Object> product = products.getFirst();
        String productId = (String) product.get("id");
        int stockBefore = ((Number) product.get("available")).intValue();
        double price = ((Number) ((Map<?, ?>) product.get("price")).get("amount")).doubleValue();

        String key = java.util.UUID.randomUUID().toString();
        Http.Response placed = Http.postJson(gateway + "/api/orders", order(productId, 2), token, key);
        Http.Response repeated = Http.postJson(gateway + "/api/orders", order(productId, 2), token, key);
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        assertThat(repeated.status()).isEqualTo(200);
        String orderId = JsonPath.read(placed.body(), "$.id");
        assertThat(JsonPath.<String>read(repeated.body(), "$.id")).isEqualTo(orderId);
        // one GET that waits for the saga's decision, through the gateway: no polling
        Http.Response decided = Http.get(gateway + "/api/orders/" + orderId + "?wait=20", "application/json", token,
                Duration.ofSeconds(25));
        assertThat(decided.status()).as(decided.body()).isEqualTo(200);
        assertThat(JsonPath.<String>read(decided.body(), "$.status")).isEqualTo("CONFIRMED");
        theOrderIsOneTraceFromTheGatewayThroughEveryService(orderId);
        assertThat(available(gateway, productId)).isEqualTo(stockBefore - 2);
        assertThat(JsonPath.<Double>read(Http.get(gateway + "/api/users/me", "application/json", token).body(), "$.credit.used"))
            .isEqualTo(2 * price);

        // one more unit than the shelf holds, and within the credit left: stock and credit are asked for
        // in parallel, so only the stock may refuse it, and the credit reserved meanwhile is given back
        List<Map<String, Object>> all = JsonPath.read(catalogue, "$.content[*]");
        double creditLeft = 1000.0 - 2 * price;
        Map<String, Object> scarce = all.stream()
            .filter(candidate -> !candidate.get("id").equals(productId))
            .filter(candidate -> priceOf(candidate) * (((Number) candidate.get("available")).intValue() + 1) <= creditLeft)
            .findFirst().orElseThrow(() -> new AssertionError("the demo catalogue has no product whose whole stock the credit covers"));
        String scarceId = (String) scarce.get("id");
        int scarceStock = available(gateway, scarceId);
        Http.Response tooMany = Http.postJson(gateway + "/api/orders", order(scarceId, scarceStock + 1), token,
                java.util.UUID.randomUUID().toString());
        String rejected = JsonPath.read(tooMany.body(), "$.id");
        assertThat(awaitStatus(gateway, rejected, token, "REJECTED")).contains("stock");
        assertThat(available(gateway, scarceId)).isEqualTo(scarceStock);
        await("the credit reserved for the order refused for stock to be released").atMost(Duration.ofSeconds(30))
            .until(() -> Math.abs(JsonPath.<Number>read(Http.get(gateway + "/api/users/me", "application/json", token).body(),
                    "$.credit.available").doubleValue() - creditLeft) < 0.001);

        Map<String, Object> expensive = all.stream()
            .filter(candidate -> !candidate.get("id").equals(productId))
            .filter(candidate -> beyondCredit(candidate) <= ((Number) candidate.get("available")).intValue())
            .findFirst().orElseThrow(() -> new AssertionError("the demo catalogue has no product to exceed the credit with"));
        int beyondCredit = beyondCredit(expensive);
        int dearStock = ((Number) expensive.get("available")).intValue();
        Http.Response unaffordable = Http.postJson(gateway + "/api/orders", order((String) expensive.get("id"), beyondCredit), token,
                java.util.UUID.randomUUID().toString());
        assertThat(awaitStatus(gateway, JsonPath.read(unaffordable.body(), "$.id"), token, "REJECTED")).contains("credit");
        await("the stock reservation of the unaffordable order to be released").atMost(Duration.ofSeconds(30))
            .until(() -> available(gateway, (String) expensive.get("id")) == dearStock);

        Http.Response cancelled = Http.postJson(gateway + "/api/orders/" + orderId + "/cancel", "{}", token, null);
        assertThat(JsonPath.<String>read(cancelled.body(), "$.status")).isEqualTo("CANCELLED");
        await("stock and credit to come back").atMost(Duration.ofSeconds(30)).until(() -> available(gateway, productId) == stockBefore
                && JsonPath.<Double>read(Http.get(gateway + "/api/users/me", "application/json", token).body(), "$.credit.used") == 0.0);

        String stranger = logIn(gateway, "admin@emporium.local", adminPassword());
        assertThat(Http.get(gateway + "/api/orders/" + orderId, "application/json", stranger).status()).as("an admin sees every order")
            .isEqualTo(200);
        String otherShopper = registerAndLogIn(gateway);
        assertThat(Http.get(gateway + "/api/orders/" + orderId, "application/json", otherShopper).status())
            .as("another customer's order").isEqualTo(404);
    }

    /**
     * The administrator raises a price. order-service's price list learns it from inventory-service's
     * {@code ProductPriced} event, and the orders that follow cost the new price. One placed before the
     * list learned it shows the old price: the stock reservation refuses it, and the shopper reads why.
     */
    private void aNewPriceReachesTheOrdersThatFollow(String token) throws Exception {
        String gateway = "http://localhost:" + (8080 + PORT_OFFSET);
        List<Map<String, Object>> stocked = JsonPath.read(Http.get(gateway + "/api/products?size=100&sort=price", "application/json").body(),
                "$.content[?(@.available >= 10)]");
        Map<String, Object> product = stocked.getFirst();
        String id = (String) product.get("id");
        BigDecimal raised = BigDecimal.valueOf(priceOf(product)).add(BigDecimal.ONE).setScale(2, RoundingMode.HALF_UP);
        Map<String, Object> change = new HashMap<>(Map.of("name", product.get("name"), "price", Map.of("amount", raised, "currency", "EUR")));
        change.put("description", product.get("description"));
        change.put("category", product.get("category"));
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> changed = client.send(HttpRequest.newBuilder(URI.create(gateway + "/api/products/" + id))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSONValue.toJSONString(change))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        }

        List<String> placed = new ArrayList<>();
        await("an order priced at the new price").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Http.Response order = Http.postJson(gateway + "/api/orders", order(id, 1), token, java.util.UUID.randomUUID().toString());
            assertThat(order.status()).as(order.body()).isEqualTo(201);
            placed.add(JsonPath.read(order.body(), "$.id"));
            return raised.compareTo(new BigDecimal(JsonPath.<Number>read(order.body(), "$.lines[0].unitPrice").toString())) == 0;
        });
        assertThat(awaitStatus(gateway, placed.getLast(), token, "CONFIRMED")).isEmpty();
        for (String atTheOldPrice : placed.subList(0, placed.size() - 1)) {
            assertThat(awaitStatus(gateway, atTheOldPrice, token, "REJECTED")).startsWith("Prices changed after the order was placed");
        }
        Http.postJson(gateway + "/api/orders/" + placed.getLast() + "/cancel", "{}", token, null);
        awaitStatus(gateway, placed.getLast(), token, "CANCELLED");
    }

    /**
     * The journey of {@link GeneratedClientJourney} (clients generated from docs/openapi at build time),
     * and then every request it made and every answer it got, errors included, checked against the
     * documents with every object closed: an undocumented status, media type or field fails.
     */
    private void aShopperJourneysThroughTheGeneratedClientsAsDocumented() throws Exception {
        GeneratedClientJourney journey = new GeneratedClientJourney("http://localhost:" + (8080 + PORT_OFFSET));
        journey.run();
        assertThat(journey.exchanges()).extracting(RecordingHttpClient.Exchange::status).as("the journey's statuses")
            .contains(200, 201, 400, 401, 403, 404, 409);
        assertThat(contract.violations(journey.exchanges())).as("exchanges the OpenAPI documents do not describe").isEmpty();
    }

    /**
     * The services export their spans to the launcher's OTLP collector. The order's POST is one trace:
     * one root at the gateway, spans from every service, each Kafka consumer span a child of the
     * producer span that sent its record, and no saga message of this order in any other trace.
     */
    private static void theOrderIsOneTraceFromTheGatewayThroughEveryService(String orderId) {
        String collector = "http://localhost:" + (Platform.TRACE_COLLECTOR_PORT + PORT_OFFSET);
        await("the order's trace to reach the collector up to OrderConfirmed").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                List<String> traces = JsonPath.read(Http.get(collector + "/traces.json?order.id=" + orderId, "application/json").body(),
                        "$[*]");
                List<String> sagaTraces = traces.stream()
                    .filter(trace -> !spans(collector, trace, "@.attributes['messaging.message.type']").isEmpty())
                    .toList();
                assertThat(sagaTraces).as("traces holding this order's saga messages").hasSize(1);
                String trace = sagaTraces.getFirst();
                List<Map<String, Object>> all = spans(collector, trace, "@.spanId");

                assertThat(spans(collector, trace, "@.parentSpanId == ''")).as("roots").singleElement()
                    .satisfies(root -> assertThat(root).containsEntry("service", "gateway").containsEntry("kind", "SERVER"));
                assertThat(all).extracting(span -> span.get("service")).contains("gateway", "order-service", "inventory-service",
                        "user-service");
                assertThat(all).extracting(span -> span.get("traceId")).containsOnly(trace);
                assertThat(spans(collector, trace, "@.service == 'order-service' && @.name == 'query'")).as("SQL").isNotEmpty();
                // both reservations leave together: one relay span each (the order was priced from the price
                // list, or by a call to inventory-service when no event had listed its product yet)
                assertThat(spans(collector, trace, "@.name == 'outbox relay ReserveStock'")).as("the relay").hasSize(1);
                assertThat(spans(collector, trace, "@.name == 'outbox relay ReserveCredit'")).as("the relay").hasSize(1);
                assertThat(spans(collector, trace, "@.service == 'order-service' && @.attributes['messaging.message.type'] == 'OrderConfirmed'"
                        + " && @.attributes['order.id'] == '" + orderId + "'")).as("up to the confirmation").isNotEmpty();

                List<Map<String, Object>> consumers = spans(collector, trace, "@.kind == 'CONSUMER' && @.name =~ /.* process/");
                assertThat(consumers).extracting(span -> span.get("service"))
                    .contains("inventory-service", "user-service", "order-service");
                assertThat(consumers).allSatisfy(consumer -> assertThat(all)
                    .filteredOn(span -> span.get("spanId").equals(consumer.get("parentSpanId")))
                    .singleElement()
                    .satisfies(parent -> assertThat(parent).containsEntry("kind", "PRODUCER")
                        .extracting(p -> p.get("name")).asString().endsWith(" send")));
            });
    }

    /**
     * After the orders: the domain figures are non-zero where they must be, and every metric the
     * Grafana dashboard queries exists in some service's scrape (a renamed metric breaks this test,
     * not the dashboard in silence).
     */
    private static void everyServiceReportsTheFiguresTheDashboardShows() throws IOException {
        await("the order and stock gauges to count the orders").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String orders = scrape(9083);
            assertThat(sample(orders, "emporium_orders{status=\"CANCELLED\"}")).isPositive();
            assertThat(sample(orders, "emporium_orders{status=\"REJECTED\"}")).isPositive();
            assertThat(sample(scrape(9082), "emporium_stock_reservations{status=\"RELEASED\"}")).isPositive();
        });
        String orders = scrape(9083);
        assertThat(orders).contains("emporium_saga_step_seconds_count{reply=\"StockReserved\",step=\"RESERVE_STOCK\"}",
                "emporium_outbox_pending ", "emporium_outbox_oldest_age_seconds ", "resilience4j_circuitbreaker_state{",
                "hikaricp_connections_active{", "kafka_consumer_fetch_manager_records_lag_max{", "jvm_memory_used_bytes{",
                "emporium_messaging_dead_lettered_total{topic=\"order-saga-replies\"}");
        assertThat(sample(orders, "emporium_saga_step_seconds_count{reply=\"CreditReserved\",step=\"RESERVE_CREDIT\"}"))
            .isPositive();

        String everything = scrape(9080) + scrape(9081) + scrape(9082) + orders;
        String dashboard = Files.readString(ROOT.resolve("docs/grafana/emporium-dashboard.json"));
        java.util.regex.Matcher metric = java.util.regex.Pattern
            .compile("\\b((?:emporium|resilience4j|kafka|http_server|hikaricp|jvm)_[a-z_]+)\\b").matcher(dashboard);
        List<String> queried = metric.results().map(match -> match.group(1)).distinct().toList();
        assertThat(queried).hasSizeGreaterThan(10);
        assertThat(queried).allSatisfy(name -> assertThat(everything).as("a scrape with " + name).containsPattern("(?m)^" + name + "[{ ]"));
        // observations record timers only, no long-task timers (management.metrics.observations.ignored-meters)
        assertThat(everything).contains("emporium_outbox_relay_seconds_count{", "http_server_requests_seconds_count{")
            .doesNotContainPattern("(?m)^[a-z_]+_active_seconds_(?:count|sum|max)[{ ]");
    }

    /**
     * The API fuzz test (OWASP API Top 10, docs/security.md): every operation of every service's OpenAPI
     * document, through the gateway, with generated bad input, as a customer and as the administrator.
     * No 5xx, every 4xx a problem, every answer as documented. Last, as its successes change the shop.
     */
    private void everyOperationAnswersBadInputWithAProblem(String customer) throws Exception {
        String gateway = "http://localhost:" + (8080 + PORT_OFFSET);
        ApiFuzz fuzz = new ApiFuzz(gateway, contract);
        List<ApiFuzz.Finding> findings = new java.util.ArrayList<>();
        for (String service : List.of("user-service", "inventory-service", "order-service")) {
            String document = Http.get(gateway + "/v3/api-docs/" + service, "application/json").body();
            findings.addAll(fuzz.fuzz(document, Map.of("customer", customer, "administrator", adminToken)));
        }
        assertThat(fuzz.requests()).as("requests the fuzzer made").isGreaterThan(500);
        assertThat(findings).as("answers to bad input that break the rules:%n%s", String.join("\n",
                findings.stream().limit(40).map(ApiFuzz.Finding::toString).toList())).isEmpty();
    }

    /** Prometheus refuses a metric name registered with two sets of tags, and the series goes missing. */
    private void noMetricWasRefused() throws IOException {
        assertThat(logsContaining("registration has failed")).as("logs with a refused metric").isEmpty();
    }

    /**
     * What the platform chose on purpose is said in its configuration, so that no process warns about it
     * at every start: springdoc's documents "enabled by default", Spring Cloud LoadBalancer's "default
     * cache" in the registry. The warnings a start leaves are then ones worth reading.
     */
    private void noProcessWarnsAboutWhatItsConfigurationChose() throws IOException {
        assertThat(logsContaining("is enabled by default. To disable it in production")).as("logs warning that springdoc is on").isEmpty();
        assertThat(logsContaining("working with the default cache")).as("logs warning of the load balancer's default cache").isEmpty();
    }

    /** The names of the platform's log files that contain {@code text}. */
    private List<String> logsContaining(String text) throws IOException {
        try (java.util.stream.Stream<Path> logs = Files.list(home.resolve("logs"))) {
            List<Path> all = logs.filter(log -> log.toString().endsWith(".log")).toList();
            assertThat(all).as("the platform's logs").isNotEmpty();
            List<String> containing = new ArrayList<>();
            for (Path log : all) {
                if (Files.readString(log).contains(text)) {
                    containing.add(log.getFileName().toString());
                }
            }
            return containing;
        }
    }

    private static String scrape(int managementPort) {
        Http.Response scrape = Http.get("http://localhost:" + (managementPort + PORT_OFFSET) + "/actuator/prometheus", "text/plain");
        assertThat(scrape.status()).as(scrape.body()).isEqualTo(200);
        return scrape.body();
    }

    /** The value of one exact series (name and labels as Prometheus prints them) in a scrape; 0 if absent. */
    private static double sample(String scrape, String series) {
        return scrape.lines().filter(line -> line.startsWith(series + " ")).findFirst()
            .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).orElse(0.0);
    }

    private static List<Map<String, Object>> spans(String collector, String trace, String filter) {
        return JsonPath.read(Http.get(collector + "/traces/" + trace + ".json", "application/json").body(), "$[?(" + filter + ")]");
    }

    /** Units of the product that cost more than a new customer's 1000.00 of credit. */
    private static int beyondCredit(Map<String, Object> product) {
        return (int) Math.floor(1000.0 / priceOf(product)) + 1;
    }

    private static double priceOf(Map<String, Object> product) {
        return ((Number) ((Map<?, ?>) product.get("price")).get("amount")).doubleValue();
    }

    private static String order(String productId, int quantity) {
        return "{\"lines\":[{\"productId\":\"" + productId + "\",\"quantity\":" + quantity + "}]}";
    }

    private static String awaitStatus(String gateway, String orderId, String token, String status) {
        await("order " + orderId + " to be " + status).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
            .until(() -> JsonPath.read(Http.get(gateway + "/api/orders/" + orderId, "application/json", token).body(), "$.status"),
                    status::equals);
        String reason = JsonPath.read(Http.get(gateway + "/api/orders/" + orderId, "application/json", token).body(), "$.reason");
        return reason == null ? "" : reason;
    }

    private static int available(String gateway, String productId) {
        return JsonPath.read(Http.get(gateway + "/api/products/" + productId, "application/json").body(), "$.available");
    }

    private String adminPassword() throws IOException {
        return Files.readString(home.resolve("admin-password")).strip();
    }

    private static String registerAndLogIn(String gateway) {
        String email = "other." + java.util.UUID.randomUUID() + "@example.org";
        Http.postJson(gateway + "/api/users/register", "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"name\":\"Other\"}");
        return logIn(gateway, email, "correct horse battery");
    }

    /** The access token, or a failure that says what the login answered (a 429 names the rate limit). */
    private static String logIn(String gateway, String email, String password) {
        Http.Response login = Http.postJson(gateway + "/api/users/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat(login.status()).as("login of %s through the gateway: %s", email, login.body()).isEqualTo(200);
        return JsonPath.read(login.body(), "$.accessToken");
    }

    /**
     * Every platform JVM's threads into {@code <home>/logs/<process>-threads.txt} (kept after a failure):
     * where a request that never got an answer is waiting.
     */
    private String dumpThreads(String why) throws IOException, InterruptedException {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        StringBuilder summary = new StringBuilder("\n" + why + "; the threads of every process are in " + home.resolve("logs")
                + "/*-threads.txt");
        for (String line : Files.readAllLines(home.resolve("run/pids"))) {
            String[] process = line.split(" ");
            if (process.length == 2 && !process[0].equals("postgres") && !process[0].equals("launcher")) {
                Path dump = home.resolve("logs").resolve(process[0] + "-threads.txt");
                new ProcessBuilder(jcmd.toString(), process[1], "Thread.print").redirectErrorStream(true)
                    .redirectOutput(dump.toFile()).start().waitFor(30, TimeUnit.SECONDS);
                if (process[0].equals("gateway") || process[0].equals("user-service")) {
                    summary.append(Diagnosis.of(process[0], dump, home.resolve("logs").resolve(process[0] + ".log")));
                }
            }
        }
        System.out.println(summary);
        return summary.toString();
    }

    private Process startLauncher() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Demporium.process=launcher-it", "-jar",
                ROOT.resolve("tools/launcher/target/launcher-exec.jar").toString(), "up")
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("launcher.out").toFile());
        builder.environment().putAll(Map.of("EMPORIUM_ROOT", ROOT.toString(), "EMPORIUM_HOME", home.toString(),
                "EMPORIUM_PORT_OFFSET", Integer.toString(PORT_OFFSET),
                // the services inherit it: spans leave every 200 ms instead of every 5 s
                "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "200ms",
                // the browser journeys and the API tests log in more often a minute, from one address, than
                // the gateway's ten; that limit itself is proven by the gateway's EdgeLimitsTests
                "EMPORIUM_GATEWAY_RATELIMITS_LOGIN_CAPACITY", "40", "EMPORIUM_GATEWAY_RATELIMITS_LOGIN_PERPERIOD", "40"));
        builder.environment().remove("EMPORIUM_OTLP_ENDPOINT");
        builder.environment().remove("EMPORIUM_TRACE_LINK");
        return builder.start();
    }

    private Optional<Long> postmaster() throws IOException {
        Path lockFile = home.resolve("postgres/postmaster.pid");
        return Files.exists(lockFile) ? Optional.of(Long.parseLong(Files.readAllLines(lockFile).getFirst().trim()))
                : Optional.empty();
    }

    private String output() throws IOException {
        return Files.readString(home.resolve("launcher.out"));
    }

    /**
     * Priority: the gateway at the launcher's own nice value, every other process (PostgreSQL's backends
     * included, forked after the launcher lowered the postmaster) 5 nicer (Settings.DEFAULT_NICE).
     */
    private static void theGatewayHasTheCpuFirst(List<ProcessHandle> started, long postmaster) {
        int own = Priority.niceOf(ProcessHandle.current().pid()).orElseThrow();
        List<ProcessHandle> services = started.stream()
            .filter(process -> process.info().commandLine().orElse("").matches(".*-Demporium\\.process=(discovery|kafka|[a-z]+-service) .*"))
            .toList();
        ProcessHandle gateway = started.stream()
            .filter(process -> process.info().commandLine().orElse("").contains("-Demporium.process=gateway")).findFirst().orElseThrow();
        List<ProcessHandle> backends = ProcessHandle.of(postmaster).orElseThrow().descendants().toList();

        assertThat(services).as("discovery, kafka and the three services").hasSize(5);
        assertThat(Priority.niceOf(gateway.pid())).as("the gateway's nice value").hasValue(own);
        assertThat(services).allSatisfy(process -> assertThat(Priority.niceOf(process.pid()))
            .as(process.info().commandLine().orElse("")).hasValue(own + 5));
        assertThat(Priority.niceOf(postmaster)).as("the postmaster").hasValue(own + 5);
        // a backend that ended meanwhile (an autovacuum worker) has no nice value left to read
        List<Integer> backendNice = backends.stream().map(backend -> Priority.niceOf(backend.pid()))
            .filter(java.util.OptionalInt::isPresent).map(java.util.OptionalInt::getAsInt).toList();
        assertThat(backendNice).as("PostgreSQL's backends and helpers").hasSizeGreaterThan(10).containsOnly(own + 5);
    }

    /** Threads named {@code reactor-http-epoll-N} (or {@code -nio-N}) of a process, from /proc. */
    private static long eventLoopThreads(ProcessHandle process) throws IOException {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            return tasks.map(task -> {
                try {
                    return Files.readString(task.resolve("comm")).strip();
                } catch (IOException gone) {
                    return "";
                }
            }).filter(name -> name.startsWith("reactor-http-")).count();
        }
    }
}
