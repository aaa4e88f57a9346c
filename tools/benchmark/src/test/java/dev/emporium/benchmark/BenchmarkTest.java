package dev.emporium.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.emporium.launcher.Settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The arithmetic and the readings the benchmark report rests on (the run itself: ./emporium bench). */
class BenchmarkTest {

    static final Path SCRIPTS = Path.of("../benchmark/pgbench");

    @Test
    void countsTheTransactionsOfOneOrderInEachPgbenchScript() {
        // orders: place (both commands), 2 relay batches, StockReserved, CreditReserved (the decision),
        // the GET (one read-only transaction)
        assertThat(Pgbench.transactions(SCRIPTS.resolve("orders.sql"))).isEqualTo(1 + 2 + 1 + 1 + 1);
        // inventory: 2 read-only pricing transactions, reserve, 2 relay batches, commit
        assertThat(Pgbench.transactions(SCRIPTS.resolve("inventory.sql"))).isEqualTo(2 + 1 + 2 + 1);
        // users: reserve credit, one relay batch, commit credit
        assertThat(Pgbench.transactions(SCRIPTS.resolve("users.sql"))).isEqualTo(1 + 1 + 1);
    }

    @Test
    void percentilesAreNearestRank() {
        List<Long> hundred = java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList();
        assertThat(Figures.percentile(hundred, 50)).isEqualTo(50);
        assertThat(Figures.percentile(hundred, 99)).isEqualTo(99);
        assertThat(Figures.percentile(List.of(7L), 99)).isEqualTo(7);
        assertThat(Figures.percentile(List.of(), 99)).isZero();
        assertThat(Figures.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    }

    @Test
    void aStepHoldsBelowOnePercentFailedAndASecondOfAcceptP99() {
        assertThat(step(1000, 9, 400).holds()).isTrue();
        assertThat(step(1000, 10, 400).holds()).as("1 % failed").isFalse();
        assertThat(step(1000, 0, 1001).holds()).as("accept p99 over a second").isFalse();
        assertThat(step(0, 0, 0).holds()).as("no orders at all").isFalse();
    }

    @Test
    void theOverloadStepIsTwiceTheBestRateThatHeldUnlessOneThatFastRanAlready() {
        Step held = new Step("rate-40", 40, 2400, 2400, 0, 0, 0, 40, 1, 1, 80, 0, 1, 1, Map.of(), Map.of(), null);
        Step bent = new Step("rate-60", 60, 3600, 3600, 0, 0, 0, 60, 1, 1, 1232, 0, 1, 1, Map.of(), Map.of(), null);
        Step far = new Step("rate-80", 80, 4800, 3000, 0, 0, 1800, 50, 1, 1, 9000, 0, 1, 1, Map.of(), Map.of(), null);

        assertThat(BenchmarkRun.overloadRate(List.of(held, bent))).contains(80);
        assertThat(BenchmarkRun.overloadRate(List.of(held, bent, far))).as("80/s ran already").isEmpty();
        assertThat(BenchmarkRun.overloadRate(List.of(bent))).as("nothing held").isEmpty();
    }

    @Test
    void betweenARateThatHeldAndOneThatDidNotTheNextStepHalvesTheGapOnMultiplesOfFive() {
        assertThat(BenchmarkRun.between(40, 60)).hasValue(50);
        assertThat(BenchmarkRun.between(50, 60)).hasValue(55);
        assertThat(BenchmarkRun.between(40, 50)).hasValue(45);
        assertThat(BenchmarkRun.between(110, 150)).hasValue(130);
        assertThat(BenchmarkRun.between(150, 200)).hasValue(175);
        assertThat(BenchmarkRun.between(45, 50)).as("less than 10 apart").isEmpty();
        assertThat(BenchmarkRun.between(55, 60)).as("less than 10 apart").isEmpty();
    }

    @Test
    void theHighestSustainedRateIsTheFastestStepThatHeldEvenWhenASlowerOneRanAfterIt() {
        Step held40 = new Step("rate-40", 40, 2400, 2400, 0, 0, 0, 40, 1, 1, 80, 0, 1, 1, Map.of(), Map.of(), null);
        Step shed60 = new Step("rate-60", 60, 3600, 3400, 0, 200, 0, 56, 1, 1, 400, 0, 1, 1, Map.of(), Map.of(), null);
        Step held50 = new Step("rate-50", 50, 3000, 3000, 0, 0, 0, 50, 1, 1, 90, 0, 1, 1, Map.of(), Map.of(), null);
        Step shed55 = new Step("rate-55", 55, 3300, 3200, 0, 100, 0, 53, 1, 1, 300, 0, 1, 1, Map.of(), Map.of(), null);
        Step held45 = new Step("rate-45", 45, 2700, 2700, 0, 0, 0, 45, 1, 1, 85, 0, 1, 1, Map.of(), Map.of(), null);

        assertThat(BenchmarkRun.highestHolding(List.of(held40, shed60, held50, shed55))).contains(held50);
        assertThat(BenchmarkRun.overloadRate(List.of(held40, shed60, held50, shed55))).contains(100);
        assertThat(BenchmarkRun.highestHolding(List.of(held50, shed60, held45))).as("run last, but slower").contains(held50);
        assertThat(BenchmarkRun.highestHolding(List.of(shed60, shed55))).isEmpty();
    }

    /** A warm-up the machine took: 400 orders, none refused. */
    private static final Step WARMED_UP = new Step("warmup", 10, 400, 400, 0, 0, 0, 9.5, 1, 1, 60, 0, 1, 1,
            Map.of(), Map.of(), null);

    /** A platform ready in 30 s, with AOT caches that were there before the run. */
    private static final Startup STARTED = new Startup(Duration.ofSeconds(30), Map.of(), Optional.empty());

    @Test
    void theReportSaysWhetherThisRunTrainedTheAotCachesOnOrdersOrFoundThem() {
        Startup trained = new Startup(Duration.ofSeconds(30), Map.of(), Optional.of(
                new Step(BenchmarkRun.TRAINING, 10, 220, 172, 0, 0, 48, 4.3, 1, 1, 9066, 0, 1, 1, Map.of(), Map.of(), null)));

        String found = new BenchmarkReport(Options.quick(), Settings.from(Map.of()), STARTED, WARMED_UP, List.of(), List.of(),
                List.of(), Path.of(".")).markdown();
        String made = new BenchmarkReport(Options.quick(), Settings.from(Map.of()), trained, WARMED_UP, List.of(), List.of(),
                List.of(), Path.of(".")).markdown();

        assertThat(found).contains("JDK AOT cache on, made before this run");
        assertThat(made).contains("JDK AOT cache on, trained on this run's first start, which took 220 orders of the warm-up's ramp"
                + " (4.3 confirmed/s)");
    }

    @Test
    void aWarmUpThatRefusedMoreThanOneOrderInTwentyIsReportedAsOverloadWithARateToTryInstead() {
        Step overloaded = new Step("warmup", 30, 8595, 4579, 0, 3158, 858, 4.3, 1, 1, 5179, 460, 1, 1,
                Map.of(), Map.of(), null);

        assertThat(BenchmarkRun.overloaded(WARMED_UP)).isEmpty();
        assertThat(BenchmarkRun.overloaded(overloaded)).hasValueSatisfying(warning -> assertThat(warning)
            .contains("47 % of its orders were refused or failed", "confirmed 4.3/s", "--warmup=4"));
        String markdown = new BenchmarkReport(Options.full(), Settings.from(Map.of()), STARTED,
                overloaded, List.of(), List.of(), List.of(), Path.of(".")).markdown();
        assertThat(markdown).contains("The warm-up: 8595 orders, 4.3 confirmed/s, 3158 shed (503), 858 failed, accept p99 5179 ms."
                + " **Note: the warm-up overloaded this machine");
    }

    @Test
    void aStepWhoseOrdersWereShedDidNotHoldTheRate() {
        Step shedding = new Step("rate-60", 60, 1000, 700, 0, 300, 0, 35, 1, 1, 400, 5, 1, 1, Map.of(), Map.of(), null);

        assertThat(shedding.holds()).as("30 % refused with 503").isFalse();
        assertThat(shedding.shedShare()).isEqualTo(0.3);
        assertThat(shedding.failedShare()).isZero();
        assertThat(new Step("rate-5", 5, 1000, 991, 0, 5, 4, 5, 1, 1, 400, 5, 1, 1, Map.of(), Map.of(), null).holds())
            .as("0.5 % shed + 0.4 % failed").isTrue();
    }

    @Test
    void theDatabaseCeilingIsTheRateAtWhichTheThreeDatabasesTogetherAreSaturated() {
        BenchmarkReport report = new BenchmarkReport(Options.quick(), Settings.from(Map.of()), STARTED,
                WARMED_UP, List.of(), List.of(), List.of(new Ceiling("orders", 400, 11, ""), new Ceiling("inventory", 800, 8, ""),
                        new Ceiling("users", 800, 4, "")), Path.of("."));
        // 1 / (1/400 + 1/800 + 1/800) = 200
        assertThat(report.ceiling()).isCloseTo(200.0, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void theGatewayTableSetsEachTargetAgainstTheServiceAndSaysWhatTheBareGatewayIs() {
        BenchmarkReport report = new BenchmarkReport(Options.quick(), Settings.from(Map.of()), STARTED,
                WARMED_UP, List.of(), List.of(new Proxy("gateway", List.of(1200.0), 2, 8, 0, 0.43, 0.41),
                        new Proxy("bare-gateway", List.of(1800.0), 1, 6, 0, 0.29, 0.42),
                        new Proxy("direct", List.of(2400.0), 1, 4, 0, Double.NaN, 0.4)), List.of(), Path.of("."));

        String markdown = report.markdown();

        assertThat(markdown).contains("| gateway | 1200 | 0.50 | 0.50-0.50 | 0.43 ms | 0.41 ms |",
                "| bare-gateway | 1800 | 0.75 | 0.75-0.75 | 0.29 ms | 0.42 ms |", "| direct | 2400 | 1.00 | 1.00-1.00 |  | 0.40 ms |")
            .contains("Spring Cloud Gateway alone", "after " + GatewayComparison.GATEWAY_WARMUP_ROUNDS + " not counted");
    }

    @Test
    void theGatewayIsSetAgainstTheServiceOfTheSameRoundSoThatTheMachinesDriftBetweenRoundsCancels() {
        // the machine twice as fast in round 2 as in rounds 1 and 3: each round's ratio is 0.50, 0.68, 0.70,
        // while the two medians (700 and 1000) would say 0.70
        Proxy gateway = new Proxy("gateway", List.of(500.0, 1300.0, 700.0), 2, 8, 0, 0.43, 0.41);
        Proxy direct = new Proxy("direct", List.of(1000.0, 1900.0, 1000.0), 1, 4, 0, Double.NaN, 0.4);
        BenchmarkReport report = new BenchmarkReport(Options.quick(), Settings.from(Map.of()), STARTED, WARMED_UP, List.of(),
                List.of(gateway, direct), List.of(), Path.of("."));

        assertThat(gateway.perRound(direct)).containsExactly(0.5, 1300.0 / 1900, 0.7);
        assertThat(gateway.medianThroughput()).isEqualTo(700.0);
        assertThat(report.markdown()).contains("| gateway | 700 | 0.68 | 0.50-0.70 |")
            .contains("| gateway throughput ≥ 0.7 × direct | 0.68 (rounds: 0.50-0.70) | **missed** |");
        assertThat(gateway.perRound(new Proxy("direct", List.of(0.0, 1900.0), 1, 4, 0, Double.NaN, 0.4)))
            .as("a round in which the service served nothing says nothing").containsExactly(1300.0 / 1900);
    }

    @Test
    void theGatewayComparisonCountsAnOddNumberOfRoundsSoThatItsMedianIsOneRoundsFigure() {
        assertThat(Options.full().gatewayRounds() % 2).isOne();
        assertThat(Options.quick().gatewayRounds() % 2).isOne();
    }

    @Test
    void cpuPerRequestIsMissingRatherThanZeroWhenNothingWasCounted() {
        assertThat(Figures.msPerRequest(0.5, 1000)).isEqualTo(0.5);
        assertThat(Figures.msPerRequest(null, 1000)).isNaN();
        assertThat(Figures.msPerRequest(0.5, 0)).isNaN();
        assertThat(Figures.medianOrNaN(List.of(0.3, Double.NaN, 0.5, 0.4))).isEqualTo(0.4);
        assertThat(Figures.medianOrNaN(List.of(Double.NaN))).isNaN();
    }

    @Test
    void optionsAreParsedAndUnknownOnesRefused() {
        Options options = Options.parse(new String[] {"--quick", "--rates=5,15", "--step=12"});
        assertThat(options.rates()).containsExactly(5, 15);
        assertThat(options.step()).isEqualTo(Duration.ofSeconds(12));
        assertThat(options.arguments()).isEqualTo("--quick --rates=5,15 --step=12");
        assertThatThrownBy(() -> Options.parse(new String[] {"--fast"})).hasMessageContaining("--quick");
        assertThat(Options.parse(new String[] {"--warmup=12"}).warmupRate()).isEqualTo(12);
        assertThatThrownBy(() -> Options.parse(new String[] {"--warmup=0"}))
            .hasMessageContaining("'--warmup=0': '0' is not a whole number above 0").hasMessageContaining("--warmup=30");
        assertThatThrownBy(() -> Options.parse(new String[] {"--rates=10,x"})).hasMessageContaining("'x' is not a whole number");
    }

    @Test
    void theFullRunWarmsUpForMinutesAtThirtyOrdersPerSecondWhateverTheStepsAre() {
        Options options = Options.parse(new String[] {"--rates=40,60", "--step=30"});
        assertThat(options.warmupRate()).isEqualTo(30);
        assertThat(options.warmup().plus(options.warmupHold())).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(options.rates()).containsExactly(40, 60);
        assertThat(Options.parse(new String[] {"--quick"}).warmupHold()).isEqualTo(Duration.ZERO);
    }

    @Test
    void measuresTheProductionOverlaysTraceSamplingUnlessToldOtherwise() {
        assertThat(BenchmarkRun.traceSampling(Map.of())).isEqualTo("0.1");
        assertThat(BenchmarkRun.traceSampling(Map.of("EMPORIUM_TRACE_SAMPLING", " "))).isEqualTo("0.1");
        assertThat(BenchmarkRun.traceSampling(Map.of("EMPORIUM_TRACE_SAMPLING", "1.0"))).isEqualTo("1.0");
    }

    @Test
    void readsTheCpuTimeOfAProcessAndOfItsJitCompilerFromProc() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessCpu.available(), "needs Linux's /proc");
        long self = ProcessHandle.current().pid();
        try (ProcessCpu cpu = new ProcessCpu(() -> Map.of("test", self))) {
            double before = cpu.read().seconds().get("test");
            Instant deadline = Instant.now().plusSeconds(20);
            double after = before;
            long spin = 0;
            while (after - before < 0.2 && Instant.now().isBefore(deadline)) {
                for (int i = 0; i < 10_000_000; i++) {
                    spin += i % 7;
                }
                after = cpu.read().seconds().get("test");
            }
            assertThat(after - before).as("CPU seconds this JVM used while spinning (%d)", spin).isGreaterThanOrEqualTo(0.2);
            ProcessCpu.Reading reading = cpu.read();
            // this JVM has compiled its tests and the loop above: its C1 and C2 threads have used CPU, a part of the whole
            assertThat(reading.compiling().get("test")).as("JIT compiler threads").isPositive()
                .isLessThan(reading.seconds().get("test"));
        }
    }

    @Test
    void aCpuWindowIsCutFromTheReadingsNearestToItsEndsAndSaysWhenTheyWereTaken() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessCpu.available(), "needs Linux's /proc");
        long self = ProcessHandle.current().pid();
        try (ProcessCpu cpu = new ProcessCpu(() -> Map.of("test", self))) {
            Instant start = Instant.now();
            long spin = 0;
            while (Instant.now().isBefore(start.plusMillis(3500))) { // busy, so that this JVM uses CPU the readings can see
                spin += System.nanoTime() % 7;
            }
            ProcessCpu.Window window = cpu.window(start.plusMillis(1200), Instant.now());

            assertThat(window.from()).as("the first reading used (spin %d)", spin).isAfterOrEqualTo(start);
            assertThat(Duration.between(window.from(), window.to())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(window.seconds().get("test")).isPositive();
            assertThat(cpu.window(start.minusSeconds(60), start.minusSeconds(59)).seconds()).as("no two readings before the start").isEmpty();
        }
    }

    private static Step step(int started, int failed, long acceptP99) {
        return new Step("rate-1", 1, started, started - failed, 0, 0, failed, 1, 1, 1, acceptP99, 0, 1, 1, Map.of(), Map.of(), null);
    }
}
