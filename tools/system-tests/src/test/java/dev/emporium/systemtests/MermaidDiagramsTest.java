package dev.emporium.systemtests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.webjars.WebJarVersionLocator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Mermaid diagram in README.md and docs/ parses with Mermaid's own parser (the WebJar's
 * {@code mermaid.min.js}, in headless Chromium: {@link Browser}), so what GitHub and other renderers
 * draw is what the docs mean. Skipped, saying why, where no Chromium is installed.
 */
class MermaidDiagramsTest {

    private static final Path ROOT = PlatformLauncherIT.ROOT;
    private static final Pattern DIAGRAM = Pattern.compile("(?ms)^```mermaid\\s*\\n(.*?)^```");

    /** One fenced diagram: where it is, and its text. */
    record Diagram(String where, String text) {
    }

    private static Browser browser;

    @BeforeAll
    static void startTheBrowser() throws IOException {
        Optional<String> missing = Browser.unavailable();
        Assumptions.assumeTrue(missing.isEmpty(), () -> "parsing the diagrams needs a Chromium: " + missing.orElseThrow());
        browser = Browser.start(Path.of("target/surefire-reports/screenshots"));
        browser.driver().get("about:blank");
        // as a page's <script>, where the bundle's top-level names are globals (executeScript would wrap it in a function)
        browser.driver().executeScript("""
                const script = document.createElement('script');
                script.textContent = arguments[0];
                document.head.appendChild(script);
                window.mermaid.initialize({ startOnLoad: false });
                """, mermaid());
    }

    @AfterAll
    static void stopTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void everyDiagramInTheDocsParses() throws IOException {
        List<Diagram> diagrams = diagrams();
        assertThat(diagrams).extracting(Diagram::where).as("the diagrams of README.md and docs/")
            .contains("docs/architecture.md #1", "docs/sagas.md #1", "docs/messaging.md #1");
        List<String> errors = new ArrayList<>();
        for (Diagram diagram : diagrams) {
            parse(diagram.text()).ifPresent(error -> errors.add(diagram.where() + ": " + error));
        }
        assertThat(errors).as("diagrams Mermaid cannot parse").isEmpty();
    }

    /** The check can fail: a ';' inside a sequence diagram's message ends the statement there. */
    @Test
    void refusesWhatMermaidCannotRead() {
        assertThat(parse("sequenceDiagram\n    A->>B: hello\n")).isEmpty();
        assertThat(parse("sequenceDiagram\n    A->>B: reserve; then commit\n    Note over A: done\n")).isPresent();
        assertThat(parse("stateDiagram-v2\n    [*] --> A: go\n    A --> \n")).isPresent();
    }

    /** Mermaid's own verdict on one diagram: empty when it parses, else its error. */
    private static Optional<String> parse(String diagram) {
        Object error = browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                window.mermaid.parse(arguments[0]).then(() => done(null), e => done(String((e && e.message) || e)));
                """, diagram);
        return Optional.ofNullable(error).map(Object::toString);
    }

    private static List<Diagram> diagrams() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(file -> file.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Diagram> diagrams = new ArrayList<>();
        for (Path file : files) {
            Matcher fenced = DIAGRAM.matcher(Files.readString(file));
            int number = 0;
            while (fenced.find()) {
                diagrams.add(new Diagram(ROOT.relativize(file) + " #" + ++number, fenced.group(1)));
            }
        }
        return diagrams;
    }

    /** Mermaid's browser bundle, from its WebJar. */
    private static String mermaid() throws IOException {
        String path = new WebJarVersionLocator().fullPath("mermaid", "dist/mermaid.min.js");
        assertThat(path).as("mermaid.min.js in the mermaid WebJar").isNotNull();
        try (InputStream bundle = MermaidDiagramsTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(bundle).as(path).isNotNull();
            return new String(bundle.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
