package io.deksdenflow.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules read from the SOURCE files, not the bytecode: javac inlines {@code static final}
 * constants, so a dependency through a constant leaves no edge for ArchUnit ({@link ArchitectureTest})
 * to see. Edges come from every import (plain, static, wildcard) and every fully qualified name; the
 * packages (top level under {@code io.deksdenflow.orchestrator}, sub-packages included) must have no
 * cycle, and no main file may spell a class of another package out in full outside its imports.
 */
class SourceDependencyTest {
    private static final String BASE = "io.deksdenflow.orchestrator";
    private static final Path MAIN = Path.of("src/main/java/io/deksdenflow/orchestrator");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;");
    /** A name under the base package: its first segment is the package (slice), then a class (capital letter). */
    private static final Pattern QUALIFIED = Pattern.compile("\\bio\\.deksdenflow\\.orchestrator\\.((?:[a-z]\\w*\\.)+)([A-Z]\\w*)");

    /** One source file: where it is and its text. */
    record Source(String path, String text) {}

    /** A dependency of one package on another, with the files that cause it. */
    record Edge(String from, String to, Set<String> files) {}

    @Test
    void mainSourcesHaveNoPackageCycle() {
        List<Source> sources = mainSources();
        assertThat(sources).hasSizeGreaterThan(100);
        Map<String, Map<String, Set<String>>> graph = graph(sources);
        assertThat(graph).containsKeys("api", "webhook", "ops", "http", "protocol");
        assertThat(cycles(graph)).as("package cycles in the sources (imports and fully qualified names)").isEmpty();
    }

    @Test
    void mainSourcesSpellNoClassOfAnotherPackageOutInFull() {
        assertThat(qualifiedNamesOutsideImports(mainSources()))
                .as("use an import instead of a fully qualified name of another package").isEmpty();
    }

    @Test
    void theSharedHttpLayerDependsOnNoEntryPoint() {
        Map<String, Set<String>> http = graph(mainSources()).getOrDefault("http", Map.of());
        assertThat(http.keySet()).doesNotContain("api", "webhook", "ops", "console", "execution", "worker");
    }

    // ------------------------------------------------------------- the checks prove they can fail

    @Test
    void aCycleThroughAConstantIsFoundAsJavacWouldHideIt() {
        List<Source> sources = List.of(
                new Source("ops/AccessLog.java", """
                        package io.deksdenflow.orchestrator.ops;

                        class AccessLog {
                            String h = io.deksdenflow.orchestrator.api.RequestFilter.REQUEST_ID_HEADER;
                        }
                        """),
                new Source("api/RequestFilter.java", """
                        package io.deksdenflow.orchestrator.api;

                        import static io.deksdenflow.orchestrator.webhook.WebhookEndpoints.GITHUB_PATH;

                        public class RequestFilter { public static final String REQUEST_ID_HEADER = "X-Request-ID"; }
                        """),
                new Source("webhook/WebhookEndpoints.java", """
                        package io.deksdenflow.orchestrator.webhook;

                        import io.deksdenflow.orchestrator.ops.*;

                        public final class WebhookEndpoints { public static final String GITHUB_PATH = "/webhooks/github"; }
                        """),
                new Source("common/Clock.java", """
                        package io.deksdenflow.orchestrator.common;

                        /** Same package: {@link io.deksdenflow.orchestrator.common.Other} is no edge. */
                        class Clock {}
                        """));
        List<List<Edge>> cycles = cycles(graph(sources));
        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0)).extracting(Edge::from).containsExactlyInAnyOrder("ops", "api", "webhook");
        assertThat(cycles.get(0)).filteredOn(e -> e.from().equals("ops")).singleElement()
                .satisfies(e -> assertThat(e.files()).containsExactly("ops/AccessLog.java"));
        assertThat(qualifiedNamesOutsideImports(sources))
                .containsExactly("ops/AccessLog.java:4: io.deksdenflow.orchestrator.api.RequestFilter");
    }

    @Test
    void packagesWithoutACycleAndImportsOnlyPass() {
        List<Source> sources = List.of(
                new Source("api/A.java", "package io.deksdenflow.orchestrator.api;\n\nimport io.deksdenflow.orchestrator.http.H;\n"
                        + "import io.deksdenflow.orchestrator.api.model.M;\nclass A {}\n"),
                new Source("api/model/M.java", "package io.deksdenflow.orchestrator.api.model;\n\n"
                        + "import io.deksdenflow.orchestrator.http.H;\npublic record M() {}\n"),
                new Source("http/H.java", "package io.deksdenflow.orchestrator.http;\n\npublic class H {}\n"));
        assertThat(cycles(graph(sources))).isEmpty();
        assertThat(qualifiedNamesOutsideImports(sources)).isEmpty();
        assertThat(graph(sources).get("api")).containsOnlyKeys("http");
    }

    // ------------------------------------------------------------- reading the sources

    static List<Source> mainSources() {
        assertThat(MAIN).as("run from the project directory").isDirectory();
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().map(p -> {
                try {
                    return new Source(MAIN.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The top-level package under the base of a full package name ({@code api.model} → {@code api}); "" for the base. */
    static String slice(String packageName) {
        if (!packageName.startsWith(BASE + ".")) return "";
        String rest = packageName.substring(BASE.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    static String packageOf(Source s) {
        Matcher m = PACKAGE.matcher(s.text());
        return m.find() ? m.group(1) : "";
    }

    /** package → package it depends on → the files that cause the dependency. */
    static Map<String, Map<String, Set<String>>> graph(List<Source> sources) {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        for (Source s : sources) {
            String from = slice(packageOf(s));
            graph.computeIfAbsent(from, k -> new TreeMap<>());
            for (String line : s.text().split("\n")) {
                String trimmed = line.strip();
                Matcher imp = IMPORT.matcher(trimmed);
                if (imp.find()) {
                    addEdge(graph, from, slice(imp.group(1)), s.path());
                    continue;
                }
                if (trimmed.startsWith("package ")) continue;
                Matcher q = QUALIFIED.matcher(line);
                while (q.find()) addEdge(graph, from, slice(BASE + "." + q.group(1)), s.path());
            }
        }
        return graph;
    }

    private static void addEdge(Map<String, Map<String, Set<String>>> graph, String from, String to, String file) {
        if (to.isEmpty() || to.equals(from)) return;
        graph.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>()).add(file);
        graph.computeIfAbsent(to, k -> new TreeMap<>());
    }

    /** Every cycle once, as its edges (one per strongly connected component, found by walking it). */
    static List<List<Edge>> cycles(Map<String, Map<String, Set<String>>> graph) {
        List<List<Edge>> found = new ArrayList<>();
        Set<String> reported = new TreeSet<>();
        for (String start : graph.keySet()) {
            if (reported.contains(start)) continue;
            List<String> path = shortestCycle(graph, start);
            if (path == null) continue;
            List<Edge> edges = new ArrayList<>();
            for (int i = 0; i < path.size(); i++) {
                String a = path.get(i);
                String b = path.get((i + 1) % path.size());
                edges.add(new Edge(a, b, graph.get(a).get(b)));
            }
            reported.addAll(stronglyConnected(graph, start));
            found.add(edges);
        }
        return found;
    }

    /** The shortest path start → … → start (breadth first), or null. */
    private static List<String> shortestCycle(Map<String, Map<String, Set<String>>> graph, String start) {
        Map<String, String> parent = new LinkedHashMap<>();
        List<String> queue = new ArrayList<>(List.of(start));
        for (int i = 0; i < queue.size(); i++) {
            String at = queue.get(i);
            for (String next : graph.getOrDefault(at, Map.of()).keySet()) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>();
                    for (String x = at; x != null; x = parent.get(x)) path.add(0, x);
                    return path;
                }
                if (!parent.containsKey(next)) {
                    parent.put(next, at);
                    queue.add(next);
                }
            }
        }
        return null;
    }

    private static Set<String> stronglyConnected(Map<String, Map<String, Set<String>>> graph, String start) {
        Set<String> component = new TreeSet<>();
        for (String other : graph.keySet()) {
            if (reaches(graph, start, other) && reaches(graph, other, start)) component.add(other);
        }
        return component;
    }

    private static boolean reaches(Map<String, Map<String, Set<String>>> graph, String from, String to) {
        Set<String> seen = new TreeSet<>(Set.of(from));
        List<String> queue = new ArrayList<>(List.of(from));
        for (int i = 0; i < queue.size(); i++) {
            if (queue.get(i).equals(to)) return true;
            for (String next : graph.getOrDefault(queue.get(i), Map.of()).keySet()) {
                if (seen.add(next)) queue.add(next);
            }
        }
        return false;
    }

    /** {@code file:line: name} for every fully qualified name of another package outside import lines. */
    static List<String> qualifiedNamesOutsideImports(List<Source> sources) {
        List<String> found = new ArrayList<>();
        for (Source s : sources) {
            String pkg = packageOf(s);
            String[] lines = s.text().split("\n");
            for (int i = 0; i < lines.length; i++) {
                String trimmed = lines[i].strip();
                if (trimmed.startsWith("import ") || trimmed.startsWith("package ")) continue;
                Matcher q = QUALIFIED.matcher(lines[i]);
                while (q.find()) {
                    String target = BASE + "." + q.group(1).substring(0, q.group(1).length() - 1);
                    if (!target.equals(pkg)) found.add(s.path() + ":" + (i + 1) + ": " + target + "." + q.group(2));
                }
            }
        }
        return found;
    }
}
