package dev.emporium.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one run does. The warm-up rises from 1 to {@code warmupRate} orders/s over {@code warmup}, then
 * holds that rate for {@code warmupHold}: the JIT keeps compiling for minutes after a start, and the steps are to measure a warm
 * platform, as a shop that has run for a day is.
 */
record Options(int warmupRate, Duration warmup, Duration warmupHold, List<Integer> rates, Duration step, int gatewayRate,
        int gatewayConcurrency, Duration gatewayPhase, int gatewayRounds, Duration pgbenchTime, String arguments) {

    static final String USAGE = "--quick, --rates=10,20,40 (orders/s per step), --step=60 (seconds), --warmup=30 (the warm-up's orders/s);"
            + " or --balancer [--rate=40 --rounds=2] (round robin against least-loaded, one inventory instance slowed)";

    Options with(String arguments) {
        return new Options(warmupRate, warmup, warmupHold, rates, step, gatewayRate, gatewayConcurrency, gatewayPhase, gatewayRounds,
                pgbenchTime, arguments);
    }

    Options withRates(List<Integer> rates) {
        return new Options(warmupRate, warmup, warmupHold, rates, step, gatewayRate, gatewayConcurrency, gatewayPhase, gatewayRounds,
                pgbenchTime, arguments);
    }

    Options withWarmupRate(int warmupRate) {
        return new Options(warmupRate, warmup, warmupHold, rates, step, gatewayRate, gatewayConcurrency, gatewayPhase, gatewayRounds,
                pgbenchTime, arguments);
    }

    Options withStep(Duration step) {
        return new Options(warmupRate, warmup, warmupHold, rates, step, gatewayRate, gatewayConcurrency, gatewayPhase, gatewayRounds,
                pgbenchTime, arguments);
    }

    // The gateway comparison counts an odd number of rounds: the median ratio is then one round's.
    static Options full() {
        return new Options(30, Duration.ofSeconds(90), Duration.ofSeconds(240), List.of(10, 20, 30, 40, 60, 80, 110, 150, 200),
                Duration.ofSeconds(60), 200, 16, Duration.ofSeconds(10), 5, Duration.ofSeconds(20), "");
    }

    static Options quick() {
        return new Options(10, Duration.ofSeconds(40), Duration.ZERO, List.of(5, 10, 15, 20), Duration.ofSeconds(20), 100, 8,
                Duration.ofSeconds(6), 3, Duration.ofSeconds(8), "");
    }

    static Options parse(String[] args) {
        Options options = List.of(args).contains("--quick") ? quick() : full();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                continue;
            }
            String[] option = arg.split("=", 2);
            if (option.length != 2) {
                throw new IllegalArgumentException("Unknown argument '" + arg + "'. Use " + USAGE);
            }
            options = switch (option[0]) {
                case "--rates" -> options.withRates(Stream.of(option[1].split(",")).map(rate -> positive(arg, rate)).toList());
                case "--step" -> options.withStep(Duration.ofSeconds(positive(arg, option[1])));
                case "--warmup" -> options.withWarmupRate(positive(arg, option[1]));
                default -> throw new IllegalArgumentException("Unknown option '" + option[0] + "'. Use " + USAGE);
            };
        }
        return options.with(String.join(" ", args));
    }

    private static int positive(String arg, String number) {
        try {
            int value = Integer.parseInt(number.trim());
            if (value > 0) {
                return value;
            }
        }
        catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("'" + arg + "': '" + number.trim() + "' is not a whole number above 0. Use " + USAGE);
    }
}
