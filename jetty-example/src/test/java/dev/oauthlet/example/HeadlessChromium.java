package dev.oauthlet.example;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's Chromium, headless, through the system's ChromeDriver. Both paths are given
 * explicitly, so Selenium Manager never runs and nothing is downloaded. Where Chromium is missing
 * the tests are skipped, unless {@code -Doauthlet.browser-test=required} (CI) makes that a failure.
 */
final class HeadlessChromium implements AutoCloseable {

    static final String INSTALL_HINT = "Chromium is not installed; the browser test needs Debian's chromium and chromium-driver "
            + "(sudo apt-get install -y chromium chromium-driver), or -Doauthlet.chromium=PATH -Doauthlet.chromedriver=PATH";

    final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    private static File browser() {
        return new File(System.getProperty("oauthlet.chromium", "/usr/bin/chromium"));
    }

    private static File chromedriver() {
        return new File(System.getProperty("oauthlet.chromedriver", "/usr/bin/chromedriver"));
    }

    /**
     * {@code true} when Chromium and ChromeDriver are there. When they are not, says how to
     * install them on standard error, or throws if {@code -Doauthlet.browser-test=required}.
     */
    static boolean installedOrRequired() {
        boolean installed = browser().canExecute() && chromedriver().canExecute();
        if (!installed && "required".equals(System.getProperty("oauthlet.browser-test"))) {
            throw new IllegalStateException(INSTALL_HINT);
        }
        if (!installed) {
            System.err.println("Skipping the browser test. " + INSTALL_HINT);
        }
        return installed;
    }

    /** Starts Chromium; call only after {@link #installedOrRequired()} said yes. */
    static HeadlessChromium start() throws IOException {
        File browser = browser();
        File chromedriver = chromedriver();
        Path profile = Files.createTempDirectory("oauthlet-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1280,900", "--hide-scrollbars", "--force-color-profile=srgb",
                "--lang=en-US", "--disable-features=Translate,PasswordManagerOnboarding", "--password-store=basic");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort().build();
        return new HeadlessChromium(new ChromeDriver(service, options), profile);
    }

    /**
     * Saves what the browser shows, on a desktop (1280×860 CSS pixels) or as a phone (390×844 at
     * 2×) when {@code phone}; a fixed viewport keeps the committed screenshots comparable between runs.
     */
    void screenshot(Path file, boolean phone) throws IOException {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", phone
                ? Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true)
                : Map.of("width", 1280, "height", 860, "deviceScaleFactor", 1, "mobile", false));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
