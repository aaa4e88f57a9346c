package dev.emporium.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * JDK 25's ahead-of-time cache (JEP 483, 514, 515) for each Spring process: the classes it loads,
 * linked, and the methods' profiles, so the next start does about half the work. The JVM cannot use
 * it with a Spring Boot jar's nested jars, so the jar is first extracted ({@code -Djarmode=tools
 * extract}) into the platform's own data folder ({@code <home>/aot/<module>/}), never into the build's
 * {@code target/}: a second platform (a test, the chaos run) keeps caches of its own. Three states,
 * from the files' ages:
 * <ul>
 * <li>nothing newer than the extracted jar: the process runs with {@code -XX:AOTMode=record} and writes
 * the configuration (what it loaded, the profiles) when it stops, which is quick;</li>
 * <li>a configuration newer than the extracted jar: before the next start, {@link #assemble} makes the
 * cache from it ({@code -XX:AOTMode=create}, once, a minute or so on two cores);</li>
 * <li>a cache newer than the extracted jar: the process runs with {@code -XX:AOTCache}.</li>
 * </ul>
 * What the first run does is what the cache's profiles are of: {@code ./emporium bench} sends its first
 * start the warm-up's orders before it stops, so that C2 starts from an order's profiles.
 * The JVM could do the first two at once ({@code -XX:AOTCacheOutput}), but then it assembles the
 * cache while it stops, and a Ctrl-C of the first run took over a minute on a slow machine.
 * {@code EMPORIUM_AOT=off} runs the fat jars as they are. An unusable cache (another JDK) is reported
 * by the JVM in the service's log and ignored; nothing fails because of it. An unusable configuration
 * (a process killed before it could write one leaves an empty file) is dropped without a word, and the
 * next start records it again.
 */
record AotCache(Path jar, Path cache, Path configuration, State state) {

    enum State {
        /** No cache: run and record a configuration. */
        RECORD,
        /** A configuration recorded: make the cache from it before the start. */
        ASSEMBLE,
        /** Run with the cache (or with none, when {@code cache} is null). */
        USE
    }

    /** How long making one cache may take before the process starts without one. */
    static final long ASSEMBLY_TIMEOUT_SECONDS = 300;

    /**
     * The jar to run and what to do about its cache; the fat jar itself when extraction is not possible.
     *
     * @param directory where this jar's extracted copy, configuration and cache live
     */
    static AotCache of(String javaCommand, Path fatJar, Path directory) {
        Path extracted = directory.resolve(fatJar.getFileName());
        String name = fatJar.getFileName().toString().replace(".jar", "");
        Path cache = directory.resolve(name + ".aot");
        Path configuration = directory.resolve(name + ".aotconf");
        try {
            if (!Files.exists(extracted) || modified(extracted).compareTo(modified(fatJar)) < 0) {
                extract(javaCommand, fatJar, directory);
            }
            if (Files.exists(configuration) && Files.size(configuration) == 0) {
                Files.delete(configuration);
            }
            State state = newer(cache, extracted) ? State.USE : newer(configuration, extracted) ? State.ASSEMBLE : State.RECORD;
            return new AotCache(extracted, cache, configuration, state);
        }
        catch (IOException | RuntimeException e) {
            System.out.println("emporium: running " + fatJar.getFileName() + " without an AOT cache (" + e.getMessage() + ")");
            return new AotCache(fatJar, null, null, State.USE);
        }
    }

    /** Each platform's own AOT files, in its data folder (a test's platform never writes into the build). */
    static Path directory(Settings settings, String process) {
        return settings.home().resolve("aot").resolve(process);
    }

    /**
     * Makes the caches that the last run recorded, every process's at once, before anything starts:
     * once after each build, and outside the time to "ready" (the benchmark calls this itself first).
     */
    static void assembleRecorded(Settings settings, String javaCommand, List<String> processes) {
        Map<String, AotCache> recorded = new LinkedHashMap<>();
        for (String process : processes) {
            AotCache aot = of(javaCommand, settings.jar(process), directory(settings, process));
            if (aot.state == State.ASSEMBLE) {
                recorded.put(process, aot);
            }
        }
        if (recorded.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        System.out.println("emporium: making the AOT caches that the last run recorded (" + recorded.size()
                + " processes, once after a build)");
        // closing the executor waits for every one
        try (ExecutorService making = Executors.newVirtualThreadPerTaskExecutor()) {
            recorded.forEach((process, aot) -> making.submit(() -> aot.assemble(javaCommand, settings.javaOptionsOf(process))));
        }
        System.out.printf(Locale.ROOT, "emporium: AOT caches made in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    boolean training() {
        return state == State.RECORD;
    }

    /**
     * Makes the cache from the recorded configuration, with the JVM options the process will run with.
     *
     * @return the cache to use, or none (with the reason printed) if it could not be made
     */
    AotCache assemble(String javaCommand, List<String> jvmOptions) {
        if (state != State.ASSEMBLE) {
            return this;
        }
        List<String> command = new ArrayList<>(List.of(javaCommand));
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration, "-XX:AOTCache=" + cache,
                "-Xlog:aot*=error", "-cp", jar.toString()));
        Path log = configuration.resolveSibling(jar.getFileName().toString().replace(".jar", "-aot.log"));
        try {
            Process create = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!create.waitFor(ASSEMBLY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                create.destroyForcibly();
                throw new IOException("it took longer than " + ASSEMBLY_TIMEOUT_SECONDS + " s");
            }
            if (create.exitValue() != 0 || !Files.exists(cache)) {
                // the configuration cannot be used (cut short, another JDK): the next start records a new one
                Files.deleteIfExists(configuration);
                return new AotCache(jar, cache, configuration, State.RECORD);
            }
            Files.deleteIfExists(configuration);
            return new AotCache(jar, cache, configuration, State.USE);
        }
        catch (IOException e) {
            System.out.println("emporium: running " + jar.getFileName() + " without an AOT cache this time: making it from "
                    + configuration + " failed (" + e.getMessage() + ")");
            return new AotCache(jar, null, null, State.USE);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AotCache(jar, null, null, State.USE);
        }
    }

    List<String> jvmOptions() {
        if (cache == null || state == State.ASSEMBLE) {
            return List.of();
        }
        // -Xlog: the "cannot be archived" notes of a training run are not news for the service's log
        return state == State.RECORD
                ? List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration, "-Xlog:aot*=error")
                : List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=error");
    }

    private static boolean newer(Path file, Path than) {
        return Files.exists(file) && modified(file).compareTo(modified(than)) >= 0;
    }

    private static void extract(String javaCommand, Path fatJar, Path directory) throws IOException {
        Directories.deleteRecursively(directory);
        Process extract = new ProcessBuilder(javaCommand, "-Djarmode=tools", "-jar", fatJar.toString(), "extract", "--destination",
                directory.toString()).redirectErrorStream(true).start();
        String output = new String(extract.getInputStream().readAllBytes());
        try {
            if (!extract.waitFor(60, TimeUnit.SECONDS) || extract.exitValue() != 0) {
                throw new IOException("extracting " + fatJar + " failed: " + output.strip());
            }
            // a jar that is not a Spring Boot one ignores -Djarmode, runs its main class and extracts nothing
            if (!Files.exists(directory.resolve(fatJar.getFileName()))) {
                throw new IOException(fatJar + " is not a Spring Boot jar: extracting it wrote no " + fatJar.getFileName() + " under "
                        + directory);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while extracting " + fatJar);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
