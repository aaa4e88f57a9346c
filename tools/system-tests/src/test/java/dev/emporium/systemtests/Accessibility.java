package dev.emporium.systemtests;

import java.util.List;
import java.util.Map;

import com.deque.html.axecore.args.AxeRuleOptions;
import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.WebDriver;

/**
 * What axe-core (Deque's accessibility rules, run by Deque's own Selenium integration) finds wrong with
 * the page the browser shows now: images without text, fields without labels, contrast, names of
 * buttons, headings, landmarks, regions that scroll but cannot be reached by keyboard. Injected by
 * WebDriver, which the pages' Content-Security-Policy does not stop.
 */
final class Accessibility {

    private final AxeBuilder axe;

    Accessibility() {
        AxeRunOptions options = new AxeRunOptions();
        // label-content-name-mismatch (WCAG 2.5.3) is off by default in axe-core: on, so a button's
        // accessible name keeps starting with the words it shows
        AxeRuleOptions on = new AxeRuleOptions();
        on.setEnabled(true);
        options.setRules(Map.of("label-content-name-mismatch", on));
        options.setResultTypes(List.of("violations"));
        axe = new AxeBuilder().withOptions(options);
    }

    /** Every rule the page breaks, one line each ({@code impact rule: what it asks -> where}); empty when none. */
    List<String> violations(WebDriver driver, String page) {
        Results results = axe.analyze(driver);
        if (results.isErrored()) {
            return List.of(page + ": axe could not run: " + results.getErrorMessage());
        }
        return results.getViolations().stream().map(rule -> page + ": " + describe(rule)).toList();
    }

    private static String describe(Rule rule) {
        return rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp() + " -> "
                + String.join(" | ", rule.getNodes().stream().limit(3).map(node -> String.valueOf(node.getTarget())).toList());
    }
}
