package dev.emporium.systemtests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * What axe-core (Deque's accessibility rules, as a WebJar) finds wrong with the page the browser shows
 * now: images without text, fields without labels, contrast, names of buttons, headings, landmarks.
 * Injected by WebDriver, which the pages' Content-Security-Policy does not stop.
 */
final class Accessibility {

    private final String axe;

    Accessibility() {
        String path = new org.webjars.WebJarVersionLocator().fullPath("axe-core", "axe.min.js");
        if (path == null) {
            throw new IllegalStateException("axe.min.js is not on the test class path (the org.webjars.npm:axe-core dependency)");
        }
        try (InputStream source = Accessibility.class.getClassLoader().getResourceAsStream(path)) {
            axe = new String(source.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every rule the page breaks, one line each ({@code impact rule: what it asks -> where}); empty when none. */
    @SuppressWarnings("unchecked")
    List<String> violations(WebDriver driver, String page) {
        JavascriptExecutor script = (JavascriptExecutor) driver;
        if (!Boolean.TRUE.equals(script.executeScript("return typeof window.axe !== 'undefined'"))) {
            script.executeScript(axe);
        }
        Object found = script.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                // label-content-name-mismatch (WCAG 2.5.3) is off by default in this axe-core: on, so a button's
                // accessible name keeps starting with the words it shows
                window.axe.run(document, { resultTypes: ['violations'], rules: { 'label-content-name-mismatch': { enabled: true } } })
                  .then((result) => done(result.violations.map((v) => v.impact + ' ' + v.id + ': ' + v.help + ' -> '
                      + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '))))
                  .catch((error) => done(['axe could not run: ' + error]));
                """);
        return ((List<Object>) found).stream().map(line -> page + ": " + line).toList();
    }
}
