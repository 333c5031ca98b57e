package io.yolomode.registration.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One headless Chromium driven through the Debian packages' chromedriver, for a test
 * class. Nothing is downloaded: the browser and driver paths are given, so Selenium
 * Manager is never asked. Without them the tests are skipped with the command that
 * installs them.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));

    static final Path CHROMEDRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));

    static final String INSTALL = "apt-get install -y chromium chromium-driver";

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    /**
     * Generous: the machine running the suite may be loaded; waits end as soon as their
     * condition holds.
     */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static boolean toldWhyItSkips;

    private final ChromeDriverService service;

    private final ChromeDriver driver;

    private final Path profile;

    private final String baseUrl;

    private ConsoleBrowser(ChromeDriverService service, ChromeDriver driver, Path profile, String baseUrl) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts the browser, or skips the calling test class when Chromium or its driver is
     * not installed.
     */
    static ConsoleBrowser start(int port) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String skipped = "Browser tests of the console skipped: no " + CHROMIUM + " or " + CHROMEDRIVER
                + ". Install them with: " + INSTALL;
        if (!installed && !toldWhyItSkips) {
            // Shown once in the build's output; surefire itself only counts the skipped
            // tests.
            toldWhyItSkips = true;
            System.err.println("[WARNING] " + skipped);
        }
        assumeTrue(installed, skipped);
        try {
            Path profile = Files.createTempDirectory("console-browser-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-extensions", "--window-size=1280,1000", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
            return new ConsoleBrowser(service, driver, profile, "http://localhost:" + port);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Opens the console signed out: a fresh page with this tab's storage emptied. */
    void openSignedOut() {
        driver.get(baseUrl + "/");
        script("sessionStorage.clear(); localStorage.clear();");
        driver.navigate().refresh();
        await(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    }

    /** Signs in the way a person does: pastes the token and presses Sign in. */
    void signIn(String token) {
        openSignedOut();
        WebElement input = driver.findElement(By.id("token"));
        input.sendKeys(token);
        driver.findElement(By.cssSelector("[data-action='sign-in']")).click();
    }

    /** Goes to a view of the console by its fragment, e.g. {@code #/runs}. */
    void go(String fragment) {
        script("location.hash = arguments[0];", fragment);
    }

    <T> T await(Function<WebDriver, T> condition) {
        // A live view renders again on every change: an element found a moment ago may be
        // gone, so look again.
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
            .until(condition);
    }

    /** The text of a visible element, read in the same look as the element is found. */
    String text(String css) {
        return await(driver -> {
            WebElement element = driver.findElement(By.cssSelector(css));
            return element.isDisplayed() ? element.getText() : null;
        });
    }

    /** An attribute of an element, read in the same look as the element is found. */
    String attribute(String css, String name) {
        return await(driver -> driver.findElement(By.cssSelector(css)).getAttribute(name));
    }

    WebElement visible(String css) {
        return await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves what the browser shows under target/console-screenshots for review. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        }
        finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            // a leftover temporary profile is harmless
        }
    }

}
