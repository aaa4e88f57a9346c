package dev.emporium.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JDK 25's ahead-of-time cache (JEP 483, 514, 515) for each Spring process: the classes it loads,
 * linked, and the methods' profiles, so the next start does about half the work. The JVM cannot use
 * it with a Spring Boot jar's nested jars, so the jar is first extracted ({@code -Djarmode=tools
 * extract}) next to itself, into {@code target/aot/}.
 * <ul>
 * <li>no cache yet (or the jar was rebuilt since): the process runs with {@code -XX:AOTCacheOutput}
 * and the JVM writes the cache when it stops (Ctrl-C, {@code ./emporium down}), which takes some
 * seconds once;</li>
 * <li>a cache newer than the extracted jar: the process runs with {@code -XX:AOTCache}.</li>
 * </ul>
 * {@code EMPORIUM_AOT=off} runs the fat jars as they are. An unusable cache (another JDK) is reported
 * by the JVM in the service's log and ignored; nothing fails because of it.
 */
record AotCache(Path jar, Path cache, boolean training) {

    /** The jar to run and the JVM options for it; the fat jar itself when extraction is not possible. */
    static AotCache of(String javaCommand, Path fatJar) {
        Path directory = fatJar.resolveSibling("aot");
        Path extracted = directory.resolve(fatJar.getFileName());
        Path cache = directory.resolve(fatJar.getFileName().toString().replace(".jar", ".aot"));
        try {
            if (!Files.exists(extracted) || modified(extracted).compareTo(modified(fatJar)) < 0) {
                extract(javaCommand, fatJar, directory);
            }
            boolean fresh = Files.exists(cache) && modified(cache).compareTo(modified(extracted)) >= 0;
            return new AotCache(extracted, cache, !fresh);
        }
        catch (IOException | RuntimeException e) {
            System.out.println("emporium: running " + fatJar.getFileName() + " without an AOT cache (" + e.getMessage() + ")");
            return new AotCache(fatJar, null, false);
        }
    }

    List<String> jvmOptions() {
        if (cache == null) {
            return List.of();
        }
        // -Xlog: the "cannot be archived" notes of a training run are not news for the service's log
        return List.of((training ? "-XX:AOTCacheOutput=" : "-XX:AOTCache=") + cache, "-Xlog:aot*=error");
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
