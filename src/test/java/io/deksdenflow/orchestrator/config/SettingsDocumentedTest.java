package io.deksdenflow.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.Introspector;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * The README's configuration table and the settings records agree: every {@code DEKSDENFLOW_*} variable the
 * table documents is a component of a {@code @ConfigurationProperties} record (or class) of the service, and
 * every component is documented. No Spring context: the records are found on the classpath, each component's
 * variable derived as relaxed binding derives it (prefix and name in UPPER_SNAKE:
 * {@code deksdenflow} + {@code workerConcurrency} = {@code DEKSDENFLOW_WORKER_CONCURRENCY}).
 */
class SettingsDocumentedTest {
    private static final String BASE_PACKAGE = "io.deksdenflow.orchestrator";

    /**
     * Documented variables that are no component, each read elsewhere. One of them gone from the README fails
     * the test too, so the list cannot outlive its reason.
     */
    static final Map<String, String> NOT_COMPONENTS = Map.of(
            // read by config.LogFormat, an EnvironmentPostProcessor, before any bean (or the logging system) exists
            "DEKSDENFLOW_LOG_JSON", "LogFormat",
            // logging.level.io.deksdenflow in application.yml, applied by Spring Boot's logging system
            "DEKSDENFLOW_LOG_LEVEL", "application.yml",
            // a Camel property placeholder of the shipped example route routes/jenkins-ci-status.yaml, not Java code
            "DEKSDENFLOW_JENKINS_TOKEN", "routes/jenkins-ci-status.yaml",
            // the same, of the example route routes/slack-notify.yaml
            "DEKSDENFLOW_SLACK_WEBHOOK_URL", "routes/slack-notify.yaml");

    private static final Pattern VARIABLE = Pattern.compile("`(DEKSDENFLOW)?(_[A-Z0-9_]+)`");

    @Test
    void everyDocumentedVariableIsASettingAndEverySettingIsDocumented() throws Exception {
        Set<String> documented = documented();
        Set<String> bound = bound();
        assertThat(bound).as("record components the README's configuration table does not document")
                .isSubsetOf(documented);
        Set<String> expected = new TreeSet<>(bound);
        expected.addAll(NOT_COMPONENTS.keySet());
        assertThat(documented).as("README variables that are neither a record component nor an explained exception")
                .isSubsetOf(expected);
        assertThat(NOT_COMPONENTS.keySet()).as("exceptions no longer documented (or now a component)")
                .isSubsetOf(documented).doesNotContainAnyElementsOf(bound);
    }

    @Test
    void variableNamesFollowRelaxedBinding() {
        assertThat(variable("deksdenflow", "workerConcurrency")).isEqualTo("DEKSDENFLOW_WORKER_CONCURRENCY");
        assertThat(variable("deksdenflow", "maxCostUsdPerProjectMonth")).isEqualTo("DEKSDENFLOW_MAX_COST_USD_PER_PROJECT_MONTH");
        assertThat(variable("deksdenflow.agent-limits", "memoryMb")).isEqualTo("DEKSDENFLOW_AGENT_LIMITS_MEMORY_MB");
    }

    @Test
    void theTableIsReadAsItIsWritten() throws IOException {
        // a row naming several variables: `DEKSDENFLOW_PLANNING_MODEL` / `_EXEC_MODEL` / `_QA_MODEL`
        assertThat(documented()).contains("DEKSDENFLOW_PLANNING_MODEL", "DEKSDENFLOW_EXEC_MODEL", "DEKSDENFLOW_QA_MODEL",
                "DEKSDENFLOW_WORKER_CONCURRENCY").doesNotContain("DEKSDENFLOW_TEST_DB_URL");
    }

    /** The variables in the first column of the README's configuration table. */
    static Set<String> documented() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (!line.startsWith("| `DEKSDENFLOW_")) continue;
            String firstCell = line.substring(1, line.indexOf('|', 1));
            Matcher m = VARIABLE.matcher(firstCell);
            while (m.find()) names.add("DEKSDENFLOW" + m.group(2));
        }
        assertThat(names).as("the README's configuration table").hasSizeGreaterThan(40);
        return names;
    }

    /** The variables of every {@code @ConfigurationProperties} record or class of the service. */
    static Set<String> bound() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(false);
        scan.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<String> names = new TreeSet<>();
        int types = 0;
        for (BeanDefinition candidate : scan.findCandidateComponents(BASE_PACKAGE)) {
            Class<?> type = ClassUtils.forName(candidate.getBeanClassName(), SettingsDocumentedTest.class.getClassLoader());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            for (String property : properties(type)) names.add(variable(prefix, property));
            types++;
        }
        assertThat(types).as("@ConfigurationProperties types found").isGreaterThan(10);
        return names;
    }

    /** A record's components, or a JavaBean's non-static fields. */
    private static List<String> properties(Class<?> type) {
        if (type.isRecord()) return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
        return Arrays.stream(type.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getName).toList();
    }

    /** {@code deksdenflow.agent-limits} + {@code memoryMb} = {@code DEKSDENFLOW_AGENT_LIMITS_MEMORY_MB}. */
    static String variable(String prefix, String property) {
        String snake = Arrays.stream(Introspector.decapitalize(property).split("(?=[A-Z])"))
                .map(part -> part.toUpperCase(Locale.ROOT)).collect(Collectors.joining("_"));
        return prefix.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + "_" + snake;
    }
}
