package org.smimegw.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/**
 * The console in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) drives the
 * pages as an administrator would — log in, release a quarantined mail, import a certificate, run policy explain —
 * and a user downloads nothing they may not. Skipped, saying so, where Chromium is not installed. Writes the README's
 * screenshot to {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    ConsoleFixture gateway;
    ChromeDriver browser;
    WebDriverWait wait;
    Path dir;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium is not installed (apt-get install chromium chromium-driver): browser tests skipped");
        dir = tempDir;
        gateway = new ConsoleFixture(Files.createDirectories(dir.resolve("gateway")), "");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")), "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1400, 1000));
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private void login(String name, String password) {
        browser.manage().deleteAllCookies();
        open("/login");
        browser.findElement(By.id("login-name")).sendKeys(name);
        browser.findElement(By.id("login-password")).sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
    }

    /** Opens a page and waits until its script has wired it and loaded its data. */
    private void open(String path) {
        browser.get(gateway.uri().resolve(path).toString());
        ready();
    }

    private void ready() {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-ready]")));
    }

    private WebElement text(By by, String text) {
        try {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no '" + text + "' in " + by + " on " + browser.getCurrentUrl() + ":\n"
                    + browser.getPageSource(), e);
        }
        return browser.findElement(by);
    }

    @Test
    void anAdministratorReleasesAQuarantinedMailImportsACertificateAndExplainsThePolicy() throws Exception {
        String id = gateway.quarantineOne("contract to release");
        login(ConsoleFixture.ADMIN, ConsoleFixture.ADMIN_PASSWORD);
        text(By.id("mail-tiles"), "accepted");
        screenshot("console-overview.png");

        browser.findElement(By.linkText("Quarantine")).click();
        ready();
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText(id))).click();
        text(By.id("detail-headers"), "contract to release");
        assertThat(browser.findElement(By.id("detail-envelope")).getText()).contains("not signed");
        browser.findElement(By.id("action-reason")).sendKeys("sender confirmed by phone");
        browser.findElement(By.id("release")).click();
        text(By.id("quarantine-status"), "released " + id);
        var greenMail = gateway.app.embeddedMailbox().orElseThrow().greenMail();
        ConsoleFixture.await("delivery of the released mail", () -> greenMail.getReceivedMessages().length == 1);

        browser.findElement(By.linkText("Certificates")).click();
        ready();
        TestPki.Issued carol = gateway.pki.issue("carol@example.com");
        Path p12 = TestPki.writePkcs12(carol, dir.resolve("carol.p12"), "carol-pass".toCharArray());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("import-file")))
                .sendKeys(p12.toAbsolutePath().toString());
        browser.findElement(By.id("import-password")).sendKeys("carol-pass");
        browser.findElement(By.id("import-submit")).click();
        assertThat(text(By.id("import-summary"), "imported").getText())
                .contains("PKCS12").contains("imported 1 certificate(s) (1 with key)");
        text(By.id("certificate-list"), "carol@example.com");
        browser.findElement(By.id("verify-target")).sendKeys("carol@example.com");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("verify-purpose"))).selectByValue("sign");
        browser.findElement(By.id("verify-submit")).click();
        text(By.id("verify-result"), "VALID");

        browser.findElement(By.linkText("Policy")).click();
        ready();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("explain-from"))).sendKeys("partner@example.net");
        browser.findElement(By.id("explain-to")).sendKeys("legal@example.com");
        browser.findElement(By.id("explain-submit")).click();
        assertThat(text(By.id("explain-result"), "Direction: inbound").getText())
                .contains("RequireSignedSMIMEMessages");

        browser.findElement(By.linkText("Audit log")).click();
        assertThat(text(By.id("audit-list"), "quarantine release").getText())
                .contains("sender confirmed by phone").contains("certificate import");
    }

    @Test
    void anAdministratorFindsAFailedMailInTheQueueAndDeletesIt() throws Exception {
        SpoolEntry failed = gateway.store(SpoolArea.ERROR, "err@example.net", "dave@example.com",
                java.time.Instant.now().minus(Duration.ofHours(3)), java.util.Map.of(
                        org.smimegw.gateway.container.PipelineAttributes.LAST_ERROR, "directory down"), "stuck order");
        gateway.store(SpoolArea.ERROR, "other@example.net", "erin@example.com", java.time.Instant.now(),
                java.util.Map.of(), "not this one");
        login(ConsoleFixture.ADMIN, ConsoleFixture.ADMIN_PASSWORD);
        text(By.id("mail-tiles"), "accepted");
        browser.findElement(By.linkText("Queue")).click();
        ready();
        text(By.id("queue-list"), "erin@example.com");
        browser.findElement(By.id("search-address")).sendKeys("dave@");
        browser.findElement(By.id("search-older")).sendKeys("1h");
        browser.findElement(By.id("search")).click();
        wait.until(d -> !d.findElement(By.id("queue-list")).getText().contains("erin@example.com"));
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText(failed.id()))).click();
        text(By.id("queue-detail-headers"), "stuck order");
        assertThat(browser.findElement(By.id("queue-detail-envelope")).getText()).contains("directory down")
                .contains("error");
        assertThat(browser.getPageSource()).doesNotContain(ConsoleFixture.SECRET_BODY);
        screenshot("console-queue.png");
        browser.findElement(By.id("queue-reason")).sendKeys("sender asked to drop it");
        browser.findElement(By.id("queue-delete")).click();
        text(By.id("queue-status"), "deleted " + failed.id());
        assertThat(gateway.app.spool().find(SpoolArea.ERROR, failed.id())).isEmpty();
    }

    @Test
    void aRefusedPipelineEditIsShownAtItsLine() {
        login(ConsoleFixture.ADMIN, ConsoleFixture.ADMIN_PASSWORD);
        text(By.id("mail-tiles"), "accepted");
        open("/pipeline");
        WebElement editor = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pipeline-text")));
        text(By.id("processors"), "SMIMEVerify");
        String original = editor.getAttribute("value");
        browser.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
                editor, original.replace("class=\"RemoteDelivery\"", "class=\"NoSuchMailet\""));
        browser.findElement(By.id("pipeline-validate")).click();
        String error = text(By.id("pipeline-result"), "NoSuchMailet").getText();
        int line = Integer.parseInt(error.replaceAll("^[^:]*mailetcontainer\\.xml:(\\d+):.*$", "$1"));
        assertThat(browser.findElement(By.cssSelector(".gutter .bad-line")).getText().strip())
                .isEqualTo(String.valueOf(line));
    }

    @Test
    void aUserSeesTheirCertificateAndNoAdministratorPage() {
        login(ConsoleFixture.USER, ConsoleFixture.USER_PASSWORD);
        assertThat(text(By.id("me-signing"), ConsoleFixture.USER).getText()).contains("software key");
        assertThat(browser.findElement(By.id("pkcs12-form")).isDisplayed()).isTrue();
        browser.get(gateway.uri().resolve("/quarantine").toString());
        wait.until(ExpectedConditions.urlToBe(gateway.uri().resolve("/me").toString()));
    }

    private void screenshot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "screenshots");
        Files.createDirectories(target);
        Files.copy(shot.toPath(), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
