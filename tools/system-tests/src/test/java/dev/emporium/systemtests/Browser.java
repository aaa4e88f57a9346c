package dev.emporium.systemtests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium, driven by Selenium through chromedriver: Debian's {@code chromium} and
 * {@code chromium-driver} (.ci/run installs them), or any Chromium and matching chromedriver on the
 * PATH. Selenium Manager is never asked to download one: the tests run where a browser is installed
 * and are skipped, saying why, where none is.
 */
final class Browser implements AutoCloseable {

    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    private final ChromeDriver driver;
    private final Path screenshots;

    private Browser(ChromeDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    /** Why no browser can be started here; empty when one can. */
    static Optional<String> unavailable() {
        if (executable(BROWSERS).isEmpty()) {
            return Optional.of("no Chromium on the PATH (" + String.join(", ", BROWSERS) + "); on Debian: apt-get install chromium chromium-driver");
        }
        if (executable(List.of("chromedriver")).isEmpty()) {
            return Optional.of("no chromedriver on the PATH; on Debian: apt-get install chromium-driver");
        }
        return Optional.empty();
    }

    /** @param screenshots where {@link #screenshot(String)} saves its pictures (a test-report directory) */
    static Browser start(Path screenshots) throws IOException {
        ChromeOptions options = new ChromeOptions()
            .setBinary(executable(BROWSERS).orElseThrow().toFile())
            .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(executable(List.of("chromedriver")).orElseThrow().toFile())
            .withTimeout(Duration.ofSeconds(60))
            .build();
        Files.createDirectories(screenshots);
        return new Browser(new ChromeDriver(service, options), screenshots);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Saves what the page shows now as {@code <name>.png}, for the test report. */
    Path screenshot(String name) throws IOException {
        Path file = screenshots.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** What the pages wrote to the console since the last call: refused scripts, styles and requests among them. */
    List<String> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static Optional<Path> executable(List<String> names) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        return names.stream()
            .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(directory -> Path.of(directory, name)))
            .filter(Files::isExecutable)
            .findFirst();
    }
}
