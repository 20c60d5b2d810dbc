package dev.hotpot.cluster;

import dev.hotpot.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The status page of a running 3-node cluster in a real headless browser (Chromium, driven through
 * Selenium): it shows the three nodes and the primary, commits per second, and, after the primary
 * is killed, that node failed, another primary and the failover.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StatusPageBrowserTest {
    private static final File BROWSER = new File("/usr/bin/chromium");
    private static final File DRIVER = new File("/usr/bin/chromedriver");

    @TempDir
    Path root;

    @Test
    void thePageShowsTheNodesAndChangesWhenThePrimaryIsKilled() throws Exception {
        assumeTrue(BROWSER.canExecute() && DRIVER.canExecute(), () -> {
            String reason = "skipped: no " + BROWSER + " and " + DRIVER + " (apt-get install chromium chromium-driver)";
            System.out.println(reason);
            return reason;
        });
        Map<String, Integer> http = new HashMap<>();
        try (LocalCluster cluster = new LocalCluster(root, 3, BankNode.class, BankNode.arguments(16, 2), List.of())) {
            for (String id : cluster.ids()) {
                http.put(id, FreePorts.pair());
                cluster.start(id, List.of("-Dhotpot.http=127.0.0.1:" + http.get(id)));
            }
            for (String id : cluster.ids()) {
                cluster.awaitReady(id, Duration.ofSeconds(90));
            }
            cluster.awaitAcknowledged(cluster.ids(), 200);
            String primary = cluster.primaryByLog();
            String watched = cluster.ids().stream().filter(id -> !id.equals(primary)).findFirst().orElseThrow();
            WebDriver browser = browser();
            try {
                browser.get("http://127.0.0.1:" + http.get(watched) + "/");
                WebDriverWait wait = waitFor(browser, 30);
                wait.until(page -> page.findElements(By.cssSelector("#members tbody tr")).size() == 3);
                for (String id : cluster.ids()) {
                    String row = text(browser, member(id));
                    assertTrue(row.contains("live"), row);
                    assertTrue(row.contains(id.equals(primary) ? "bank: primary" : "bank: backup"), row);
                }
                wait.until(page -> page.findElement(By.cssSelector("#commits polyline")).getAttribute("points")
                        .split(" ").length >= 3);
                screenshot(browser, "status-page-before.png");

                cluster.kill(primary);
                waitFor(browser, 60).until(page -> page.findElement(member(primary)).getText().contains("failed")
                        && !page.findElements(By.cssSelector("#failovers tbody tr")).isEmpty());
                String failover = text(browser, By.cssSelector("#failovers tbody tr"));
                assertTrue(failover.contains("bank") && failover.contains(primary), failover);
                String heaps = text(browser, By.cssSelector("#heaps tbody tr"));
                assertTrue(!heaps.contains(" " + primary + " "), "another node is primary: " + heaps);
                screenshot(browser, "status-page-after.png");
            } finally {
                browser.quit();
            }
        }
    }

    private static WebDriver browser() {
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,1100");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).build();
        return new ChromeDriver(service, options);
    }

    private static By member(String node) {
        return By.cssSelector("#members tbody tr[data-node='" + node + "']");
    }

    /** A wait that looks again when the page redrew an element between finding and reading it (once a second). */
    private static WebDriverWait waitFor(WebDriver browser, int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** The text of the element {@code by} finds, read again if the page redrew it meanwhile. */
    private static String text(WebDriver browser, By by) {
        return waitFor(browser, 10).until(page -> page.findElement(by).getText());
    }

    /** Keeps what the browser showed in {@code target/}, for a look after the run. */
    private static void screenshot(WebDriver browser, String name) throws Exception {
        Files.write(Path.of("target", name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
