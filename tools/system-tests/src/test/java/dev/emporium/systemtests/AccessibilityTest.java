package dev.emporium.systemtests;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The accessibility check finds what it should, in a real headless Chromium: a page with faults, and one without. */
class AccessibilityTest {

    @TempDir
    Path screenshots;

    @Test
    void findsAnImageWithoutTextAFieldWithoutALabelAButtonNamedOtherThanItReadsARegionScrolledOnlyByMouseAndNothingOnAPageWithout() throws Exception {
        Optional<String> missing = Browser.unavailable();
        Assumptions.assumeTrue(missing.isEmpty(), () -> "the accessibility test needs a Chromium: " + missing.orElseThrow());
        try (Browser browser = Browser.start(screenshots)) {
            browser.driver().get("data:text/html,<!doctype html><html lang=en><head><title>Faults</title></head><body><main><h1>Faults</h1>"
                    + "<img src=x.png><input type=text><button aria-label='Put the teapot in the basket'>Add to cart</button>"
                    + "<div style='width:100px;overflow-x:auto'><p style='width:400px'>A line wider than its box</p></div></main></body></html>");
            assertThat(new Accessibility().violations(browser.driver(), "faults")).as("the faults found")
                .anyMatch(line -> line.contains("image-alt")).anyMatch(line -> line.contains(" label:"))
                .anyMatch(line -> line.contains("label-content-name-mismatch")).anyMatch(line -> line.contains("scrollable-region-focusable"));

            browser.driver().get("data:text/html,<!doctype html><html lang=en><head><title>Fine</title></head><body><main><h1>Fine</h1>"
                    + "<img src=x.png alt='A teapot'><label for=q>Search</label><input id=q type=text>"
                    + "<div role=region aria-label='A wide line' tabindex=0 style='width:100px;overflow-x:auto'><p style='width:400px'>A line wider than its box</p></div>"
                    + "</main></body></html>");
            assertThat(new Accessibility().violations(browser.driver(), "fine")).isEmpty();
        }
    }
}
