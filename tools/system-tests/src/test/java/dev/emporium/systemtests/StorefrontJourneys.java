package dev.emporium.systemtests;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import com.jayway.jsonpath.JsonPath;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.emporium.launcher.Http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The storefront at the gateway's {@code /}, walked in a real headless Chromium as its users walk it.
 * Fields are found by their labels (so an unlabelled field fails the walk), buttons by what they say.
 * <ol>
 * <li>The administrator adds a product, receives two of it, replays a dead letter and reads the
 * circuit breakers and admission limit.</li>
 * <li>A new shopper registers (and is logged in), finds that product by searching, puts it and another
 * product in the cart, checks out and sees CONFIRMED and the saga drawn with stock and credit side by side.</li>
 * <li>An order for more than the stock ends REJECTED with the reason shown; the stock is unchanged.</li>
 * <li>Double-clicking "Place order" makes one order; the cart's key sent again answers the same order; it is
 * cancelled from the keyboard, and the focus goes to its status.</li>
 * <li>Another shopper's order URL shows "not found".</li>
 * <li>An expired token leads back to the login, with the cart kept; after logging in the cart is back.</li>
 * <li>The cart says which of its products changed price, or left the catalogue, since they were added.</li>
 * </ol>
 * Every view is checked by axe-core at the window's width and at a phone's 390 px, where it must also fit
 * without scrolling sideways; the browser refused nothing (no script, style or request outside the page's
 * content security policy). Screenshots go to the test report.
 */
final class StorefrontJourneys {

    private static final String PASSWORD = "correct horse battery";
    private static final Dimension PHONE = new Dimension(390, 844);

    private final Browser browser;
    private final WebDriver driver;
    private final WebDriverWait wait;
    private final String gateway;
    private final Accessibility accessibility = new Accessibility();
    /** What axe-core found on each view the journeys showed, checked once they are done. */
    private final List<String> inaccessible = new java.util.ArrayList<>();

    StorefrontJourneys(Browser browser, String gateway) {
        this.browser = browser;
        this.driver = browser.driver();
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(40));
        this.wait.ignoring(StaleElementReferenceException.class); // a view drawn again while it is read
        this.gateway = gateway;
    }

    /**
     * @param poisonInventoryCommands puts a record inventory-service cannot read on its command topic, for the
     *        administrator to find among the dead letters
     */
    void walk(String adminEmail, String adminPassword, Runnable poisonInventoryCommands) throws Exception {
        try {
            journeys(adminEmail, adminPassword, poisonInventoryCommands);
        }
        catch (Exception | AssertionError e) {
            browser.screenshot("storefront-where-it-failed");
            throw e;
        }
    }

    private void journeys(String adminEmail, String adminPassword, Runnable poisonInventoryCommands) throws Exception {
        poisonInventoryCommands.run();
        String sku = "TEAPOT-" + UUID.randomUUID().toString().substring(0, 8);
        String productName = "Storefront teapot " + sku;
        String productId = administratorStocksAProductAndReplaysADeadLetter(adminEmail, adminPassword, sku, productName);

        String shopper = aNewShopperOrdersTwoProductsAndWatchesTheSaga(productName);
        anOrderForMoreThanTheStockIsRejectedWithItsReason(productId);
        doubleClickingPlaceOrderMakesOneOrder(productId);
        String otherShopper = anotherShoppersOrderIsNotFound(shopper);
        anExpiredTokenLeadsToTheLoginWithTheCartKept(otherShopper);
        theCartSaysWhatTheCatalogueChangedSinceItsLinesWereAdded();

        List<String> refused = browser.console().stream()
            .filter(line -> line.contains("Content Security Policy") || line.contains("Refused to")).toList();
        assertThat(refused).as("what the browser refused to load or run").isEmpty();
        assertThat(inaccessible).as("what axe-core finds inaccessible, and what does not fit a phone, on the views the journeys showed")
            .isEmpty();
    }

    /**
     * A screenshot of the view, and what axe-core finds wrong with it, for the end of the walk: as the window
     * is, and again at a phone's width, where the page must also fit without scrolling sideways.
     */
    private void view(String name) throws Exception {
        browser.screenshot(name);
        inaccessible.addAll(accessibility.violations(driver, name));
        atPhoneWidth(() -> {
            if (pageWidth() > windowWidth()) {
                inaccessible.add(name + " at " + PHONE.width + " px: the page is " + pageWidth() + " px wide and scrolls sideways");
            }
            inaccessible.addAll(accessibility.violations(driver, name + " at " + PHONE.width + " px"));
        });
    }

    private String administratorStocksAProductAndReplaysADeadLetter(String email, String password, String sku, String name)
            throws Exception {
        open("/login");
        fill("Email", email);
        fill("Password", password);
        button("Log in").click();
        waitForText(By.id("notice"), "You are logged in");
        driver.findElement(By.id("nav-admin")).click();
        WebElement add = wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//summary[normalize-space()='Add a product']")));
        add.click();
        fill("SKU", sku);
        fill("Name", name);
        fill("Category", "kitchen");
        // not the cheapest: the API walkthrough that runs next orders the cheapest product, which this one's
        // orders leave out of stock; and two of it stay within a new shopper's credit, so stock is what refuses
        fill("Price", "95.00");
        button("Add").click();
        waitForText(By.id("notice"), name + " is in the catalogue");

        button("Edit " + name).click();
        fill("Units received (+) or written off (−)", "2");
        fill("Reason", "delivery for the storefront test");
        button("Adjust stock").click();
        waitForText(By.id("notice"), "2 available");

        WebElement deadLetter = untilReadAgain(() -> replayButtons().stream().reduce((first, last) -> last).orElse(null));
        int before = replayButtons().size();
        view("storefront-administration");
        deadLetter.click();
        waitForText(By.id("notice"), "Sent to inventory-commands");
        // the poison fails again and is dead-lettered again (a dead-letter topic keeps what it held): one
        // record more, so the replay reached the topic and its listener
        untilReadAgain(() -> replayButtons().size() > before ? true : null);
        assertThat(driver.findElement(By.id("resilience")).getText()).contains("inventory-pricing", "CLOSED", "Order admission:");

        String productId = JsonPath.read(Http.get(gateway + "/api/products?q=" + sku, "application/json").body(), "$.content[0].id");
        driver.findElement(By.id("nav-logout")).click();
        waitForText(By.id("notice"), "You are logged out");
        return productId;
    }

    private String aNewShopperOrdersTwoProductsAndWatchesTheSaga(String productName) throws Exception {
        String email = "shopper-" + UUID.randomUUID() + "@example.com";
        register("Ada Shopper", email);
        waitForText(By.id("notice"), "Welcome");

        fill("Search", productName);
        button("Search").click();
        wait.until(driver -> driver.findElements(By.cssSelector(".cards .card")).size() == 1);
        button("Add to cart: " + productName).click();
        fill("Search", "");
        button("Search").click();
        wait.until(driver -> driver.findElements(By.cssSelector(".cards .card")).size() > 1);
        view("storefront-catalogue");
        WebElement other = driver.findElements(By.cssSelector(".cards .card")).stream()
            .filter(card -> !card.getText().contains(productName))
            .map(card -> card.findElement(By.cssSelector("button.add")))
            .filter(WebElement::isEnabled)
            .findFirst().orElseThrow();
        other.click();
        assertThat(driver.findElement(By.id("nav-cart")).getText()).isEqualTo("Cart (2)");

        driver.navigate().refresh(); // the cart survives a reload
        wait.until(ExpectedConditions.textToBe(By.id("nav-cart"), "Cart (2)"));
        driver.findElement(By.id("nav-cart")).click();
        fitsAPhone("storefront-cart-phone");
        button("Place order").click();

        waitForText(By.id("order-status"), "CONFIRMED");
        // the saga drawn as its steps: ReserveStock and ReserveCredit both sent before either answered
        wait.until(driver -> driver.findElements(By.cssSelector("#saga-timeline .event.decision")).size() >= 1);
        List<WebElement> rows = driver.findElements(By.cssSelector("#saga-timeline tr.entry"));
        assertThat(rows.get(0).getText() + " | " + rows.get(1).getText()).contains("ReserveStock", "ReserveCredit");
        assertThat(driver.findElements(By.cssSelector("#saga-timeline .event[data-step='RESERVE_STOCK']"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(driver.findElements(By.cssSelector("#saga-timeline .event[data-step='RESERVE_CREDIT']"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(driver.findElement(By.cssSelector("#trace-link a")).getAttribute("href")).contains(currentOrderId());
        view("storefront-order-confirmed");

        driver.findElement(By.id("nav-orders")).click();
        waitForText(By.cssSelector("table.orders"), "CONFIRMED");
        return email;
    }

    private void anOrderForMoreThanTheStockIsRejectedWithItsReason(String productId) throws Exception {
        open("/products/" + productId);
        // two were received and the first order took one: one more than is left
        int before = available(productId);
        fill("Quantity", Integer.toString(before + 1));
        button("Add ").click();
        driver.findElement(By.id("nav-cart")).click();
        button("Place order").click();
        waitForText(By.id("order-status"), "REJECTED");
        assertThat(driver.findElement(By.id("order-reason")).getText()).as("the reason shown").startsWith("Why:").contains("stock");
        // the credit reserved beside the refused stock is given back: a compensation in the credit lane
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#saga-timeline .event.compensation[data-step='RESERVE_CREDIT']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#saga-timeline .event.decision")));
        view("storefront-order-rejected");
        await("the stock after the rejection").atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(available(productId)).isEqualTo(before));
    }

    private void doubleClickingPlaceOrderMakesOneOrder(String productId) throws Exception {
        open("/products/" + productId);
        fill("Quantity", "1");
        button("Add ").click();
        driver.findElement(By.id("nav-cart")).click();
        String key = (String) script("return JSON.parse(localStorage.getItem('emporium.cart')).key");
        int before = ordersOfTheShopper();
        new Actions(driver).doubleClick(button("Place order")).perform();
        waitForText(By.id("order-status"), "CONFIRMED");
        String orderId = currentOrderId();
        await("the shopper's orders").atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ordersOfTheShopper()).isEqualTo(before + 1));

        // a retried request with the cart's key: the same order, not a second one
        Http.Response again = Http.postJson(gateway + "/api/orders", "{\"lines\":[{\"productId\":\"" + productId + "\",\"quantity\":1}]}",
                token(), key);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat((String) JsonPath.read(again.body(), "$.id")).isEqualTo(orderId);
        assertThat(ordersOfTheShopper()).isEqualTo(before + 1);

        // cancelled from the keyboard: the button goes, and the focus goes to the status that says what happened
        button("Cancel the order").sendKeys(Keys.ENTER);
        waitForText(By.id("order-status"), "CANCELLED");
        assertThat(driver.switchTo().activeElement().getAttribute("id")).as("what has the focus after cancelling").isEqualTo("order-status");
    }

    private String anotherShoppersOrderIsNotFound(String firstShopper) throws Exception {
        String othersOrder = currentOrderId();
        script("sessionStorage.clear(); localStorage.clear();");
        String email = "other-" + UUID.randomUUID() + "@example.com";
        register("Bo Other", email);
        waitForText(By.id("notice"), "Welcome");
        open("/orders/" + othersOrder);
        waitForText(By.tagName("h1"), "Order not found");
        assertThat(driver.findElement(By.id("main")).getText()).doesNotContain(firstShopper);
        view("storefront-others-order-not-found");
        return email;
    }

    private void anExpiredTokenLeadsToTheLoginWithTheCartKept(String email) throws Exception {
        open("/");
        wait.until(driver -> driver.findElements(By.cssSelector(".cards button.add")).stream().anyMatch(WebElement::isEnabled));
        driver.findElements(By.cssSelector(".cards button.add")).stream().filter(WebElement::isEnabled).findFirst().orElseThrow().click();
        driver.findElement(By.id("nav-cart")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("place-order")));

        // the same token, but its expiry an hour ago (the signature no longer matches either way)
        String[] parts = token().split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]));
        long past = System.currentTimeMillis() / 1000 - 3600;
        String expired = claims.replaceAll("\"exp\"\\s*:\\s*\\d+", "\"exp\":" + past);
        script("sessionStorage.setItem('emporium.token', arguments[0])",
                parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(expired.getBytes()) + "." + parts[2]);

        button("Place order").click();
        waitForText(By.tagName("h1"), "Log in");
        assertThat(driver.findElement(By.id("notice")).getText()).contains("session has ended", "cart is kept");
        assertThat(driver.findElement(By.id("nav-cart")).getText()).isEqualTo("Cart (1)");
        view("storefront-session-ended");
        fill("Email", email);
        fill("Password", PASSWORD);
        button("Log in").click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("place-order")));
        assertThat(driver.findElement(By.cssSelector("table.cart")).getText()).as("the cart, back after logging in").isNotBlank();
    }

    /**
     * The cart as it was kept when its product cost 0.01 more and another product was still in the catalogue:
     * the cart page asks the catalogue again, says what changed, and shows the catalogue's price from then on.
     */
    private void theCartSaysWhatTheCatalogueChangedSinceItsLinesWereAdded() throws Exception {
        String now = (String) script("""
                const cart = JSON.parse(localStorage.getItem('emporium.cart'));
                const line = cart.lines[0];
                const now = line.price.amount.toFixed(2) + ' ' + line.price.currency;
                line.price = { amount: line.price.amount + 0.01, currency: line.price.currency };
                cart.lines.push({ productId: '00000000-0000-4000-8000-000000000000', name: 'Discontinued kettle',
                  price: { amount: 10, currency: line.price.currency }, quantity: 1 });
                localStorage.setItem('emporium.cart', JSON.stringify(cart));
                return now;""");
        String key = (String) script("return JSON.parse(localStorage.getItem('emporium.cart')).key");
        open("/");
        open("/cart");
        waitForText(By.cssSelector("#main .changes"), "Discontinued kettle is no longer in the catalogue: remove it to place the order.");
        assertThat(driver.findElement(By.cssSelector("#main .changes")).getText()).contains("is now " + now + ", not ", "as when you added it");
        assertThat(driver.findElement(By.cssSelector("table.cart")).getText()).as("the cart's lines").contains(now);
        assertThat(driver.findElement(By.cssSelector("#main .total")).getText()).as("the total, without the product that is gone")
            .isEqualTo("Total at today's prices: " + now);
        assertThat((String) script("return JSON.parse(localStorage.getItem('emporium.cart')).key"))
            .as("the key: what the order would hold did not change").isEqualTo(key);
        view("storefront-cart-changed");
    }

    private List<WebElement> replayButtons() {
        return driver.findElements(By.cssSelector("#dead-letters [data-service='inventory-service'] button.replay"));
    }

    /** Waits for what the dead letters show, asking the page to read them again every few seconds. */
    private <T> T untilReadAgain(Supplier<T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(60)).pollingEvery(Duration.ofSeconds(3))
            .ignoring(StaleElementReferenceException.class).until(driver -> {
            T found = condition.get();
            if (found == null) {
                button("Read the dead letters again").click();
            }
            return found;
        });
    }

    private void register(String name, String email) {
        open("/register");
        fill("Name", name);
        fill("Email", email);
        fill("Password", PASSWORD);
        button("Register").click();
    }

    /** The page at phone width: it fits without scrolling sideways. */
    private void fitsAPhone(String screenshot) throws Exception {
        atPhoneWidth(() -> {
            assertThat(pageWidth()).as("the page's width at a phone's 390 px").isLessThanOrEqualTo(windowWidth());
            browser.screenshot(screenshot);
        });
    }

    /** How wide the page is laid out: wider than the window, it scrolls sideways. */
    private int pageWidth() {
        return ((Number) script("return document.documentElement.scrollWidth")).intValue();
    }

    private int windowWidth() {
        return ((Number) script("return window.innerWidth")).intValue();
    }

    private interface Check {
        void run() throws Exception;
    }

    /** Runs the check with the window as wide as a phone's screen, then gives the window its size back. */
    private void atPhoneWidth(Check check) throws Exception {
        Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(PHONE);
        try {
            wait.until(driver -> windowWidth() <= PHONE.width + 10);
            check.run();
        }
        finally {
            driver.manage().window().setSize(before);
        }
    }

    private void open(String view) {
        driver.get(gateway + "/#" + view);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#main > *")));
    }

    /** The field a label names: fails when no label names one. */
    private void fill(String label, String value) {
        WebElement labelElement = wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//label[normalize-space()='" + label + "']")));
        WebElement input = driver.findElement(By.id(labelElement.getAttribute("for")));
        input.clear();
        if (!value.isEmpty()) {
            input.sendKeys(value);
        }
    }

    /** A button by what it says (or how it starts), once it can be clicked. */
    private WebElement button(String text) {
        By by = text.endsWith(" ") ? By.xpath("//button[starts-with(normalize-space(), '" + text.strip() + "')]")
                : By.xpath("//button[normalize-space()='" + text + "' or @aria-label='" + text + "']");
        return wait.until(ExpectedConditions.elementToBeClickable(by));
    }

    private void waitForText(By element, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(40)).withMessage(() -> "'" + text + "' in " + element + "; the notice says: " + notice())
            .until(ExpectedConditions.textToBePresentInElementLocated(element, text));
    }

    private String notice() {
        return driver.findElements(By.id("notice")).stream().map(WebElement::getText).findFirst().orElse("(none)");
    }

    private Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    private String token() {
        return (String) script("return sessionStorage.getItem('emporium.token')");
    }

    private String currentOrderId() {
        String url = driver.getCurrentUrl();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private int ordersOfTheShopper() {
        Supplier<String> body = () -> Http.get(gateway + "/api/orders?size=1", "application/json", token()).body();
        return JsonPath.read(body.get(), "$.page.totalElements");
    }

    private int available(String productId) {
        return JsonPath.read(Http.get(gateway + "/api/products/" + productId, "application/json").body(), "$.available");
    }
}
