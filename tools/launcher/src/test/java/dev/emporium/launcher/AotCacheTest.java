package dev.emporium.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.tools.ToolProvider;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AOT cache's three states with this JDK, on a jar of one class: the first run records, the next start
 * makes the cache, the one after starts from it. The last run uses {@code -XX:AOTMode=on}, with which the
 * JVM refuses to start unless it can use the cache. (A Spring Boot jar would be extracted first; here the
 * jar stands for one that was, newer than its fat jar.)
 */
class AotCacheTest {

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path target;

    Path fatJar;
    Path extracted;

    @BeforeEach
    void aJarExtractedAlready() throws IOException {
        fatJar = target.resolve("shop.jar");
        extracted = target.resolve("home/aot/shop/shop.jar");
        writeJar(fatJar);
        Files.createDirectories(extracted.getParent());
        writeJar(extracted);
        Files.setLastModifiedTime(fatJar, FileTime.from(Instant.now().minusSeconds(60)));
    }

    @Test
    void theFirstRunRecordsTheNextStartMakesTheCacheAndTheOneAfterStartsFromIt() throws Exception {
        AotCache first = AotCache.of(JAVA, fatJar, extracted.getParent());
        assertThat(first.state()).isEqualTo(AotCache.State.RECORD);
        assertThat(first.training()).isTrue();
        assertThat(first.jar()).isEqualTo(extracted);
        assertThat(run(first)).as("the training run").isZero();
        assertThat(first.configuration()).exists();

        AotCache second = AotCache.of(JAVA, fatJar, extracted.getParent());
        assertThat(second.state()).isEqualTo(AotCache.State.ASSEMBLE);
        assertThat(second.jvmOptions()).as("nothing to start from until it is made").isEmpty();
        AotCache made = second.assemble(JAVA, List.of());
        assertThat(made.state()).isEqualTo(AotCache.State.USE);
        assertThat(made.cache()).exists();
        assertThat(second.configuration()).as("the recording, used up").doesNotExist();

        AotCache third = AotCache.of(JAVA, fatJar, extracted.getParent());
        assertThat(third.state()).isEqualTo(AotCache.State.USE);
        assertThat(third.training()).isFalse();
        assertThat(run(third, "-XX:AOTMode=on")).as("a start that fails unless the cache is used").isZero();
    }

    @Test
    void anUnusableConfigurationIsDroppedAndRecordedAgain() throws Exception {
        Path configuration = extracted.resolveSibling("shop.aotconf");
        Files.writeString(configuration, "not a recording");

        AotCache recorded = AotCache.of(JAVA, fatJar, extracted.getParent());
        assertThat(recorded.state()).isEqualTo(AotCache.State.ASSEMBLE);
        AotCache again = recorded.assemble(JAVA, List.of());

        assertThat(again.state()).isEqualTo(AotCache.State.RECORD);
        assertThat(configuration).as("dropped").doesNotExist();
        assertThat(AotCache.of(JAVA, fatJar, extracted.getParent()).state()).as("the next start").isEqualTo(AotCache.State.RECORD);
        assertThat(run(again)).isZero();
        assertThat(configuration).as("recorded anew").exists().isNotEmptyFile();
    }

    @Test
    void anEmptyConfigurationLeftByAKilledProcessIsRecordedAgain() throws IOException {
        Path configuration = extracted.resolveSibling("shop.aotconf");
        Files.createFile(configuration);

        AotCache aot = AotCache.of(JAVA, fatJar, extracted.getParent());

        assertThat(aot.state()).isEqualTo(AotCache.State.RECORD);
        assertThat(configuration).doesNotExist();
    }

    @Test
    void aJarThatCannotBeExtractedRunsAsItIs() throws IOException {
        Path notSpringBoot = target.resolve("other/plain.jar");
        Files.createDirectories(notSpringBoot.getParent());
        writeJar(notSpringBoot);

        AotCache aot = AotCache.of(JAVA, notSpringBoot, target.resolve("home/aot/plain"));

        assertThat(aot.jar()).isEqualTo(notSpringBoot);
        assertThat(aot.state()).isEqualTo(AotCache.State.USE);
        assertThat(aot.jvmOptions()).isEmpty();
    }

    /** Runs the jar with the cache's options, as the launcher starts a service; its exit code. */
    private int run(AotCache aot, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(aot.jvmOptions());
        command.addAll(List.of(more));
        command.addAll(List.of("-jar", aot.jar().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("what the program printed, after the JVM's own lines").contains("open for business");
        return process.exitValue();
    }

    /** A jar whose main class prints one line, compiled here. */
    private void writeJar(Path jar) throws IOException {
        Path sources = Files.createDirectories(target.resolve("src"));
        Path source = sources.resolve("Shop.java");
        Files.writeString(source, """
                public class Shop {
                    public static void main(String[] args) {
                        System.out.println(String.join(" ", java.util.List.of("open", "for", "business")));
                    }
                }
                """);
        Path classes = Files.createDirectories(target.resolve("classes"));
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(compiled).isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Shop");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("Shop.class"));
            out.write(Files.readAllBytes(classes.resolve("Shop.class")));
            out.closeEntry();
        }
    }
}
