package io.deksdenflow.orchestrator.store;

import io.deksdenflow.orchestrator.queue.OutboxStore;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
import io.deksdenflow.orchestrator.engine.EngineRunStore;
import io.deksdenflow.orchestrator.engine.RunLogTail;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.config.DatabaseUrls;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.protocol.StepType;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.deksdenflow.orchestrator.secrets.EncryptSecretsMigration;
import io.deksdenflow.orchestrator.secrets.SecretsCipher;
import io.deksdenflow.orchestrator.secrets.SecretsKeyCheck;
import io.deksdenflow.orchestrator.secrets.SecretsTesting;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * One storage contract, run against every database: SQLite on a temp file and PostgreSQL on the
 * machine's server (see the subclasses). Migrations, compare-and-set, uniqueness, sums,
 * keyset pages, execution order and index use.
 */
abstract class StoreContractTest {
    protected HikariDataSource ds;
    protected NamedParameterJdbcTemplate jdbc;
    protected ProjectStore projects;
    protected ProtocolStore protocols;
    protected StepStore steps;
    protected EventStore events;
    protected OutboxStore outbox;
    protected EngineRunStore runs;
    protected SecretsCipher cipher = SecretsTesting.cipher(SecretsTesting.randomKey());

    abstract String dbUrl();

    abstract String vendor();

    /** A URL of another, empty database of the same vendor. */
    abstract String freshDbUrl();

    /** The query plan text of {@code sql} (parameters inlined). */
    abstract String explain(String sql);

    static HikariDataSource dataSource(String url) {
        DatabaseUrls urls = DatabaseUrls.from(url, null);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(urls.jdbcUrl());
        cfg.setUsername(urls.username());
        cfg.setPassword(urls.password());
        cfg.setMaximumPoolSize(8);
        return new HikariDataSource(cfg);
    }

    /** The service's migrations: the SQL ones of the vendor plus the Java ones (as Spring Boot passes them). */
    org.flywaydb.core.api.configuration.FluentConfiguration flyway(javax.sql.DataSource dataSource, SecretsCipher with) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + vendor())
                .javaMigrations(new EncryptSecretsMigration(with));
    }

    @BeforeEach
    void migrate() {
        ds = dataSource(dbUrl());
        var result = flyway(ds, cipher).load().migrate();
        assertThat(result.success).isTrue();
        jdbc = new NamedParameterJdbcTemplate(ds);
        projects = new ProjectStore(jdbc, cipher);
        protocols = new ProtocolStore(jdbc);
        steps = new StepStore(jdbc);
        events = new EventStore(jdbc);
        outbox = new OutboxStore(jdbc, new ObjectMapper());
        runs = new EngineRunStore(jdbc);
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private Project project(String name) {
        return projects.insert(new ProjectStore.NewProject(name, "file:///tmp/x.git", "main", null, null,
                Map.of("exec", "m1"), Map.of("GITHUB_TOKEN", "secret"), null));
    }

    @Test
    void checksBudgetsCheckResultsAndCostsRoundTripAndSum() {
        var checks = List.of(new io.deksdenflow.orchestrator.project.Check("tests", List.of("mvn", "-q", "test"), 900));
        var budget = new io.deksdenflow.orchestrator.project.Budget(null, 5000L, null, 2.5, 10.0);
        Project p = projects.insert(new ProjectStore.NewProject("costs", "file:///tmp/x.git", "main", null, null,
                Map.of(), Map.of(), null, checks, budget));
        assertThat(projects.get(p.id()).checks()).isEqualTo(checks);
        assertThat(projects.get(p.id()).budget()).isEqualTo(budget);
        assertThat(project("plain").checks()).isNull();
        assertThat(projects.get(project("plain2").id()).budget()).isEqualTo(io.deksdenflow.orchestrator.project.Budget.NONE);

        ProtocolRun a = protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0001-a", null, "main", null, false, List.of()));
        ProtocolRun b = protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0002-b", null, "main", null, false));
        assertThat(protocols.get(a.id()).checks()).isEmpty();
        assertThat(protocols.get(b.id()).checks()).isNull();
        protocols.raiseLimits(a.id(), 9000L, null);
        protocols.raiseLimits(a.id(), null, 3.5);
        protocols.setBudgetHold(a.id(), Map.of("limit", "max_tokens_per_protocol", "used", 4900));
        ProtocolRun raised = protocols.get(a.id());
        assertThat(raised.maxTokens()).isEqualTo(9000L);
        assertThat(raised.maxCostUsd()).isEqualTo(3.5);
        assertThat(raised.budgetHold()).containsEntry("limit", "max_tokens_per_protocol");
        protocols.setBudgetHold(a.id(), null);
        assertThat(protocols.get(a.id()).budgetHold()).isNull();

        StepRun s = steps.insert(a.id(), 0, "00-setup.md", StepType.SETUP, null, null);
        var results = List.of(new io.deksdenflow.orchestrator.protocol.CheckResult("tests", 3, 1200, "boom", false, null, 7L),
                new io.deksdenflow.orchestrator.protocol.CheckResult("slow", null, 1000, "", true, null, 8L));
        steps.setQaChecks(s.id(), results);
        steps.setQaVerdictSource(s.id(), "checks");
        assertThat(steps.get(s.id()).qaChecks()).isEqualTo(results);
        assertThat(steps.get(s.id()).qaVerdictSource()).isEqualTo("checks");

        long r1 = runs.start(s.id(), a.id(), "j1", "exec", "codex", "m", null);
        runs.finish(r1, 0, 800, 200, false, 0.25, null);
        runs.finishCost(r1, 100, "price_table");
        long r2 = runs.start(null, b.id(), "j2", "planning", "codex", "m", null);
        runs.finish(r2, 0, 10, 10, false, 0.5, null);
        assertThat(runs.get(r1).tokensCached()).isEqualTo(100);
        assertThat(runs.get(r1).costSource()).isEqualTo("price_table");
        assertThat(protocols.projectCostSince(p.id(), 0)).isEqualTo(0.75);
        assertThat(protocols.projectCostSince(p.id(), System.currentTimeMillis() + 60_000)).isZero();
        protocols.addUsage(a.id(), 1000, 0.25);
        protocols.addUsage(b.id(), 20, 0.5);
        assertThat(protocols.projectTotals(p.id())).isEqualTo(new ProtocolStore.Totals(1020, 0.75));
    }

    @Test
    void migrationsCreateEveryTable() {
        for (String table : List.of("projects", "protocol_runs", "step_runs", "events", "engine_runs", "outbox",
                "ci_branches", "ci_step_starts", "ci_fixes")) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Map.of(), Long.class)).isZero();
        }
    }

    @Test
    void ciLoopClaimsOncePerShaAndKindAndKeepsTheBranchHead() {
        CiLoopStore ci = new CiLoopStore(jdbc);
        Project p = project("ci-loop");
        ProtocolRun run = protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0001-ci", null, "main", null, false));
        ProtocolRun other = protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0002-ci", null, "main", null, false));
        StepRun step = steps.insert(run.id(), 0, "00-a.md", StepType.WORK, null, null);
        Map<String, Object> ref = Map.of("provider", "github", "run_id", "42");

        var first = ci.claim(run.id(), step.id(), "abc123", CiLoopStore.KIND_FIX, 1, ref);
        assertThat(first).isPresent();
        assertThat(first.get().status()).isEqualTo(CiLoopStore.QUEUED);
        assertThat(first.get().ciRef()).containsEntry("run_id", "42");
        assertThat(ci.claim(run.id(), step.id(), "abc123", CiLoopStore.KIND_FIX, 1, ref)).as("same sha and kind").isEmpty();
        assertThat(ci.claim(run.id(), step.id(), "abc123", CiLoopStore.KIND_RERUN, 0, ref)).as("another kind").isPresent();
        assertThat(ci.claim(other.id(), null, "abc123", CiLoopStore.KIND_FIX, 1, ref)).as("another protocol").isPresent();

        long id = first.get().id();
        assertThat(ci.transition(id, CiLoopStore.QUEUED, CiLoopStore.TRIAGING)).isTrue();
        assertThat(ci.transition(id, CiLoopStore.QUEUED, CiLoopStore.TRIAGING)).as("compare-and-set").isFalse();
        ci.setFailures(id, List.of(Map.of("job", "unit", "excerpt", "boom")));
        assertThat(ci.startFix(id, CiLoopStore.TRIAGING, 1)).isTrue();
        assertThat(ci.fixesStarted(step.id())).isEqualTo(1);
        assertThat(ci.oldest(run.id(), CiLoopStore.FIXING).orElseThrow().failures()).containsExactly(Map.of("job", "unit", "excerpt", "boom"));

        assertThat(ci.head(run.id())).isEmpty();
        ci.setHead(run.id(), "abc123");
        ci.setPrNumber(run.id(), 7);
        ci.setHead(run.id(), "def456");
        ci.setPrNumber(other.id(), 8);
        assertThat(ci.head(run.id())).contains("def456");
        assertThat(ci.prNumber(run.id())).contains(7L);
        assertThat(ci.runsByPrNumber(List.of(p.id()), 7)).containsExactly(run.id());
        assertThat(ci.runsByPrNumber(List.of(p.id() + 1000), 7)).isEmpty();
        ci.setStepStart(step.id(), "aaa");
        ci.setStepStart(step.id(), "bbb");
        assertThat(ci.stepStart(step.id())).contains("bbb");
    }

    @Test
    void projectRoundTripAndUniqueName() {
        Project p = project("alpha");
        assertThat(p.status()).isEqualTo(ProjectStatus.PENDING);
        assertThat(p.defaultModels()).containsEntry("exec", "m1");
        assertThat(p.secrets()).containsEntry("GITHUB_TOKEN", "secret");
        assertThatThrownBy(() -> project("alpha")).isInstanceOf(ConflictException.class);
        assertThat(projects.transition(p, ProjectStatus.SETTING_UP, "/ws/1", null)).isTrue();
        assertThat(projects.transition(p, ProjectStatus.SETTING_UP, null, null)).as("stale version").isFalse();
        assertThat(projects.get(p.id()).localPath()).isEqualTo("/ws/1");
    }

    @Test
    void secretsAreCiphertextInTheRowAndPlaintextThroughTheStore() {
        Project p = projects.insert(new ProjectStore.NewProject("sealed", "file:///tmp/x.git", "main", null, null, Map.of(),
                Map.of("GITHUB_TOKEN", "ghp_plaintext_value", "webhook_token", "hook-secret"), null));
        String raw = jdbc.queryForObject("SELECT secrets FROM projects WHERE id = :id", Map.of("id", p.id()), String.class);
        assertThat(raw).startsWith("enc:v1:").doesNotContain("ghp_plaintext_value").doesNotContain("GITHUB_TOKEN")
                .doesNotContain("hook-secret");
        assertThat(projects.get(p.id()).secrets())
                .containsExactlyInAnyOrderEntriesOf(Map.of("GITHUB_TOKEN", "ghp_plaintext_value", "webhook_token", "hook-secret"));
        Project other = projects.insert(new ProjectStore.NewProject("sealed-2", "file:///tmp/x.git", "main", null, null, Map.of(),
                Map.of("GITHUB_TOKEN", "ghp_plaintext_value", "webhook_token", "hook-secret"), null));
        String raw2 = jdbc.queryForObject("SELECT secrets FROM projects WHERE id = :id", Map.of("id", other.id()), String.class);
        assertThat(raw2).as("a fresh IV per value").isNotEqualTo(raw);
    }

    @Test
    void theKeyCheckPassesWithTheKeyAndFailsClearlyWithAnother() {
        SecretsKeyCheck.verify(jdbc, cipher);
        SecretsCipher wrong = SecretsTesting.cipher(SecretsTesting.randomKey());
        assertThatThrownBy(() -> SecretsKeyCheck.verify(jdbc, wrong))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong secrets key").hasMessageContaining("DEKSDENFLOW_SECRETS_KEY");
        Project p = project("sealed-wrong-key");
        ProjectStore withWrongKey = new ProjectStore(jdbc, wrong);
        assertThatThrownBy(() -> withWrongKey.get(p.id())).hasMessageContaining("DEKSDENFLOW_SECRETS_KEY");
    }

    @Test
    void theMigrationEncryptsExistingPlaintextRows() {
        try (HikariDataSource old = dataSource(freshDbUrl())) {
            // a database as the previous release left it: schema 1, secrets as plaintext JSON
            assertThat(flyway(old, cipher).target("1").load().migrate().success).isTrue();
            NamedParameterJdbcTemplate oldJdbc = new NamedParameterJdbcTemplate(old);
            for (String name : List.of("legacy-a", "legacy-b")) {
                oldJdbc.update("INSERT INTO projects (name, git_url, base_branch, secrets, status, created_at, updated_at) "
                        + "VALUES (:name, 'file:///tmp/x.git', 'main', :secrets, 'ready', 1, 1)",
                        Map.of("name", name, "secrets", "{\"GITHUB_TOKEN\":\"ghp_" + name + "\"}"));
            }
            oldJdbc.update("INSERT INTO projects (name, git_url, base_branch, status, created_at, updated_at) "
                    + "VALUES ('legacy-empty', 'file:///tmp/x.git', 'main', 'ready', 1, 1)", Map.of());

            var result = flyway(old, cipher).load().migrate();
            assertThat(result.success).isTrue();
            assertThat(result.migrations).extracting(m -> m.version).contains("1.1");
            List<String> raw = oldJdbc.queryForList("SELECT secrets FROM projects ORDER BY id", Map.of(), String.class);
            assertThat(raw).hasSize(3).allSatisfy(v -> assertThat(v).startsWith("enc:v1:").doesNotContain("ghp_"));
            ProjectStore store = new ProjectStore(oldJdbc, cipher);
            assertThat(store.all()).extracting(Project::secrets).containsExactly(
                    Map.of("GITHUB_TOKEN", "ghp_legacy-a"), Map.of("GITHUB_TOKEN", "ghp_legacy-b"), Map.of());
            SecretsKeyCheck.verify(oldJdbc, cipher);
            assertThat(flyway(old, cipher).load().migrate().migrationsExecuted).as("runs once").isZero();
        }
    }

    @Test
    void protocolCompareAndSetAndUniqueness() {
        Project p = project("beta");
        ProtocolRun run = protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0001-x", "d", "main", null, true));
        assertThat(run.autoAdvance()).isTrue();
        assertThatThrownBy(() -> protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0001-x", null, "main", null, false)))
                .isInstanceOf(ConflictException.class);
        assertThat(protocols.transition(run, ProtocolStatus.PLANNING, null)).isTrue();
        assertThat(protocols.transition(run, ProtocolStatus.CANCELLED, null)).as("stale read loses").isFalse();
        ProtocolRun planning = protocols.get(run.id());
        assertThat(planning.status()).isEqualTo(ProtocolStatus.PLANNING);
        assertThat(protocols.transition(planning, ProtocolStatus.PAUSED, ProtocolStatus.PLANNING)).isTrue();
        assertThat(protocols.get(run.id()).pausedFrom()).isEqualTo(ProtocolStatus.PLANNING);
    }

    @Test
    void oneProtocolPerIssueAndProject() {
        Project p = project("issues");
        Project other = project("issues-other");
        ProtocolRun run = protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0001-a", null, "main", null, false,
                null, null, 42L, "https://example.com/issues/42"));
        assertThat(run.issueNumber()).isEqualTo(42L);
        assertThat(run.issueUrl()).isEqualTo("https://example.com/issues/42");
        assertThatThrownBy(() -> protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0002-b", null, "main", null,
                false, null, null, 42L, null))).isInstanceOf(ConflictException.class);
        protocols.insert(new ProtocolStore.NewProtocol(other.id(), "0001-a", null, "main", null, false, null, null, 42L, null));
        protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0003-c", null, "main", null, false));
        protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0004-d", null, "main", null, false));
        assertThat(protocols.findByIssue(p.id(), 42).map(ProtocolRun::id)).contains(run.id());
        assertThat(protocols.findByIssue(p.id(), 43)).isEmpty();
        assertThat(protocols.maxNumber(p.id())).isEqualTo(4);
    }

    @Test
    void concurrentCompareAndSetHasExactlyOneWinner() throws Exception {
        Project p = project("race");
        ProtocolRun run = protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0001-race", null, "main", null, false));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) results.add(pool.submit(() -> protocols.transition(run, ProtocolStatus.PLANNING, null)));
        int winners = 0;
        for (Future<Boolean> f : results) if (f.get(60, TimeUnit.SECONDS)) winners++;
        pool.shutdown();
        assertThat(winners).isEqualTo(1);
        assertThat(protocols.get(run.id()).version()).isEqualTo(run.version() + 1);
    }

    @Test
    void usageIsSummedAndExecutionOrderKept() {
        Project p = project("gamma");
        ProtocolRun run = protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0002-y", null, "main", null, false));
        StepRun a = steps.insert(run.id(), 0, "00-setup.md", StepType.SETUP, null, null);
        StepRun b = steps.insert(run.id(), 1, "01-work.md", StepType.WORK, null, null);
        assertThatThrownBy(() -> steps.insert(run.id(), 1, "01-other.md", StepType.WORK, null, null))
                .isInstanceOf(ConflictException.class);
        protocols.addUsage(run.id(), 100, null);
        protocols.addUsage(run.id(), 50, 0.25);
        protocols.addUsage(run.id(), 25, 0.5);
        assertThat(protocols.get(run.id()).tokensUsed()).isEqualTo(175);
        assertThat(protocols.get(run.id()).costUsd()).isEqualTo(0.75);
        steps.addUsage(a.id(), 10, null);
        assertThat(steps.get(a.id()).tokensUsed()).isEqualTo(10);
        assertThat(steps.get(a.id()).costUsd()).isNull();
        // b executed first, then a: "latest" is by execution order, not by index or timestamp
        steps.markExecuted(b.id(), "sha-b", protocols.nextExecSeq(run.id()));
        steps.markExecuted(a.id(), "sha-a", protocols.nextExecSeq(run.id()));
        assertThat(steps.lastExecuted(run.id()).orElseThrow().id()).isEqualTo(a.id());
        assertThat(steps.byCommit(run.id(), "sha-b").orElseThrow().id()).isEqualTo(b.id());
        assertThat(steps.transition(a, StepStatus.RUNNING, null)).isTrue();
        StepRun running = steps.get(a.id());
        assertThat(running.startedAt()).isNotNull();
        assertThat(steps.transition(running, StepStatus.NEEDS_QA, null)).isTrue();
        assertThat(steps.get(a.id()).finishedAt()).isNotNull();
    }

    @Test
    void eventsPageNewestFirstAndOutboxAndRuns() {
        Project p = project("delta");
        ProtocolRun run = protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0003-z", null, "main", null, false));
        for (int i = 0; i < 7; i++) events.insert(p.id(), run.id(), null, "e" + i, "m", Map.of("i", i), "req");
        Page<Event> first = events.byProject(p.id(), null, 3);
        assertThat(first.items()).extracting(Event::eventType).containsExactly("e6", "e5", "e4");
        Page<Event> second = events.byProtocol(run.id(), first.nextCursor(), 3);
        assertThat(second.items()).extracting(Event::eventType).containsExactly("e3", "e2", "e1");
        assertThat(events.byProject(p.id(), second.nextCursor(), 3).nextCursor()).isNull();
        assertThat(first.items().get(0).metadata()).containsEntry("i", 6);
        assertThat(events.ofOpenProjects(null, 100).items()).isNotEmpty();

        outbox.add(Job.create(JobType.NOOP_JOB, p.id(), run.id(), null, 3, "req", 1L));
        assertThat(outbox.pendingCount()).isEqualTo(1);

        long r = runs.start(null, run.id(), "job-1", "planning", "codex", "m", "/tmp/log");
        runs.finish(r, 0, 10, 20, true, 0.1, null);
        var stored = runs.get(r);
        assertThat(stored.tokensOut()).isEqualTo(20);
        assertThat(stored.tokensEstimated()).isTrue();
        assertThat(stored.finishedAt()).isNotNull();
    }

    @Test
    void aRunsLogIsKeptInItsRowAtTheEndItsLast64KiBWhenLonger() throws Exception {
        Project p = project("run-logs");
        ProtocolRun run = protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0001-logs", null, "main", null, false));
        Path dir = Files.createTempDirectory("run-logs");
        try {
            Path small = Files.writeString(dir.resolve("small.log"), "line one\nline two ✓\n");
            long r1 = runs.start(null, run.id(), "job-1", "planning", "codex", "m", small.toString());
            assertThat(runs.keptLog(r1)).isEmpty(); // running: the file is the live log
            runs.keepLog(r1, small);
            assertThat(runs.keptLog(r1)).contains(new RunLogTail("line one\nline two ✓\n", false));

            Path big = Files.writeString(dir.resolve("big.log"), "x".repeat(10) + "y".repeat(RunLogTail.MAX_BYTES));
            long r2 = runs.start(null, run.id(), "job-2", "exec", "codex", "m", big.toString());
            runs.keepLog(r2, big);
            assertThat(runs.keptLog(r2)).contains(new RunLogTail("y".repeat(RunLogTail.MAX_BYTES), true));

            long r3 = runs.start(null, run.id(), "job-3", "qa", "codex", "m", dir.resolve("never-written.log").toString());
            runs.keepLog(r3, dir.resolve("never-written.log"));
            assertThat(runs.keptLog(r3)).contains(RunLogTail.EMPTY);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(dir);
        }
    }

    @Test
    void listQueriesUseTheirIndexes() {
        Project p = project("indexed");
        ProtocolRun run = protocols.insert(new ProtocolStore.NewProtocol(p.id(), "0004-i", null, "main", null, false));
        for (int k = 0; k < 10; k++) {
            Project other = project("noise-" + k);
            ProtocolRun otherRun = protocols.insert(new ProtocolStore.NewProtocol(other.id(), "0001-n", null, "main", null, false));
            for (int i = 0; i < 100; i++) events.insert(other.id(), otherRun.id(), null, "e", "m", Map.of(), null);
        }
        for (int i = 0; i < 20; i++) events.insert(p.id(), run.id(), null, "e", "m", Map.of(), null);
        assertThat(explain("SELECT * FROM events WHERE project_id = " + p.id() + " AND id < 9223372036854775807 ORDER BY id DESC LIMIT 51"))
                .contains("ix_events_project");
        assertThat(explain("SELECT * FROM events WHERE protocol_run_id = " + run.id() + " AND id < 9223372036854775807 ORDER BY id DESC LIMIT 51"))
                .contains("ix_events_protocol");
        assertThat(explain("SELECT * FROM protocol_runs WHERE project_id = " + p.id() + " AND id > 0 ORDER BY id LIMIT 51"))
                .containsAnyOf("ix_protocol_runs_project", "sqlite_autoindex_protocol_runs_1", "protocol_runs_project_id_protocol_name_key");
    }
}
