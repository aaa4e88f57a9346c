package dev.emporium.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite passes whatever a developer has exported: every variable that the README, docs/ or the
 * services' configuration name is removed from the test JVMs' environment by the root pom
 * ({@code excludedEnvironmentVariables} of Surefire and Failsafe), and so from every platform a test
 * starts. A newly documented variable that is not added there fails here.
 */
class TestEnvironmentTest {

    static final Path ROOT = DocumentationLinksTest.ROOT;
    static final Pattern VARIABLE = Pattern
        .compile("\\b(EMPORIUM_[A-Z0-9_]+|JDBC_DATASOURCEPROXY_ENABLED|SPRING_THREADS_VIRTUAL_ENABLED|LOGGING_STRUCTURED_FORMAT_CONSOLE)\\b");
    /** Chooses containers or embedded servers for the tests: meant to reach them. */
    static final Set<String> FOR_THE_TESTS = Set.of("EMPORIUM_TEST_INFRASTRUCTURE");

    @Test
    void everyDocumentedVariableIsKeptFromTheTests() throws IOException {
        Set<String> named = documentedVariables();
        String pom = Files.readString(ROOT.resolve("pom.xml"));

        assertThat(named).hasSizeGreaterThan(20);
        for (String plugin : List.of("maven-surefire-plugin", "maven-failsafe-plugin")) {
            Set<String> excluded = excluded(pom, plugin);
            assertThat(excluded).as("the variables %s removes from the tests' environment (root pom.xml)", plugin)
                .containsAll(named);
        }
    }

    @Test
    void noDocumentedVariableReachesThisJvm() throws IOException {
        assertThat(System.getenv().keySet()).doesNotContainAnyElementsOf(documentedVariables());
    }

    private static Set<String> documentedVariables() throws IOException {
        Set<String> names = new TreeSet<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ROOT)) {
            sources = files.filter(Files::isRegularFile)
                .filter(path -> !ROOT.relativize(path).toString().matches("(\\.git|\\.emporium|.*/target|target)(/.*)?"))
                .filter(path -> path.equals(ROOT.resolve("README.md"))
                        || path.startsWith(ROOT.resolve("docs")) && !path.startsWith(ROOT.resolve("docs/images")) // pictures hold no text
                        || path.toString().matches(".*/src/main/(resources/application.*\\.yml|resources/emporium/.*\\.yml|java/.*\\.java)"))
                .toList();
        }
        for (Path source : sources) {
            Matcher variable = VARIABLE.matcher(Files.readString(source));
            while (variable.find()) {
                names.add(variable.group(1));
            }
        }
        names.removeAll(FOR_THE_TESTS);
        return names;
    }

    private static Set<String> excluded(String pom, String plugin) {
        int start = pom.indexOf("<artifactId>" + plugin + "</artifactId>");
        assertThat(start).as(plugin + " in the root pom").isNotNegative();
        String configuration = pom.substring(start, pom.indexOf("</plugin>", start));
        Set<String> excluded = new TreeSet<>();
        Matcher variable = Pattern.compile("<variable>([^<]+)</variable>").matcher(configuration);
        while (variable.find()) {
            excluded.add(variable.group(1).strip());
        }
        return excluded;
    }
}
