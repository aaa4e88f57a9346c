package dev.emporium.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.emporium.chaos.ChaosShop.Answer;

/**
 * Concurrent shoppers, each a customer of its own, placing orders of one or two seeded products and
 * cancelling some, the way a careful client would: the same {@code Idempotency-Key} for every retry
 * of one order, waiting as long as {@code Retry-After} says, logging in again when a token expires.
 */
final class ChaosShoppers {

    /** A seeded product. */
    record Product(String id) {
    }

    /** A seeded customer. */
    record Customer(String id, String email, String password) {
    }

    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

    /** At people's pace, the shoppers' arrivals are spread over this much time per shopper (20 shoppers: 10 s). */
    static final Duration ARRIVAL_SPREAD = Duration.ofMillis(500);

    private final ChaosShop shop;
    private final ChaosSettings settings;
    private final List<Product> products;
    private final AtomicInteger toPlace;
    final AtomicInteger placed = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    final AtomicInteger givenUp = new AtomicInteger();
    final Set<String> orderIds = ConcurrentHashMap.newKeySet();
    /** Why orders were not placed: the last answer of each, by status. */
    final java.util.Map<String, AtomicInteger> givenUpBecause = new ConcurrentHashMap<>();

    ChaosShoppers(ChaosShop shop, ChaosSettings settings, List<Product> products) {
        this.shop = shop;
        this.settings = settings;
        this.products = products;
        this.toPlace = new AtomicInteger(settings.orders());
    }

    /** Runs every shopper to the end; returns when all orders are placed (or given up on). */
    void run(List<Customer> customers) {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            customers.forEach(customer -> threads.submit(() -> shop(customer)));
        }
    }

    private void shop(Customer customer) {
        if (settings.awaitsDecisions()) {
            // People arrive one by one, not all in the same instant (each login is a deliberately slow
            // password hash, a few at a time)
            ChaosShop.pause(Duration.ofMillis(ThreadLocalRandom.current().nextLong(settings.shoppers() * ARRIVAL_SPREAD.toMillis() + 1)));
        }
        else {
            think();
        }
        Session session = new Session(customer);
        while (toPlace.getAndDecrement() > 0) {
            Optional<String> order = place(session, orderBody());
            if (order.isEmpty()) {
                givenUp.incrementAndGet();
                think();
                continue;
            }
            orderIds.add(order.get());
            placed.incrementAndGet();
            boolean cancelling = ThreadLocalRandom.current().nextDouble() < settings.cancelShare();
            if (cancelling && ThreadLocalRandom.current().nextBoolean()) {
                cancel(session, order.get()); // at once, while it may still be PENDING
            }
            else if (cancelling || settings.awaitsDecisions()) {
                Optional<String> decided = awaitStatus(session, order.get());
                if (cancelling && decided.filter("CONFIRMED"::equals).isPresent()) {
                    cancel(session, order.get());
                }
            }
            think();
        }
    }

    private void think() {
        ChaosShop.pause(Duration.ofMillis(ThreadLocalRandom.current().nextLong(settings.thinkTime().toMillis() + 1)));
    }

    private String orderBody() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Product> chosen = new ArrayList<>(products);
        java.util.Collections.shuffle(chosen, random);
        int lines = random.nextInt(1, 3);
        StringBuilder body = new StringBuilder("{\"lines\":[");
        for (int i = 0; i < lines; i++) {
            body.append(i == 0 ? "" : ",").append("{\"productId\":\"").append(chosen.get(i).id()).append("\",\"quantity\":")
                .append(random.nextInt(1, 4)).append('}');
        }
        return body.append("]}").toString();
    }

    /** One order, retried with its key until the shop answers it; empty if it refused or never answered. */
    private Optional<String> place(Session session, String body) {
        String key = UUID.randomUUID().toString();
        Instant giveUp = Instant.now().plus(GIVE_UP_AFTER);
        Answer answer = null;
        while (Instant.now().isBefore(giveUp)) {
            answer = shop.post("/api/orders", body, session.token, key);
            if (answer.ok()) {
                return answer.find(ChaosShop.ID);
            }
            if (!retry(session, answer)) {
                break;
            }
        }
        String why = answer == null ? "never sent" : answer.status() == 0 ? "no answer for " + GIVE_UP_AFTER.toMinutes() + " min"
                : answer.status() + " " + answer.body().substring(0, Math.min(120, answer.body().length()));
        givenUpBecause.computeIfAbsent(why, k -> new AtomicInteger()).incrementAndGet();
        return Optional.empty();
    }

    private void cancel(Session session, String orderId) {
        Instant giveUp = Instant.now().plus(GIVE_UP_AFTER);
        while (Instant.now().isBefore(giveUp)) {
            Answer answer = shop.post("/api/orders/" + orderId + "/cancel", "{}", session.token, null);
            if (answer.ok()) {
                cancelled.incrementAndGet();
                return;
            }
            if (!retry(session, answer)) {
                return;
            }
        }
    }

    private Optional<String> awaitStatus(Session session, String orderId) {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(giveUp)) {
            // Answered as soon as the order is decided, or after 10 s still PENDING
            Answer answer = shop.get("/api/orders/" + orderId + "?wait=10", session.token);
            Optional<String> status = answer.ok() ? answer.find(ChaosShop.STATUS) : Optional.empty();
            if (status.isPresent() && !status.get().equals("PENDING")) {
                return status;
            }
            if (!answer.ok() && !retry(session, answer)) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Whether to try again, after waiting as the answer asks; logs in again on 401. */
    private boolean retry(Session session, Answer answer) {
        if (answer.status() == 401) {
            session.token = shop.logIn(session.customer.email(), session.customer.password());
            return true;
        }
        if (!answer.answered()) {
            ChaosShop.pause(Duration.ofMillis(500));
            return true;
        }
        if (answer.status() == 429 || answer.status() >= 500) {
            ChaosShop.pause(answer.retryAfter(Duration.ofSeconds(1)));
            return true;
        }
        return false; // a 4xx other than 401 and 429: the shop refused, for a reason
    }

    private final class Session {

        final Customer customer;
        String token;

        Session(Customer customer) {
            this.customer = customer;
            this.token = shop.logIn(customer.email(), customer.password());
        }
    }
}
