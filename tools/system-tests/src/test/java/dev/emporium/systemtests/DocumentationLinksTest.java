package dev.emporium.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README and docs/ point learners at code and tests (the pattern map above all): every relative
 * link must lead to a file that exists, so the map cannot silently rot when code moves.
 */
class DocumentationLinksTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
    static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkInTheReadmeAndDocsLeadsToAFile() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).forEach(documents::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : documents) {
            Matcher links = LINK.matcher(Files.readString(document));
            while (links.find()) {
                String target = links.group(1);
                if (target.startsWith("http") || target.startsWith("#") || target.startsWith("mailto:")) {
                    continue;
                }
                checked++;
                Path file = document.getParent().resolve(target.replaceAll("#.*$", "")).normalize();
                if (!Files.exists(file)) {
                    broken.add(ROOT.relativize(document) + " -> " + target);
                }
            }
        }
        assertThat(checked).as("links checked").isGreaterThan(40);
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }
}
