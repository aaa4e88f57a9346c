package dev.emporium.systemtests;

import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's Swagger UI in a real browser, as a developer uses it: it renders (its scripts and
 * styles are not refused by the page's content security policy); "Try it out" on the login answers
 * with a token; "Authorize" takes that token; and order-service's "Try it out" then answers 200
 * through the gateway with it.
 */
final class SwaggerUiWalk {

    private final Browser browser;
    private final WebDriver driver;
    private final WebDriverWait wait;

    SwaggerUiWalk(Browser browser) {
        this.browser = browser;
        this.driver = browser.driver();
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    void walk(String gateway, String email, String password) throws Exception {
        driver.get(gateway + "/swagger-ui.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#operations-Login-logIn")));
        browser.screenshot("swagger-ui-user-service");
        assertThat(driver.findElement(By.cssSelector(".information-container .title")).getText()).contains("Emporium user-service");

        WebElement login = expand("#operations-Login-logIn");
        login.findElement(By.cssSelector("button.try-out__btn")).click();
        WebElement body = login.findElement(By.cssSelector("textarea.body-param__text"));
        body.clear();
        body.sendKeys("{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}");
        login.findElement(By.cssSelector("button.execute")).click();
        String answer = liveResponse(login, "200");
        String token = answer.replaceAll("(?s).*\"accessToken\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertThat(token).as("the access token in the answer %s", answer).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

        driver.findElement(By.cssSelector(".auth-wrapper button.authorize")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".modal-ux")));
        dialog.findElement(By.cssSelector("input")).sendKeys(token);
        dialog.findElement(By.cssSelector("button.modal-btn.auth")).click();
        dialog.findElement(By.cssSelector("button.btn-done")).click();

        new Select(driver.findElement(By.cssSelector(".topbar select"))).selectByVisibleText("order-service");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#operations-Orders-listOrders")));
        WebElement orders = expand("#operations-Orders-listOrders");
        orders.findElement(By.cssSelector("button.try-out__btn")).click();
        orders.findElement(By.cssSelector("button.execute")).click();
        assertThat(liveResponse(orders, "200")).contains("\"content\"", "\"page\"");
        browser.screenshot("swagger-ui-order-service-try-it-out");

        List<String> refused = browser.console().stream()
            .filter(line -> line.contains("Content Security Policy") || line.contains("Refused to")).toList();
        assertThat(refused).as("what the browser refused to load or run").isEmpty();
    }

    /** The operation's block, opened. */
    private WebElement expand(String operation) {
        WebElement block = driver.findElement(By.cssSelector(operation));
        block.findElement(By.cssSelector(".opblock-summary")).click();
        wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(block, By.cssSelector("button.try-out__btn")));
        return block;
    }

    /** The body of the answer "Execute" got, once it shows, after checking its status. */
    private String liveResponse(WebElement operation, String status) {
        WebElement response = wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(operation,
                By.cssSelector(".live-responses-table tbody .response"))).getFirst();
        assertThat(response.findElement(By.cssSelector(".response-col_status")).getText()).as("the status Swagger UI shows").isEqualTo(status);
        return response.findElement(By.cssSelector(".response-col_description pre")).getText();
    }
}
