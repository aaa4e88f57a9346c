package dev.emporium.launcher;

import java.util.Arrays;

import dev.emporium.localkafka.KafkaBroker;

/**
 * {@code java -jar launcher.jar <command>}; the {@code ./emporium} script at the project root is the
 * friendly way in.
 * <ul>
 * <li>{@code up [--replicas=N] [--kafka-brokers=N]}: start the platform and keep it running until Ctrl-C
 * (the default); with {@code --replicas=2}, two registries and two instances of each service behind
 * the gateway; with {@code --kafka-brokers=3}, a three-broker KRaft cluster;</li>
 * <li>{@code down}: stop whatever a previous {@code up} left running, by the PIDs it recorded;</li>
 * <li>{@code kafka <dir> <port> <controller-port> ...}: run one KRaft broker (used by {@code up}).</li>
 * </ul>
 * The chaos run ({@code tools/chaos}) and the benchmark ({@code tools/benchmark}) are programs of their
 * own that start a {@link Platform} the same way.
 */
public final class Launcher {

    private Launcher() {
    }

    /** {@code down [--if-launcher PID]}: the reaper passes the PID of the launcher it watched. */
    private static boolean down(String[] args) {
        PidFile pids = new PidFile(Settings.fromEnvironment().home());
        if (args.length == 2 && args[0].equals("--if-launcher") && !pids.launcherIs(Long.parseLong(args[1]))) {
            return true; // a newer launcher has started since; its processes are not ours to stop
        }
        return pids.stopAll();
    }

    /** {@code up [--replicas=N] [--kafka-brokers=N]}: the options win over the environment they stand for. */
    private static Settings upSettings(String[] args) {
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        for (String arg : args) {
            if (arg.startsWith("--replicas=")) {
                env.put("EMPORIUM_REPLICAS", arg.substring("--replicas=".length()));
            }
            else if (arg.startsWith("--kafka-brokers=")) {
                env.put("EMPORIUM_KAFKA_BROKERS", arg.substring("--kafka-brokers=".length()));
            }
            else {
                System.err.println("emporium up: unknown option " + arg + " (--replicas=1.." + Settings.MAX_REPLICAS
                        + ", --kafka-brokers=1|3)");
                System.exit(2);
            }
        }
        try {
            return Settings.from(env);
        }
        catch (IllegalArgumentException e) {
            System.err.println("emporium up: " + e.getMessage());
            System.exit(2);
            return null;
        }
    }

    /** For every program that starts a platform: its own lines on the console, not its libraries'. */
    public static void quietLibraryLogging() {
        // zonky and the Kafka client log through slf4j-simple; the launcher's own lines are enough on the console.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // While the broker starts, the admin client's "could not connect" warnings are expected.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    }

    public static void main(String[] args) throws Exception {
        quietLibraryLogging();
        String command = args.length == 0 ? "up" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (command) {
            case "up" -> System.exit(new Platform(upSettings(rest)).up());
            case "down" -> System.exit(down(rest) ? 0 : 1);
            case "kafka" -> KafkaBroker.main(rest);
            default -> {
                System.err.println("Unknown command '" + command + "'. Use: up | down | kafka (./emporium chaos and bench run programs of their own)");
                System.exit(2);
            }
        }
    }
}
