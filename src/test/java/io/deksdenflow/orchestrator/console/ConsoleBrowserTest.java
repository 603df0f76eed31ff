package io.deksdenflow.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.OrchestratorApplication;
import io.deksdenflow.orchestrator.testsupport.SlowTest;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Drives the web console in Debian's headless Chromium against the real application.
 *
 * <ul>
 *   <li>{@link #consoleAssetsCarrySecurityHeaders()} and {@link #consolePageLoadsWithoutErrors()}
 *       need only the console.</li>
 *   <li>{@link #authPromptAndHostileProjectName()} needs the HTTP API (skipped with a notice
 *       while {@code GET /projects} is not routed); {@link #failedJobShowsInMonitors()} also the
 *       queue API and a worker.</li>
 *   <li>{@link #protocolLifecycleThroughTheConsole()} additionally needs the stand-in agent:
 *       {@link #standInAgentPath()} is the hook the lead completes.</li>
 * </ul>
 * Chromium and chromedriver come from Debian ({@code apt-get install chromium chromium-driver});
 * nothing is downloaded (no Selenium Manager). Without /usr/bin/chromium the browser tests are
 * skipped with a notice on stdout. Screenshots go to {@code target/screenshots/}.
 *
 * <p>The console re-renders parts of a page under the test (live events, a poll while a protocol is
 * active, a refresh after each action). So no {@link WebElement} is held across a render: every read
 * finds its element again, is retried when a render replaced it in between, and waits for what it
 * expects to read ({@link #awaitRead}, {@link #awaitText}, {@link #awaitAttr}, {@link #readNow});
 * clicks and typing find their element afresh too ({@link #click}, {@link #type}).
 */
@SlowTest
@SpringBootTest(classes = OrchestratorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String HOSTILE = "<img src=x onerror=alert(1)>";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    static final String API_TOKEN = "console-test-" + UUID.randomUUID();
    static final String WEBHOOK_TOKEN = "console-webhook-" + UUID.randomUUID();
    static final Path TMP;
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static {
        try {
            TMP = Files.createTempDirectory("console-browser-test");
            Files.createDirectories(TMP.resolve("routes"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * HOOK FOR THE LEAD: path of an executable stand-in agent that the engine runs instead of the
     * Codex CLI ({@code deksdenflow.codex-bin}). It must answer planning with a valid plan of at
     * least one step, and make step execution succeed so the step reaches {@code needs_qa}.
     * Returns null until completed; the protocol lifecycle test is skipped while it is null.
     */
    static String standInAgentPath() {
        Path dir = TMP.resolve("agent");
        Path script = io.deksdenflow.orchestrator.testsupport.StandInAgent.script(dir,
                "{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":2}");
        return io.deksdenflow.orchestrator.testsupport.StandInAgent.wrapper(dir, "codex",
                java.util.Map.of("STAND_IN_SCRIPT", script.toString())).toString();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        // the database has a directory of its own: repositories in TMP must not lie in it (git_url policy),
        // and the agent's sandbox hides that directory
        Path db = TMP.resolve("data").resolve("console.sqlite");
        try {
            Files.createDirectories(db.getParent());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        r.add("deksdenflow.api-token", () -> API_TOKEN);
        r.add("deksdenflow.git-local", () -> "true"); // local origins: with a token set they need saying so
        r.add("deksdenflow.webhook-token", () -> WEBHOOK_TOKEN);
        r.add("deksdenflow.api-host", () -> "127.0.0.1");
        r.add("deksdenflow.db-path", db::toString);
        r.add("deksdenflow.workspace", () -> TMP.resolve("workspace").toString());
        r.add("deksdenflow.routes-dir", () -> TMP.resolve("routes").toString());
        r.add("deksdenflow.engine", () -> "codex");
        r.add("deksdenflow.job-max-attempts", () -> "2");
        r.add("deksdenflow.job-backoff-seconds", () -> "1");
        r.add("deksdenflow.job-backoff-max-seconds", () -> "2");
        r.add("deksdenflow.engine-timeout", () -> "120");
        r.add("deksdenflow.token-budget-mode", () -> "pause"); // budgets are set per project (qaChecksAndABudgetPause…)
        String agent = standInAgentPath();
        if (agent != null) {
            r.add("deksdenflow.codex-bin", () -> agent);
        }
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.deksdenflow.orchestrator.events.EventRecorder ciEvents;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    WebDriver driver;
    final List<String> browserErrors = new ArrayList<>();

    String base() {
        return "http://127.0.0.1:" + port;
    }

    // ------------------------------------------------------------------ console only

    @Test
    @Order(1)
    void consoleAssetsCarrySecurityHeaders() throws Exception {
        for (String path : List.of("/console", "/console/", "/console/index.html", "/console/app.js",
                "/console/api.js", "/console/styles.css")) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode(), path);
            assertEquals(CSP, res.headers().firstValue("Content-Security-Policy").orElse(null), path);
            assertEquals("nosniff", res.headers().firstValue("X-Content-Type-Options").orElse(null), path);
            if (path.endsWith(".js")) {
                assertThat(res.headers().firstValue("Content-Type").orElse("")).contains("javascript");
            }
            if (!path.contains(".") || path.endsWith(".html")) {
                assertThat(res.body()).contains("<script type=\"module\" src=\"/console/app.js\"></script>");
            }
        }
        // no markup-injection sinks anywhere in the console's scripts
        for (String file : List.of("app.js", "api.js", "dom.js", "views/activity.js", "views/projects.js",
                "views/project.js", "views/protocol.js", "views/monitors.js")) {
            String src = http.send(HttpRequest.newBuilder(URI.create(base() + "/console/" + file)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(src).as(file).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(");
        }
    }

    @Test
    @Order(2)
    void consolePageLoadsWithoutErrors() throws Exception {
        requireBrowser();
        open("/console/");
        WebDriverWait wait = waiter(20);
        wait.until(d -> d.findElement(By.id("project-form")).isDisplayed());
        // the project list leaves its loading state: a table, an empty state, an error or the 401 prompt
        wait.until(d -> !d.findElements(By.cssSelector("#project-list [data-testid=project-table], "
                + "#project-list [data-testid=state-empty], #project-list [data-testid=projects-error]")).isEmpty());
        for (String id : List.of("api-base", "api-token", "settings-save", "nav-projects", "nav-monitors",
                "project-name", "project-git-url", "project-submit", "secret-add")) {
            awaitRead(20, id + " is displayed", d -> d.findElement(By.id(id)).isDisplayed(), Boolean.TRUE::equals);
        }
        // write-only secrets: rows can be added and removed
        click(By.id("secret-add"));
        click(By.id("secret-add"));
        awaitRead(10, "two secret rows", d -> d.findElements(By.cssSelector("[data-testid=secret-row]")).size(), n -> n == 2);
        click(By.cssSelector("[data-testid=secret-remove]"), 1);
        awaitRead(10, "one secret row", d -> d.findElements(By.cssSelector("[data-testid=secret-row]")).size(), n -> n == 1);
        assertEquals("password", readNow("the secret value's input type",
                d -> d.findElement(By.cssSelector("[data-testid=secret-value]")).getAttribute("type")));

        // keyboard: Tab reaches the header's Save button and its focus ring is visible
        js("document.getElementById('brand').focus();");
        String focused = null;
        for (int i = 0; i < 12 && !"settings-save".equals(focused); i++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            focused = (String) js("return document.activeElement ? document.activeElement.id : null;");
        }
        assertEquals("settings-save", focused, "Tab should reach the Save button");
        String outline = (String) js("return getComputedStyle(document.activeElement).outlineStyle");
        assertThat(outline).isNotEqualTo("none");

        // every console page renders without script errors or CSP violations
        for (String hash : List.of("#/monitors", "#/projects/999999", "#/projects/999999/protocols/999999", "#/nowhere")) {
            driver.get(base() + "/console/" + hash);
            waiter(20).until(d -> d.findElements(By.cssSelector("#main [data-testid=state-loading]")).isEmpty()
                    || !d.findElements(By.cssSelector("#main .state-error")).isEmpty());
        }
        screenshotBoth("01-console");
        assertNoBrowserErrors();
    }

    // ------------------------------------------------------------------ needs the API

    @Test
    @Order(3)
    void authPromptAndHostileProjectName() throws Exception {
        requireBrowser();
        requireApi();
        // 1. without a token the console asks for it instead of rendering an empty page
        open("/console/");
        WebDriverWait wait = waiter(20);
        wait.until(d -> d.findElement(By.id("auth-prompt")).isDisplayed());
        awaitTextContains("#auth-prompt-message", "401");
        screenshotBoth("02-auth-prompt");
        type("auth-api-token", API_TOKEN);
        click(By.id("auth-save"));
        wait.until(d -> !d.findElement(By.id("auth-prompt")).isDisplayed());
        wait.until(d -> !d.findElements(By.cssSelector("#project-list [data-testid=project-table], "
                + "#project-list [data-testid=state-empty]")).isEmpty());

        // 2. a hostile project name registered through the API renders as text, in the list and on its page
        JsonNode hostile = api("POST", "/projects", Map.of(
                "name", HOSTILE,
                "git_url", "file://" + Files.createTempDirectory("not-a-repository"),
                "base_branch", "main"), null, 201);
        long hostileId = hostile.path("id").asLong();
        click(By.id("projects-refresh"));
        awaitText("[data-testid=project-link-" + hostileId + "]", HOSTILE::equals, "is the hostile name, as text");
        assertNoInjectedMarkup();
        driver.get(base() + "/console/#/projects/" + hostileId);
        wait.until(d -> HOSTILE.equals(d.findElement(By.id("project-head")).findElements(By.id("project-title"))
                .stream().map(WebElement::getText).findFirst().orElse("")));
        assertNoInjectedMarkup();
        screenshotBoth("03-hostile-project");

        // 3. create-and-start from the form: the protocol is created pending, then started (never 409)
        wait.until(d -> d.findElement(By.id("protocol-form")).isDisplayed());
        type("protocol-description", "Hostile <b>desc</b> & more");
        wait.until(d -> "0001-hostile-b-desc-b-more".equals(d.findElement(By.id("protocol-name")).getAttribute("value")));
        click(By.id("protocol-create"));
        wait.until(d -> d.getCurrentUrl().contains("/protocols/"));
        String url = driver.getCurrentUrl();
        long protocolId = Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
        JsonNode started = api("GET", "/protocols/" + protocolId, null, hostileId, 200);
        assertThat(started.path("protocol_name").asText()).isEqualTo("0001-hostile-b-desc-b-more");
        assertThat(started.path("status").asText()).as("start must have been called").isNotEqualTo("pending");
        wait.until(d -> attr("[data-testid=protocol-status]", "data-status") != null
                && !"pending".equals(attr("[data-testid=protocol-status]", "data-status")));
        assertActionsMatchApi(protocolId);
        // a refused action shows the API's 409 message (force the disabled resume button)
        forceClickDisabled("protocol-action-resume");
        awaitTextContains("[data-testid=protocol-action-error]", "409");
        assertNoInjectedMarkup();
        screenshotBoth("03b-protocol-started");
        assertNoBrowserErrors();
    }

    @Test
    @Order(4)
    void failedJobShowsInMonitors() throws Exception {
        requireBrowser();
        requireApi();
        requireRouted("/queues/jobs?status=failed&limit=1", "the queue API");
        // a project whose clone must fail: its setup job ends in the failed list, with its error
        JsonNode broken = api("POST", "/projects", Map.of(
                "name", "broken-" + UUID.randomUUID().toString().substring(0, 8),
                "git_url", "file://" + Files.createTempDirectory("not-a-repository"),
                "base_branch", "main"), null, 201);
        long brokenId = broken.path("id").asLong();
        openWithToken("/console/#/monitors");
        awaitRead(90, "a failed job row of project " + brokenId + " with its text",
                d -> d.findElements(By.cssSelector("#failed-jobs tr[data-project-id]")).stream()
                        .filter(tr -> String.valueOf(brokenId).equals(tr.getAttribute("data-project-id")))
                        .map(WebElement::getText).findFirst().orElse(null),
                t -> t != null && !t.isBlank());
        WebDriverWait wait = waiter(20);
        wait.until(d -> !d.findElements(By.cssSelector("#queue-counts tr[data-testid^=queue-row-]")).isEmpty());
        wait.until(d -> !d.findElements(By.cssSelector("#routes-table [data-testid=routes], #routes-table [data-testid=state-empty]")).isEmpty());
        wait.until(d -> !d.findElements(By.cssSelector("[data-testid=usage-tokens]")).isEmpty());
        screenshotBoth("04-monitors-failed-job");
        // the project page shows the failed setup and its error
        driver.get(base() + "/console/#/projects/" + brokenId);
        wait.until(d -> "failed".equals(attr("[data-testid=project-status]", "data-status")));
        assertNoBrowserErrors();
    }

    @Test
    @Order(5)
    void protocolLifecycleThroughTheConsole() throws Exception {
        requireBrowser();
        requireApi();
        Assumptions.assumeTrue(standInAgentPath() != null,
                () -> notice("standInAgentPath() returns null: the lead must provide the stand-in agent"));
        Path bare = createBareRepo();

        // token through the header field
        open("/console/");
        type("api-token", API_TOKEN);
        click(By.id("settings-save"));
        WebDriverWait wait = waiter(30);

        // register a project through the form, with one write-only secret
        String name = "console-demo-" + UUID.randomUUID().toString().substring(0, 8);
        String secretValue = "s3cret-" + UUID.randomUUID();
        type("project-name", name);
        type("project-git-url", "file://" + bare);
        select("project-ci", "github");
        select("project-engine", "codex");
        type("project-model-planning", "stand-in-planning");
        type("project-model-exec", "stand-in-exec");
        type("project-model-qa", "stand-in-qa");
        click(By.id("secret-add"));
        click(By.id("secret-add"));
        awaitRead(10, "two secret rows", d -> d.findElements(By.cssSelector("[data-testid=secret-row]")).size(), n -> n == 2);
        type(By.cssSelector("[data-testid=secret-key]"), 0, "GITHUB_TOKEN");
        type(By.cssSelector("[data-testid=secret-value]"), 0, secretValue);
        click(By.cssSelector("[data-testid=secret-remove]"), 1);
        awaitRead(10, "one secret row", d -> d.findElements(By.cssSelector("[data-testid=secret-row]")).size(), n -> n == 1);
        click(By.id("project-submit"));
        wait.until(d -> !d.findElements(By.cssSelector("[data-testid=project-form-ok]")).isEmpty());
        long projectId = findProjectId(name);
        JsonNode project = api("GET", "/projects/" + projectId, null, null, 200);
        assertThat(project.path("secret_keys").toString()).contains("GITHUB_TOKEN");
        assertThat(project.toString()).doesNotContain(secretValue);
        waiter(90).until(d -> "ready".equals(attr("[data-testid=project-status-" + projectId + "]", "data-status")));
        assertThat(driver.getPageSource()).doesNotContain(secretValue);

        // open it; the create form suggests the next NNNN-slug; create AND start in one go
        click(By.cssSelector("[data-testid=project-link-" + projectId + "]"));
        wait.until(d -> d.findElement(By.id("protocol-form")).isDisplayed());
        type("protocol-description", "Add login page");
        wait.until(d -> "0001-add-login-page".equals(d.findElement(By.id("protocol-name")).getAttribute("value")));
        assertThat(this.<Boolean>readNow("auto-advance checkbox", d -> d.findElement(By.id("protocol-auto-advance")).isSelected())).isFalse();
        click(By.id("protocol-create"));
        wait.until(d -> d.getCurrentUrl().contains("/protocols/"));
        String url = driver.getCurrentUrl();
        long protocolId = Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
        markPage();

        // planning with the stand-in agent: the page follows to "planned" without a reload
        waiter(180).until(d -> "planned".equals(attr("[data-testid=protocol-status]", "data-status")));
        assertPageNotReloaded();
        wait.until(d -> !d.findElements(By.cssSelector("#step-list li.step")).isEmpty());
        assertActionsMatchApi(protocolId);
        screenshotBoth("05-protocol-planned");

        // live activity: an event caused outside the page arrives over the stream
        wait.until(d -> "live".equals(attr("#activity-mode", "data-mode")));
        long lastEventId = maxEventId("#activity-feed");
        api("POST", "/protocols/" + protocolId + "/actions/pause", Map.of(), null, 202);
        wait.until(d -> maxEventId("#activity-feed") > lastEventId);
        wait.until(d -> "paused".equals(attr("[data-testid=protocol-status]", "data-status")));
        assertPageNotReloaded();
        assertActionsMatchApi(protocolId);

        // resume through its button
        click(By.id("protocol-action-resume"));
        wait.until(d -> "planned".equals(attr("[data-testid=protocol-status]", "data-status")));
        assertActionsMatchApi(protocolId);

        // a 409 is shown with the API's message (force a disabled button to fire)
        forceClickDisabled("protocol-action-resume");
        awaitTextContains("[data-testid=protocol-action-error]", "409");

        // run the first step, then approve it
        String stepId = awaitAttr("#step-list li.step[data-step-index='0']", "id", Objects::nonNull)
                .substring("step-".length());
        JsonNode stepJson = api("GET", "/steps/" + stepId, null, null, 200);
        assertThat(stepJson.path("allowed_actions").toString()).contains("run");
        wait.until(d -> d.findElement(By.id("step-" + stepId + "-run")).isEnabled());
        assertThat(this.<Boolean>readNow("approve button", d -> d.findElement(By.id("step-" + stepId + "-approve")).isEnabled())).isFalse();
        click(By.id("step-" + stepId + "-run"));
        waiter(180).until(d -> "needs_qa".equals(attr("#step-" + stepId, "data-status")));
        wait.until(d -> d.findElement(By.id("step-" + stepId + "-approve")).isEnabled());
        click(By.id("step-" + stepId + "-approve"));
        wait.until(d -> "completed".equals(attr("#step-" + stepId, "data-status")));
        assertPageNotReloaded();

        // run logs of the step
        click(By.id("step-" + stepId + "-logs"));
        click(By.cssSelector("#step-panel-" + stepId + " [data-testid^=run-log-button-]"));
        wait.until(d -> !d.findElements(By.cssSelector("#step-panel-" + stepId + " pre.log")).isEmpty());
        screenshotBoth("06-step-approved");

        // a webhook with a hostile branch name: whatever event it records renders as text
        long beforeWebhook = maxApiEventId(projectId);
        String payload = json.writeValueAsString(Map.of(
                "action", "completed",
                "workflow_run", Map.of("head_branch", HOSTILE, "status", "completed", "conclusion", "failure",
                        "html_url", "https://ci.example.invalid/run/1", "name", HOSTILE),
                "repository", Map.of("full_name", "example/" + name)));
        HttpResponse<String> hook = http.send(HttpRequest.newBuilder(
                        URI.create(base() + "/webhooks/github?protocol_run_id=" + protocolId))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "workflow_run")
                .header("X-Hub-Signature-256", "sha256=" + hmacSha256(WEBHOOK_TOKEN, payload))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
        // accepted, or refused as a transition the protocol's state does not allow; never 401/5xx
        assertThat(hook.statusCode()).as("webhook: " + hook.body()).isIn(200, 201, 202, 204, 409);
        JsonNode recorded;
        try {
            recorded = Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                    .until(() -> hostileEventAfter(projectId, beforeWebhook), Objects::nonNull);
        } catch (ConditionTimeoutException none) {
            recorded = null;
        }
        if (recorded == null) {
            notice("the webhook recorded no event carrying the branch name: branch rendering not exercised");
        } else {
            String item = "#activity-feed [data-event-id='" + recorded.path("id").asLong() + "']";
            if (recorded.path("message").asText().contains(HOSTILE)) {
                awaitTextContains(item, HOSTILE);
            } else {
                awaitText(item, t -> true, "is listed");
            }
        }
        assertNoInjectedMarkup();
        screenshotBoth("07-hostile-webhook");

        // monitors: token and QA summary includes this protocol
        click(By.id("nav-monitors"));
        wait.until(d -> !d.findElements(By.cssSelector("[data-testid=usage-protocols]")).isEmpty());
        screenshotBoth("08-monitors");
        assertNoBrowserErrors();
    }

    @Test
    @Order(7)
    void triagedCiFailuresOnTheStep() throws Exception {
        requireBrowser();
        requireApi();
        // a repository outside the service's own directories (the project is never set up: no clone needed)
        String origin = "file://" + Files.createTempDirectory("ci-console-origin");
        long projectId = api("POST", "/projects", Map.of("name", "ci-" + UUID.randomUUID().toString().substring(0, 8),
                "git_url", origin), null, 201).path("id").asLong();
        long protocolId = api("POST", "/projects/" + projectId + "/protocols", Map.of("protocol_name", "0001-ci"),
                null, 201).path("id").asLong();
        long stepId = api("POST", "/protocols/" + protocolId + "/steps", Map.of("step_index", 0,
                "step_name", "00-setup.md", "step_type", "work"), null, 201).path("id").asLong();
        // what a ci_triage_job records: job, failed step, link and excerpt (rendered as text only)
        ciEvents.record(projectId, protocolId, stepId, "ci_failed", "CI github failed on abc: unit-tests (Run tests)",
                Map.of("failures", List.of(Map.of("job", "unit-tests", "step", "Run tests",
                        "url", "https://github.com/acme/demo/actions/runs/1/job/2",
                        "excerpt", "FAIL src/login.test.js\n" + HOSTILE + "\nExpected: 401, Received: 200"))));

        openWithToken("/console/#/projects/" + projectId + "/protocols/" + protocolId);
        WebDriverWait wait = waiter(30);
        wait.until(d -> !d.findElements(By.id("step-" + stepId + "-ci")).isEmpty());
        click(By.id("step-" + stepId + "-ci"));
        awaitTextContains("[data-testid=ci-failure-excerpt-" + stepId + "-0]",
                "FAIL src/login.test.js", HOSTILE, "Expected: 401, Received: 200");
        awaitTextContains("[data-testid=ci-failure-" + stepId + "-0]", "unit-tests", "step: Run tests");
        awaitAttr("[data-testid=ci-failure-link-" + stepId + "-0]", "href",
                "https://github.com/acme/demo/actions/runs/1/job/2"::equals);
        assertThat(driver.findElements(By.cssSelector("#step-panel-" + stepId + " img"))).isEmpty();
        screenshotBoth("07-step-ci-failures");
        assertNoBrowserErrors();
    }

    @Test
    @Order(6)
    void projectTokensInTheConsole() throws Exception {
        requireBrowser();
        requireApi();
        String nameA = "tenant-a-" + UUID.randomUUID().toString().substring(0, 8);
        String nameB = "tenant-b-" + UUID.randomUUID().toString().substring(0, 8);
        String dir = "file://" + Files.createDirectories(TMP.resolve("tenant-repo"));
        long a = api("POST", "/projects", Map.of("name", nameA, "git_url", dir, "project_token", "console-token-a"), null, 201)
                .path("id").asLong();
        long b = api("POST", "/projects", Map.of("name", nameB, "git_url", dir, "project_token", "console-token-b"), null, 201)
                .path("id").asLong();

        // no project token saved: both are listed by id only, locked
        openWithToken("/console/");
        WebDriverWait wait = waiter(20);
        wait.until(d -> "locked".equals(attr("[data-testid=project-status-" + a + "]", "data-status")));
        awaitAttr("[data-testid=project-status-" + b + "]", "data-status", "locked"::equals);
        assertThat(this.<String>readNow("the project list", d -> d.findElement(By.id("project-list")).getText())).doesNotContain(nameA, nameB);

        // both tokens saved (as registering or the token prompt does): the listing sends both, comma-separated
        js("window.localStorage.setItem('deksdenflow.console.projectTokens', arguments[0]);",
                json.writeValueAsString(Map.of(String.valueOf(a), "console-token-a", String.valueOf(b), "console-token-b")));
        driver.navigate().refresh();
        wait.until(d -> !d.findElements(By.cssSelector("[data-testid=project-link-" + a + "]")).isEmpty()
                && nameA.equals(d.findElement(By.cssSelector("[data-testid=project-link-" + a + "]")).getText()));
        awaitText("[data-testid=project-link-" + b + "]", nameB::equals, "is project B's name");
        awaitAttr("[data-testid=project-status-" + a + "]", "data-status", v -> v != null && !"locked".equals(v));

        // one project's page sends that project's token
        driver.get(base() + "/console/#/projects/" + a);
        wait.until(d -> d.findElement(By.id("main")).getText().contains(nameA));
        screenshotBoth("09-project-tokens");
        assertNoBrowserErrors();
    }

    // ------------------------------------------------------------------ helpers

    @Test
    @Order(7)
    void qaChecksAndABudgetPauseInTheConsole() throws Exception {
        requireBrowser();
        requireApi();
        Path bare = createBareRepo();
        String name = "console-checks-" + UUID.randomUUID().toString().substring(0, 8);
        // every stand-in call uses 1,500 tokens: planning fits the 1,600-token budget, execution does not
        long projectId = api("POST", "/projects", Map.of("name", name, "git_url", "file://" + bare,
                "checks", List.of(Map.of("name", "unit-tests", "command", List.of("sh", "-c", "echo '" + HOSTILE + "'; exit 2"))),
                "budget", Map.of("max_tokens_per_protocol", 1600)), null, 201).path("id").asLong();
        waiter(90).until(d -> {
            try {
                return "ready".equals(api("GET", "/projects/" + projectId, null, null, 200).path("status").asText());
            } catch (Exception e) {
                return false;
            }
        });
        long protocolId = api("POST", "/projects/" + projectId + "/protocols",
                Map.of("protocol_name", "0001-checked", "auto_advance", true), null, 201).path("id").asLong();
        api("POST", "/protocols/" + protocolId + "/actions/start", Map.of(), null, 202);

        openWithToken("/console/#/projects/" + projectId);
        WebDriverWait wait = waiter(30);
        wait.until(d -> text("[data-testid=project-checks]").contains("unit-tests: sh -c"));
        awaitTextContains("[data-testid=project-budget]", "tokens/protocol");
        awaitTextContains("[data-testid=project-spend]", "this month");

        // paused before the call that would pass the budget; raised and resumed through the form
        driver.get(base() + "/console/#/projects/" + projectId + "/protocols/" + protocolId);
        waiter(180).until(d -> "paused".equals(attr("[data-testid=protocol-status]", "data-status")));
        wait.until(d -> text("[data-testid=protocol-budget-exceeded]").contains("max_tokens_per_protocol"));
        assertActionsMatchApi(protocolId);
        type("raise-max-tokens", "100000");
        click(By.id("protocol-action-raise_budget"));
        String stepId = awaitAttr("#step-list li.step[data-step-index='0']", "id", Objects::nonNull)
                .substring("step-".length());
        waiter(180).until(d -> "needs_qa".equals(attr("#step-" + stepId, "data-status")));
        assertThat(api("GET", "/protocols/" + protocolId, null, null, 200).path("max_tokens").asLong()).isEqualTo(100000);
        wait.until(d -> text("[data-testid=protocol-raised-budget]").contains("tokens"));

        // QA: the agent says PASS, the failing check decides; its output is shown as text
        click(By.id("step-" + stepId + "-run_qa"));
        waiter(180).until(d -> "failed".equals(attr("#step-" + stepId, "data-status")));
        wait.until(d -> "checks".equals(text("[data-testid=step-verdict-source-" + stepId + "]")));
        String check = "[data-testid=step-check-" + stepId + "-0]";
        awaitAttr(check, "data-passed", "false"::equals);
        awaitTextContains(check, "unit-tests", "exit 2");
        // the output is behind a disclosure: open it (again, if a render closed it) and read it
        awaitRead(30, "the check's output, shown as text", d -> {
            WebElement details = d.findElement(By.cssSelector(check + " details"));
            if (details.getAttribute("open") == null) {
                details.findElement(By.tagName("summary")).click();
            }
            return d.findElement(By.cssSelector("[data-testid=step-check-output-" + stepId + "-0]")).getText();
        }, t -> t.contains(HOSTILE));
        assertNoInjectedMarkup();
        screenshotBoth("09-qa-checks-and-budget");
        assertNoBrowserErrors();
    }

    @Test
    @Order(8)
    void planApprovalAndAnAgentsQuestionInTheConsole() throws Exception {
        requireBrowser();
        requireApi();
        Path agentDir = TMP.resolve("agent");
        io.deksdenflow.orchestrator.testsupport.StandInAgent.script(agentDir,
                "{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-question\",\"qa\":\"qa-pass\"},"
                        + "\"steps\":1,\"question\":\"" + HOSTILE + " which colour?\"}");
        Path bare = createBareRepo();
        String name = "console-approval-" + UUID.randomUUID().toString().substring(0, 8);
        long projectId = api("POST", "/projects", Map.of("name", name, "git_url", "file://" + bare, "plan_approval", "required"),
                null, 201).path("id").asLong();
        waiter(90).until(d -> {
            try {
                return "ready".equals(api("GET", "/projects/" + projectId, null, null, 200).path("status").asText());
            } catch (Exception e) {
                return false;
            }
        });
        long protocolId = api("POST", "/projects/" + projectId + "/protocols",
                Map.of("protocol_name", "0001-approved", "auto_advance", true), null, 201).path("id").asLong();
        api("POST", "/protocols/" + protocolId + "/actions/start", Map.of(), null, 202);

        // the plan waits: shown with its steps and plan.md; nothing runs
        openWithToken("/console/#/projects/" + projectId + "/protocols/" + protocolId);
        WebDriverWait wait = waiter(30);
        waiter(180).until(d -> !d.findElements(By.id("protocol-action-approve_plan")).isEmpty());
        awaitTextContains("[data-testid=plan-md]", "## Steps");
        awaitTextContains("[data-testid=plan-steps]", "00-setup.md");
        awaitTextContains("[data-testid=plan-ready-summary]", "1 steps");
        assertThat(attr("[data-testid=protocol-status]", "data-status")).isEqualTo("planned");
        assertActionsMatchApi(protocolId);
        screenshotBoth("10-plan-awaiting-approval");

        // reject with feedback: planned again (the second plan read the feedback), then approve
        type("reject-feedback", "Smaller steps, please");
        click(By.id("protocol-action-reject_plan"));
        waiter(180).until(d -> {
            try {
                return api("GET", "/protocols/" + protocolId, null, null, 200).path("replans").asInt() == 1
                        && api("GET", "/protocols/" + protocolId, null, null, 200).path("awaiting_plan_approval").asBoolean();
            } catch (Exception e) {
                return false;
            }
        });
        awaitTextContains("[data-testid=protocol-plan-approval-setting]", "rejected 1");
        waiter(60).until(d -> d.findElement(By.id("protocol-action-approve_plan")).isEnabled());
        click(By.id("protocol-action-approve_plan"));

        // the step's agent asks: the question shows on the step, as text; answered through the form
        // the step of the approved (second) plan: the rejected plan's step is gone
        String stepId = api("GET", "/protocols/" + protocolId + "/steps", null, null, 200).path("items").get(0).path("id").asText();
        waiter(180).until(d -> "blocked".equals(attr("#step-" + stepId, "data-status")));
        awaitTextContains("[data-testid=step-question-" + stepId + "-0]", HOSTILE + " which colour?", "waiting for a person");
        awaitTextContains("[data-testid=step-blocked-reason-" + stepId + "]", "needs_input");
        assertNoInjectedMarkup();
        screenshotBoth("11-agent-question");
        io.deksdenflow.orchestrator.testsupport.StandInAgent.script(agentDir,
                "{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-nocommit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        type("step-" + stepId + "-answer-text", "Blue");
        click(By.id("step-" + stepId + "-answer"));
        waiter(180).until(d -> "needs_qa".equals(attr("#step-" + stepId, "data-status")));
        awaitTextContains("[data-testid=step-question-" + stepId + "-0]", "Blue");
        assertThat(api("GET", "/steps/" + stepId, null, null, 200).path("questions").get(0).path("answer").asText()).isEqualTo("Blue");
        io.deksdenflow.orchestrator.testsupport.StandInAgent.script(agentDir,
                "{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":2}");
        assertNoBrowserErrors();
    }

    @Test
    @Order(9)
    void anIssuesProtocolShowsItsIssueWhatItWaitsForAndItsReviewFixes() throws Exception {
        requireBrowser();
        requireApi();
        Path bare = createBareRepo();
        String name = "console-intake-" + UUID.randomUUID().toString().substring(0, 8);
        long projectId = api("POST", "/projects", Map.of("name", name, "git_url", "file://" + bare, "ci_provider", "github",
                "intake", Map.of("label", "deksdenflow", "auto_start", true)), null, 201).path("id").asLong();
        // a file:// project is matched on the last two path segments of the issue's repository
        String repo = TMP.getFileName() + "/" + bare.getFileName().toString().replaceAll("\\.git$", "");
        String issueUrl = "https://github.example/" + repo + "/issues/7";
        String payload = json.writeValueAsString(Map.of("action", "labeled",
                "issue", Map.of("number", 7, "title", "Console intake", "body", "Blocked by #5. " + HOSTILE,
                        "html_url", issueUrl, "labels", List.of(Map.of("name", "deksdenflow"))),
                "label", Map.of("name", "deksdenflow"), "repository", Map.of("full_name", repo)));
        HttpResponse<String> hook = http.send(HttpRequest.newBuilder(URI.create(base() + "/webhooks/github"))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "issues")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + hmacSha256(WEBHOOK_TOKEN, payload))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(202);
        long protocolId = json.readTree(hook.body()).path("results").get(0).path("protocol_run_id").asLong();
        // no forge token: #5 cannot be looked up, so it counts as open and the protocol waits
        assertThat(api("GET", "/protocols/" + protocolId, null, null, 200).path("waiting_for").toString()).isEqualTo("[5]");
        ciEvents.record(projectId, protocolId, null, "review_fix_pushed", "review fix turn 1 pushed 0123456789ab: rename the flag "
                + HOSTILE, Map.of("attempt", 1));

        openWithToken("/console/#/projects/" + projectId + "/protocols/" + protocolId);
        awaitAttr("[data-testid=protocol-issue]", "href", issueUrl::equals);
        awaitTextContains("[data-testid=protocol-issue]", "#7");
        awaitTextContains("[data-testid=protocol-waiting-for]", "#5", "before it starts");
        awaitTextContains("[data-testid=review-fixes]", "review fix turn 1 pushed", HOSTILE);
        assertNoInjectedMarkup();
        screenshotBoth("12-issue-intake");

        // the project: its intake shown and changed through PATCH, the protocol's issue in the list
        driver.get(base() + "/console/#/projects/" + projectId);
        awaitTextContains("[data-testid=project-intake]", "deksdenflow", "started at once");
        awaitAttr("[data-testid=protocol-issue-" + protocolId + "]", "href", issueUrl::equals);
        WebElement label = driver.findElement(By.id("project-intake-label-edit"));
        label.clear();
        label.sendKeys("agents");
        click(By.id("project-intake-auto-start-edit"));
        click(By.id("project-intake-save"));
        awaitTextContains("[data-testid=project-intake]", "agents", "started by a person");
        JsonNode intake = api("GET", "/projects/" + projectId, null, null, 200).path("intake");
        assertThat(intake.path("label").asText()).isEqualTo("agents");
        assertThat(intake.path("auto_start").asBoolean()).isFalse();
        assertThat(eventTypesOfProject(projectId)).contains("project_updated");
        driver.findElement(By.id("project-intake-label-edit")).clear();
        click(By.id("project-intake-save"));
        awaitTextContains("[data-testid=project-intake]", "off");
        assertThat(api("GET", "/projects/" + projectId, null, null, 200).path("intake").isNull()).isTrue();
        assertNoBrowserErrors();
    }

    List<String> eventTypesOfProject(long projectId) throws Exception {
        List<String> out = new ArrayList<>();
        api("GET", "/events?project_id=" + projectId + "&limit=200", null, null, 200).path("items")
                .forEach(e -> out.add(e.path("event_type").asText()));
        return out;
    }

    void requireBrowser() {
        boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if ("true".equals(System.getenv("DEKSDENFLOW_TEST_REQUIRE_BROWSER"))) {
            org.junit.jupiter.api.Assertions.assertTrue(present, CHROMIUM + " and " + CHROMEDRIVER
                    + " are required here (DEKSDENFLOW_TEST_REQUIRE_BROWSER=true)");
        }
        Assumptions.assumeTrue(present, () -> notice(CHROMIUM + " or " + CHROMEDRIVER
                + " is missing (apt-get install chromium chromium-driver): browser test skipped"));
        if (driver == null) {
            driver = startChromium();
        }
    }

    void requireApi() throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base() + "/projects"))
                .header("Authorization", "Bearer " + API_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        Assumptions.assumeTrue(res.statusCode() != 404,
                () -> notice("GET /projects is not routed yet (HTTP API not merged): API part of the console test skipped"));
    }

    void requireRouted(String path, String what) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + API_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        Assumptions.assumeTrue(res.statusCode() != 404,
                () -> notice("GET " + path + " is not routed yet (" + what + " not merged): test skipped"));
    }

    static String notice(String message) {
        System.out.println("NOTICE [ConsoleBrowserTest]: " + message);
        return message;
    }

    WebDriver startChromium() {
        // never let Selenium Manager look for (or download) drivers or browsers
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        System.setProperty("SE_MANAGER_OFFLINE", "true");
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        try {
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,900",
                    "--user-data-dir=" + Files.createTempDirectory(TMP, "chromium-profile"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver d = new ChromeDriver(service, options);
        d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return d;
    }

    @AfterAll
    void quit() {
        if (driver != null) {
            try {
                driver.quit();
            } catch (RuntimeException ignored) {
                // browser already gone
            }
        }
    }

    /** Opens a console URL with fresh storage (no saved tokens). */
    void open(String path) {
        driver.manage().window().setSize(new Dimension(1280, 900));
        driver.get(base() + path);
        js("window.localStorage.clear();");
        driver.navigate().refresh();
    }

    /** Opens a console URL with only the API token saved. */
    void openWithToken(String path) {
        open("/console/");
        js("window.localStorage.setItem('deksdenflow.console.apiToken', arguments[0]);", API_TOKEN);
        driver.get(base() + path);
        driver.navigate().refresh();
    }

    WebDriverWait waiter(int seconds) {
        WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(seconds));
        w.pollingEvery(Duration.ofMillis(250));
        w.ignoring(org.openqa.selenium.NoSuchElementException.class);
        w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return w;
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** For use inside a wait (which retries it): the text of the element now. */
    String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /** An attribute of the first match, or null when nothing matches; re-found when a render replaced it. */
    String attr(String css, String name) {
        for (int i = 0; ; i++) {
            try {
                List<WebElement> found = driver.findElements(By.cssSelector(css));
                return found.isEmpty() ? null : found.get(0).getAttribute(name);
            } catch (StaleElementReferenceException replaced) {
                if (i >= 20) throw replaced;
            }
        }
    }

    /**
     * Reads afresh on every poll (finding its elements again, retried when a render replaced them or
     * they are not there yet) until {@code ok} accepts the value; fails naming {@code what} and the
     * last value read.
     */
    <T> T awaitRead(int seconds, String what, Function<WebDriver, T> read, Predicate<? super T> ok) {
        AtomicReference<Object> last = new AtomicReference<>("(nothing: missing, or replaced by a render on every try)");
        try {
            return waiter(seconds).until(d -> {
                T value = read.apply(d);
                last.set(value);
                return ok.test(value) ? Optional.ofNullable(value) : null;
            }).orElse(null);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("expected " + what + " within " + seconds + " s; last read: " + last.get(), e);
        }
    }

    /** One read that succeeds, for asserting what the page shows now: retried only while missing or replaced. */
    <T> T readNow(String what, Function<WebDriver, T> read) {
        return awaitRead(30, what, read, v -> true);
    }

    /** Waits until the text of {@code css} satisfies {@code ok}; returns it. */
    String awaitText(String css, Predicate<String> ok, String what) {
        return awaitRead(30, css + " " + what, d -> d.findElement(By.cssSelector(css)).getText(), ok);
    }

    /** Waits until the text of {@code css} contains every part; returns it. */
    String awaitTextContains(String css, String... parts) {
        return awaitText(css, t -> Arrays.stream(parts).allMatch(t::contains), "contains " + Arrays.toString(parts));
    }

    /** Waits until an attribute of {@code css} satisfies {@code ok}; returns it. */
    String awaitAttr(String css, String name, Predicate<String> ok) {
        return awaitRead(30, css + " [" + name + "]", d -> d.findElement(By.cssSelector(css)).getAttribute(name), ok);
    }

    /** Clicks an enabled element, retrying when a live refresh replaced it in between. */
    void click(By by) {
        click(by, 0);
    }

    /** Clicks the index-th enabled match, found afresh on each try. */
    void click(By by, int index) {
        awaitRead(30, "a clickable " + by + " #" + index, d -> {
            List<WebElement> found = d.findElements(by);
            if (found.size() <= index) return false;
            WebElement e = found.get(index);
            if (!e.isDisplayed() || !e.isEnabled()) return false;
            e.click();
            return true;
        }, Boolean.TRUE::equals);
    }

    /**
     * Fires an action button that the page shows disabled (as a stale page would): checked and
     * clicked in one script, so no render can come between them.
     */
    void forceClickDisabled(String id) {
        awaitRead(30, id + " disabled, then forced", d -> js("const b = document.getElementById(arguments[0]);"
                + " if (!b || !b.disabled) return false; b.disabled = false; b.click(); return true;", id),
                Boolean.TRUE::equals);
    }

    void type(String id, String value) {
        type(By.id(id), 0, value);
    }

    /** Types into the index-th match, found afresh, until the field holds exactly {@code value}. */
    void type(By by, int index, String value) {
        awaitRead(30, by + " #" + index + " holding the typed value", d -> {
            List<WebElement> found = d.findElements(by);
            if (found.size() <= index) return null;
            WebElement e = found.get(index);
            e.clear();
            e.sendKeys(value);
            return e.getAttribute("value");
        }, value::equals);
    }

    void select(String id, String value) {
        awaitRead(30, id + " set to " + value, d -> {
            new org.openqa.selenium.support.ui.Select(d.findElement(By.id(id))).selectByValue(value);
            return d.findElement(By.id(id)).getAttribute("value");
        }, value::equals);
    }

    /** Returns once the browser has rendered a frame (after a resize, before measuring or a screenshot). */
    void awaitFrame() {
        ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
    }

    /** The newest event after {@code afterId} that carries the hostile branch name, or null. */
    JsonNode hostileEventAfter(long projectId, long afterId) throws Exception {
        for (JsonNode ev : api("GET", "/events?project_id=" + projectId + "&limit=20", null, projectId, 200).path("items")) {
            if (ev.path("id").asLong() > afterId && ev.toString().contains("onerror=alert(1)")) return ev;
        }
        return null;
    }

    long maxEventId(String listCss) {
        Object v = js("let m = 0; document.querySelectorAll(arguments[0] + ' [data-event-id]').forEach("
                + "e => { m = Math.max(m, Number(e.getAttribute('data-event-id'))); }); return m;", listCss);
        return ((Number) v).longValue();
    }

    long maxApiEventId(long projectId) throws Exception {
        long max = 0;
        for (JsonNode ev : api("GET", "/events?project_id=" + projectId + "&limit=1", null, projectId, 200).path("items")) {
            max = Math.max(max, ev.path("id").asLong());
        }
        return max;
    }

    void markPage() {
        js("window.__consoleTestMarker = 'not-reloaded';");
    }

    void assertPageNotReloaded() {
        assertEquals("not-reloaded", js("return window.__consoleTestMarker || null;"), "the page was reloaded");
    }

    /** Each protocol action button is enabled exactly when the API lists it in allowed_actions. */
    void assertActionsMatchApi(long protocolId) throws Exception {
        waiter(15).until(d -> {
            try {
                JsonNode p = api("GET", "/protocols/" + protocolId, null, null, 200);
                List<String> allowed = new ArrayList<>();
                p.path("allowed_actions").forEach(a -> allowed.add(a.asText()));
                for (String a : List.of("start", "pause", "resume", "cancel", "run_next_step", "retry_latest", "open_pr")) {
                    WebElement b = d.findElement(By.id("protocol-action-" + a));
                    if (!"button".equals(b.getTagName()) || b.isEnabled() != allowed.contains(a)) return false;
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** No element was created from hostile data and no alert fired. */
    void assertNoInjectedMarkup() {
        try {
            String alert = driver.switchTo().alert().getText();
            fail("an alert fired: " + alert);
        } catch (NoAlertPresentException expected) {
            // good
        }
        assertEquals(0L, ((Number) js("return document.querySelectorAll('img, iframe, object, embed, script:not([src])').length")).longValue(),
                "hostile data created elements");
        assertThat(driver.getPageSource()).doesNotContain("<img src=\"x\"", "<img src=x");
    }

    void assertNoBrowserErrors() {
        try {
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                String m = e.getMessage();
                if (e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()
                        // expected: the error states the console renders for 401/404/409 answers
                        && !m.contains("Failed to load resource")) {
                    browserErrors.add(m);
                }
                if (m.contains("Content Security Policy") || m.contains("Refused to")) {
                    browserErrors.add(m);
                }
            }
        } catch (RuntimeException unsupported) {
            System.out.println("NOTICE [ConsoleBrowserTest]: browser log not available: " + unsupported);
        }
        assertThat(browserErrors).as("browser console errors / CSP violations").isEmpty();
    }

    void screenshotBoth(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        for (int width : new int[] {1280, 390}) {
            driver.manage().window().setSize(new Dimension(width, width == 390 ? 844 : 900));
            awaitFrame();
            // no horizontal page scroll at either width (tables scroll inside their wrapper)
            Number overflow = (Number) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow.longValue()).as(name + " horizontal overflow at " + width + "px").isLessThanOrEqualTo(1L);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + "-" + width + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    long findProjectId(String name) throws Exception {
        JsonNode list = api("GET", "/projects?limit=500", null, null, 200);
        for (JsonNode p : list.path("items")) {
            if (name.equals(p.path("name").asText())) return p.path("id").asLong();
        }
        throw new AssertionError("project not listed: " + name);
    }

    JsonNode api(String method, String path, Object body, Long projectId, int expectStatus) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + API_TOKEN)
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(20));
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectStatus, res.statusCode(), method + " " + path + " → " + res.body());
        return res.body().isBlank() ? json.createObjectNode() : json.readTree(res.body());
    }

    static String hmacSha256(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** A bare repository with one commit on main, reachable as file://. */
    static Path createBareRepo() throws Exception {
        Path bare = TMP.resolve("origin-" + UUID.randomUUID().toString().substring(0, 8) + ".git");
        Path work = TMP.resolve("seed-" + UUID.randomUUID().toString().substring(0, 8));
        run(TMP, "git", "init", "--bare", "--initial-branch=main", bare.toString());
        run(TMP, "git", "init", "--initial-branch=main", work.toString());
        Files.writeString(work.resolve("README.md"), "# console test repo\n");
        run(work, "git", "add", "README.md");
        run(work, "git", "-c", "user.name=Console Test", "-c", "user.email=console@test.invalid",
                "commit", "-m", "initial commit");
        run(work, "git", "push", bare.toUri().toString(), "HEAD:refs/heads/main");
        return bare;
    }

    static void run(Path dir, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
