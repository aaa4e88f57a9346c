package dev.emporium.chaos;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The size of a chaos run and the faults it injects: {@code ./emporium chaos} (the full run) or
 * {@code ./emporium chaos --ci} (the size the test suite runs), each value overridable:
 * {@code --orders=N --shoppers=N --products=N --stock=N --credit=N --faults=KILL_INVENTORY,POISON}.
 * <p>
 * {@code --replicas=2 --kafka-brokers=3} runs the platform replicated: two registries and two instances
 * of each service, three brokers. Its faults then kill one instance of each service in turn, one
 * registry peer and one broker ({@link #REPLICATED_FAULTS}), while the twin of each stays up; so the
 * audit adds that no shopper sees a 503 from an instance gone.
 *
 * @param orders orders the shoppers place in total
 * @param shoppers concurrent shoppers, each a customer of its own
 * @param products products seeded for the run, each with {@code stock} units
 * @param stock units of each seeded product
 * @param credit each shopper's credit limit (EUR)
 * @param cancelShare share of orders the shopper cancels (half at once, half once confirmed)
 * @param faults injected in this order, spread over the run
 * @param redeliveries already-consumed records republished per saga topic by {@link Fault#REDELIVER}
 * @param replicas instances of the registry and of each service behind the gateway
 * @param kafkaBrokers brokers of the embedded Kafka (1 or 3)
 */
record ChaosSettings(int orders, int shoppers, int products, int stock, BigDecimal credit, double cancelShare, List<Fault> faults,
        int redeliveries, int replicas, int kafkaBrokers) {

    /** A saga step answered later than this is retried, then compensated (order-service's default). */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    /** A shopper's pause between two orders, at most: a person, not a loop (the mean is half of it). */
    static final Duration THINK_TIME = Duration.ofMillis(400);

    /**
     * A replicated run's shoppers: fewer, each waiting for its order's decision and thinking up to this
     * long before the next, as people do. That is load the platform carries, so any 5xx a shopper sees
     * comes from a fault, not from load shed on purpose (the single run keeps the overload).
     */
    static final Duration PERSON_THINK_TIME = Duration.ofSeconds(4);

    /** Concurrent shoppers of a replicated run, unless {@code --shoppers} says otherwise. */
    static final int REPLICATED_SHOPPERS = 20;

    /** Every order must be terminal this long after the last fault ended. */
    static final Duration SETTLE = Duration.ofSeconds(60);

    /** The saga topics: where redeliveries and poison go. */
    static final List<String> SAGA_TOPICS = List.of("inventory-commands", "user-commands", "order-saga-replies");

    enum Fault {
        KILL_INVENTORY("kill -9 inventory-service, then start it again"),
        KILL_ORDER("kill -9 order-service, then start it again"),
        KILL_USER("kill -9 user-service, then start it again"),
        KILL_GATEWAY("kill -9 the gateway, then start it again"),
        KILL_DISCOVERY("kill -9 discovery (Eureka; with replicas, one of the peers), then start it again"),
        RESTART_KAFKA("restart the Kafka broker (gracefully)"),
        KILL_BROKER("kill -9 one of three Kafka brokers, then start it again once the others have taken over"),
        RESTART_POSTGRES("restart PostgreSQL (fast shutdown: every connection cut)"),
        PAUSE_INVENTORY("SIGSTOP inventory-service for longer than the saga's step timeout, then SIGCONT"),
        REDELIVER("republish already-consumed records of every saga topic (duplicates)"),
        POISON("one unreadable record on every saga topic");

        final String description;

        Fault(String description) {
            this.description = description;
        }
    }

    /** What the full run injects into one instance of everything. */
    static final List<Fault> SINGLE_FAULTS = List.of(Fault.KILL_INVENTORY, Fault.KILL_ORDER, Fault.KILL_USER, Fault.KILL_GATEWAY,
            Fault.KILL_DISCOVERY, Fault.RESTART_KAFKA, Fault.RESTART_POSTGRES, Fault.PAUSE_INVENTORY, Fault.REDELIVER, Fault.POISON);

    /**
     * What a replicated run injects: one instance of each service killed in turn, one registry peer,
     * one broker, with a twin of each up throughout; and the duplicates and poison. Not the gateway
     * nor PostgreSQL, of which there is one whatever the replicas.
     */
    static final List<Fault> REPLICATED_FAULTS = List.of(Fault.KILL_INVENTORY, Fault.KILL_ORDER, Fault.KILL_USER, Fault.KILL_DISCOVERY,
            Fault.KILL_BROKER, Fault.REDELIVER, Fault.POISON);

    static ChaosSettings full() {
        return new ChaosSettings(2000, 50, 20, 200, new BigDecimal("1500.00"), 0.1, SINGLE_FAULTS, 20, 1, 1);
    }

    static ChaosSettings ci() {
        return new ChaosSettings(200, 10, 8, 40, new BigDecimal("600.00"), 0.1,
                List.of(Fault.KILL_INVENTORY, Fault.REDELIVER, Fault.POISON), 10, 1, 1);
    }

    boolean replicated() {
        return replicas > 1;
    }

    /** Whether a shopper waits for each order's decision before the next (a replicated run). */
    boolean awaitsDecisions() {
        return replicated();
    }

    /** The longest pause between a shopper's orders (the mean is half of it). */
    Duration thinkTime() {
        return replicated() ? PERSON_THINK_TIME : THINK_TIME;
    }

    static ChaosSettings parse(String[] args) {
        ChaosSettings settings = Arrays.asList(args).contains("--ci") ? ci() : full();
        boolean faultsGiven = false;
        boolean shoppersGiven = false;
        for (String arg : args) {
            if (arg.equals("--ci")) {
                continue;
            }
            String[] option = arg.split("=", 2);
            if (option.length != 2 || !option[0].startsWith("--")) {
                throw new IllegalArgumentException("Unknown argument '" + arg + "'. Use --ci, --orders=N, --shoppers=N, --products=N,"
                        + " --stock=N, --credit=N, --replicas=N, --kafka-brokers=N, --faults="
                        + Arrays.toString(Fault.values()).replace(" ", ""));
            }
            String value = option[1];
            faultsGiven |= option[0].equals("--faults");
            shoppersGiven |= option[0].equals("--shoppers");
            settings = switch (option[0]) {
                case "--orders" -> settings.with(positive(option[0], value), settings.shoppers, settings.products, settings.stock,
                        settings.credit, settings.faults);
                case "--shoppers" -> settings.with(settings.orders, positive(option[0], value), settings.products, settings.stock,
                        settings.credit, settings.faults);
                case "--products" -> settings.with(settings.orders, settings.shoppers, positive(option[0], value), settings.stock,
                        settings.credit, settings.faults);
                case "--stock" -> settings.with(settings.orders, settings.shoppers, settings.products, positive(option[0], value),
                        settings.credit, settings.faults);
                case "--credit" -> settings.with(settings.orders, settings.shoppers, settings.products, settings.stock,
                        new BigDecimal(value), settings.faults);
                case "--faults" -> settings.with(settings.orders, settings.shoppers, settings.products, settings.stock,
                        settings.credit, value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(String::trim)
                            .map(name -> Fault.valueOf(name.toUpperCase())).toList());
                case "--replicas" -> settings.layout(positive(option[0], value), settings.kafkaBrokers);
                case "--kafka-brokers" -> settings.layout(settings.replicas, positive(option[0], value));
                default -> throw new IllegalArgumentException("Unknown option " + option[0]);
            };
        }
        if (settings.replicated() && !faultsGiven) {
            boolean oneBroker = settings.kafkaBrokers < 3;
            settings = settings.with(settings.orders, settings.shoppers, settings.products, settings.stock, settings.credit,
                    REPLICATED_FAULTS.stream().filter(fault -> fault != Fault.KILL_BROKER || !oneBroker).toList());
        }
        if (settings.replicated() && !shoppersGiven) {
            settings = settings.with(settings.orders, REPLICATED_SHOPPERS, settings.products, settings.stock, settings.credit,
                    settings.faults);
        }
        if (settings.faults.contains(Fault.KILL_BROKER) && settings.kafkaBrokers < 3) {
            throw new IllegalArgumentException("KILL_BROKER kills one of three brokers: add --kafka-brokers=3");
        }
        return settings;
    }

    private ChaosSettings with(int orders, int shoppers, int products, int stock, BigDecimal credit, List<Fault> faults) {
        return new ChaosSettings(orders, shoppers, products, stock, credit, cancelShare, faults, redeliveries, replicas, kafkaBrokers);
    }

    private ChaosSettings layout(int replicas, int kafkaBrokers) {
        return new ChaosSettings(orders, shoppers, products, stock, credit, cancelShare, faults, redeliveries, replicas, kafkaBrokers);
    }

    private static int positive(String option, String value) {
        int number = Integer.parseInt(value.trim());
        if (number < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return number;
    }

    String describe() {
        return orders + " orders from " + shoppers + " concurrent shoppers over " + products + " products of " + stock
                + " units, credit " + credit + " EUR each, " + Math.round(cancelShare * 100) + " % cancelled, up to "
                + thinkTime().toMillis() + " ms between orders" + (awaitsDecisions() ? " (after each one's decision)" : "") + "; "
                + (replicated() || kafkaBrokers > 1 ? replicas + " instances of each service, " + kafkaBrokers + " Kafka brokers; " : "")
                + "faults: "
                + (faults.isEmpty() ? "none" : faults.stream().map(Enum::name).toList());
    }
}
