package dev.emporium.chaos;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.emporium.chaos.ChaosAudit.Check;
import dev.emporium.chaos.ChaosSettings.Fault;
import dev.emporium.chaos.ChaosShop.Answer;
import dev.emporium.chaos.ChaosShoppers.Customer;
import dev.emporium.chaos.ChaosShoppers.Product;

import dev.emporium.launcher.Http;
import dev.emporium.launcher.Launcher;
import dev.emporium.launcher.Platform;
import dev.emporium.launcher.Settings;

/**
 * {@code ./emporium chaos}: starts the platform as separate processes on embedded PostgreSQL and
 * Kafka (its own data and ports, so a running platform is left alone), seeds products and customers,
 * lets concurrent shoppers order while faults are injected one after another, and then audits the
 * books. Prints a table of every invariant and exits non-zero if one does not hold.
 */
public final class ChaosRun {

    /** Ports shifted by this, unless EMPORIUM_PORT_OFFSET says otherwise: a developer's platform keeps running. */
    static final int PORT_OFFSET = 2000;

    private final ChaosSettings settings;
    private final Platform platform;
    private final ChaosShop shop;
    private final List<String> timeline = new ArrayList<>();
    private final Instant started = Instant.now();
    private final ChaosFaults faults;

    private ChaosRun(ChaosSettings settings, Platform platform) {
        this.settings = settings;
        this.platform = platform;
        this.shop = new ChaosShop(platform.gatewayUrl());
        this.faults = new ChaosFaults(settings, platform);
    }

    /** {@code java -jar chaos-exec.jar [options]}; {@code ./emporium chaos} is the friendly way in. */
    public static void main(String[] args) {
        Launcher.quietLibraryLogging();
        System.exit(run(args));
    }

    static int run(String[] args) {
        ChaosSettings chaos;
        try {
            chaos = ChaosSettings.parse(args);
        }
        catch (IllegalArgumentException e) {
            System.out.println("emporium chaos: " + e.getMessage());
            return 2;
        }
        Map<String, String> environment = new HashMap<>(Platform.GATEWAY_LIMITS_LIFTED);
        environment.put("EMPORIUM_SAGA_STEP_TIMEOUT", ChaosSettings.STEP_TIMEOUT.toSeconds() + "s");
        environment.put("EMPORIUM_TRACE_SAMPLING", "0.05");
        Platform platform = new Platform(Settings.ownPlatform(System.getenv(), "EMPORIUM_CHAOS_HOME", ".emporium/chaos", PORT_OFFSET)
            .withLayout(chaos.replicas(), chaos.kafkaBrokers()), environment);
        System.out.println("emporium chaos: " + chaos.describe());
        if (!platform.start()) {
            return 1;
        }
        try {
            return new ChaosRun(chaos, platform).execute() ? 0 : 1;
        }
        finally {
            platform.shutdown();
        }
    }

    private boolean execute() {
        String admin;
        try {
            admin = shop.logIn(platform.adminEmail(), platform.adminPassword());
        }
        catch (ChaosShop.LoginRefusedException e) {
            System.out.println("emporium chaos: stopped before any order: " + e.getMessage() + ". The platform's administrator is "
                    + platform.adminEmail() + " (EMPORIUM_ADMIN_EMAIL) with the password in EMPORIUM_ADMIN_PASSWORD; set both, or"
                    + " neither to use a generated one.");
            return false;
        }
        List<Product> products = seedProducts(admin);
        List<Customer> customers = seedCustomers(admin);
        note("seeded " + products.size() + " products and " + customers.size() + " customers");

        ChaosShoppers shoppers = new ChaosShoppers(shop, settings, products);
        Thread load = Thread.ofPlatform().name("chaos-shoppers").start(() -> shoppers.run(customers));
        Instant lastFault = injectFaults(shoppers);
        join(load);
        Instant loadEnded = Instant.now();
        note("load done: " + shoppers.placed.get() + " orders placed, " + shoppers.cancelled.get() + " cancelled, "
                + shoppers.givenUp.get() + " given up");

        ChaosAudit audit = new ChaosAudit(platform);
        List<Check> all = new ArrayList<>();
        try {
            Instant quiet = lastFault.isAfter(loadEnded) ? lastFault : loadEnded;
            while (audit.pendingOrders() > 0 && Instant.now().isBefore(quiet.plus(ChaosSettings.SETTLE))) {
                ChaosShop.pause(Duration.ofSeconds(1));
            }
            Duration settled = Duration.between(quiet, Instant.now());
            boolean allTerminal = audit.pendingOrders() == 0;
            note("orders terminal " + seconds(Duration.between(lastFault, Instant.now())) + " s after the last fault ended, "
                    + seconds(Duration.between(loadEnded, Instant.now())) + " s after the last order");
            all.add(new Check("every order terminal within " + ChaosSettings.SETTLE.toSeconds() + " s of the last fault and the last order",
                    "<= " + ChaosSettings.SETTLE.toSeconds() + " s", allTerminal ? seconds(settled) + " s" : "not after " + seconds(settled) + " s",
                    allTerminal));
            List<Check> checks = audit.books(shoppers.orderIds);
            Instant balancedBy = Instant.now().plus(ChaosSettings.SETTLE);
            while (checks.stream().anyMatch(check -> !check.holds()) && Instant.now().isBefore(balancedBy)) {
                ChaosShop.pause(Duration.ofSeconds(1)); // compensations and commits still in flight
                checks = audit.books(shoppers.orderIds);
            }
            all.addAll(checks);
            all.add(new Check("orders placed by the shoppers", settings.orders() + "", shoppers.placed.get() + " ("
                    + shoppers.givenUp.get() + " given up)", shoppers.placed.get() == settings.orders()));
            all.add(deadLetters(shop.logIn(platform.adminEmail(), platform.adminPassword()))); // the first token has expired by now
            all.add(inboxDuplicates());
            if (settings.replicated()) {
                List<String> silent = audit.rejectedForSilence();
                all.add(new Check("no order rejected for a participant's silence while its twin was up", "0", silent.size() + "",
                        silent.isEmpty()));
                silent.stream().limit(2).forEach(audit.suspects::add);
            }
        }
        catch (RuntimeException e) {
            all.add(new Check("the audit ran to the end", "no error", e.toString(), false));
        }
        long unacceptable = shop.tally.unacceptable();
        all.add(new Check("every HTTP answer: 2xx, 4xx with a reason, or 429/503 with Retry-After", "0 others",
                unacceptable + " others", unacceptable == 0));
        if (settings.replicated()) {
            long gone = shop.tally.instanceGone();
            all.add(new Check("no 503 from an instance gone while its twin was up", "0", gone + "", gone == 0));
            long serverErrors = shop.tally.serverErrors();
            all.add(new Check("no shopper saw a 5xx (people's pace: load shed on purpose counts too)", "0", serverErrors + "",
                    serverErrors == 0));
        }
        print(all, shoppers);
        for (String order : audit.suspects) {
            System.out.println("\n  the saga of order " + order + ":");
            audit.timeline(order).forEach(line -> System.out.println("    " + line));
            System.out.println("    inventory: " + String.join("; ", audit.reservation(order)));
        }
        return all.stream().allMatch(Check::holds);
    }

    // Seeding, through the shop's own admin API.

    private List<Product> seedProducts(String admin) {
        List<Product> products = new ArrayList<>();
        for (int i = 1; i <= settings.products(); i++) {
            BigDecimal price = BigDecimal.valueOf(ThreadLocalRandom.current().nextInt(500, 4000)).movePointLeft(2);
            String body = "{\"sku\":\"CHAOS-" + i + "\",\"name\":\"Chaos product " + i + "\",\"price\":{\"amount\":" + price
                    + ",\"currency\":\"EUR\"},\"category\":\"chaos\"}";
            String id = succeed("POST /api/products", () -> shop.post("/api/products", body, admin, null)).find(ChaosShop.ID).orElseThrow();
            succeed("POST /api/inventory/" + id + "/adjustments", () -> shop.post("/api/inventory/" + id + "/adjustments",
                    "{\"delta\":" + settings.stock() + ",\"reason\":\"chaos run: initial stock\"}", admin, null));
            products.add(new Product(id));
        }
        return products;
    }

    private List<Customer> seedCustomers(String admin) {
        List<Customer> customers = new ArrayList<>();
        for (int n = 1; n <= settings.shoppers(); n++) {
            int i = n;
            String email = "shopper-" + i + "@chaos.example.org";
            String password = "chaos shopper " + i + " password";
            String id = succeed("POST /api/users/register", () -> shop.post("/api/users/register", "{\"email\":\"" + email
                    + "\",\"password\":\"" + password + "\",\"name\":\"Shopper " + i + "\"}", null, null)).find(ChaosShop.ID).orElseThrow();
            succeed("POST /api/users/" + id + "/credit", () -> shop.post("/api/users/" + id + "/credit",
                    "{\"limit\":" + settings.credit() + "}", admin, null));
            customers.add(new Customer(id, email, password));
        }
        return customers;
    }

    private static Answer succeed(String what, java.util.function.Supplier<Answer> call) {
        for (int attempt = 0; attempt < 60; attempt++) {
            Answer answer = call.get();
            if (answer.ok()) {
                return answer;
            }
            if (answer.answered() && answer.status() < 500 && answer.status() != 429) {
                throw new IllegalStateException(what + " was refused: " + answer.status() + " " + answer.body());
            }
            ChaosShop.pause(answer.retryAfter(Duration.ofMillis(500)));
        }
        throw new IllegalStateException(what + " did not succeed within a minute");
    }

    // Faults, spread evenly over the orders.

    private Instant injectFaults(ChaosShoppers shoppers) {
        Instant lastEnded = Instant.now();
        List<Fault> planned = settings.faults();
        for (int i = 0; i < planned.size(); i++) {
            int due = (int) ((long) settings.orders() * (i + 1) / (planned.size() + 1));
            while (shoppers.placed.get() + shoppers.givenUp.get() < due && shoppers.placed.get() + shoppers.givenUp.get() < settings.orders()) {
                ChaosShop.pause(Duration.ofMillis(100));
            }
            Fault fault = planned.get(i);
            Instant start = Instant.now();
            int at = shoppers.placed.get();
            String outcome = faults.inject(fault);
            lastEnded = Instant.now();
            note(String.format("%-16s at order %4d: %s (%s s)", fault, at, outcome, seconds(Duration.between(start, lastEnded))));
        }
        return lastEnded;
    }

    // The checks that need more than the databases.

    /** The dead-letter topics hold exactly the poison records: nothing good was dead-lettered. */
    private Check deadLetters(String admin) {
        int total = 0;
        List<String> poisonFound = new ArrayList<>();
        for (String path : List.of("/api/orders/dead-letters", "/api/inventory/dead-letters", "/api/users/dead-letters")) {
            Answer answer = succeed("GET " + path, () -> shop.get(path, admin));
            total += count(answer.body(), "\"originalTopic\"");
            Matcher keys = Pattern.compile("\"key\"\\s*:\\s*\"poison-([a-z-]+)\"").matcher(answer.body());
            while (keys.find()) {
                poisonFound.add(keys.group(1));
            }
        }
        poisonFound.sort(Comparator.naturalOrder());
        List<String> expected = faults.poisoned().stream().sorted().toList();
        return new Check("the dead-letter topics hold exactly the injected poison", expected.size() + " " + expected,
                total + " " + poisonFound, total == expected.size() && poisonFound.equals(expected));
    }

    /** The inboxes recognised (at least) every record published again; a broken inbox recognises none. */
    private Check inboxDuplicates() {
        long recognised = 0;
        for (String instance : List.of("inventory-service", "user-service", "order-service").stream()
                .flatMap(service -> platform.instancesOf(service).stream()).toList()) {
            Http.Response scrape = Http.get(platform.managementUrlOfInstance(instance) + "/actuator/prometheus", "text/plain");
            Matcher value = Pattern.compile("(?m)^emporium_inbox_duplicates_total(?:\\{[^}]*})? ([0-9.E]+)$").matcher(scrape.body());
            while (value.find()) {
                recognised += (long) Double.parseDouble(value.group(1));
            }
        }
        return new Check("redelivered records recognised as duplicates by the inboxes", ">= " + faults.redelivered(), recognised + "",
                recognised >= faults.redelivered());
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    private void print(List<Check> checks, ChaosShoppers shoppers) {
        StringBuilder report = new StringBuilder();
        report.append(String.format("%nemporium chaos: %s%n", settings.describe()));
        report.append(String.format("%nTimeline (s from start)%n"));
        timeline.forEach(line -> report.append("  ").append(line).append('\n'));
        report.append(String.format("%nHTTP answers seen by the shoppers%n"));
        shop.tally.byKind.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(entry -> report.append(String.format("  %-50s %8d%n", entry.getKey(), entry.getValue().get())));
        shop.tally.unexpected.forEach(example -> report.append("    e.g. ").append(example).append('\n'));
        shoppers.givenUpBecause.forEach((why, count) -> report.append(String.format("  order given up after: %s (%d)%n", why, count.get())));
        report.append(String.format("%n  %-86s %-26s %-40s %s%n", "invariant", "expected", "actual", ""));
        for (Check check : checks) {
            report.append(String.format("  %-86s %-26s %-40s %s%n", check.invariant(), check.expected(), check.actual(),
                    check.holds() ? "ok" : "FAILED"));
        }
        boolean passed = checks.stream().allMatch(Check::holds);
        report.append(String.format("%nemporium chaos: %s (%s s after the platform was ready)%n",
                passed ? "every invariant holds" : "INVARIANTS FAILED", seconds(Duration.between(started, Instant.now()))));
        System.out.print(report);
    }

    private void note(String line) {
        String entry = String.format("%6s  %s", seconds(Duration.between(started, Instant.now())), line);
        timeline.add(entry);
        System.out.println("emporium chaos: " + line);
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
