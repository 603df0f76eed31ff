package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.protocol.Names;
import io.deksdenflow.orchestrator.protocol.StepType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The protocol folder {@code <worktree>/.protocols/<name>/}: writes a validated plan into it and
 * reads an existing one back. Every path is checked to stay inside the folder, also through
 * symlinks that a repository might contain.
 */
@Component
public class ProtocolFiles {
    public static final String PLAN = "plan.md";
    public static final String CONTEXT = "context.md";
    public static final String LOG = "log.md";

    /** {@code .protocols/<name>} relative to the worktree. */
    public static String relativeDir(String protocolName) {
        return ".protocols/" + Names.requireProtocolName("protocol_name", protocolName);
    }

    public static Path dir(Path worktree, String protocolName) {
        return worktree.toAbsolutePath().normalize().resolve(relativeDir(protocolName));
    }

    /** Whether the branch already holds a plan for this protocol. */
    public boolean hasPlan(Path worktree, String protocolName) {
        return Files.isRegularFile(dir(worktree, protocolName).resolve(PLAN), LinkOption.NOFOLLOW_LINKS);
    }

    /** Writes plan.md, context.md, log.md and the step files; returns the written paths. */
    public List<Path> write(Path worktree, String protocolName, PlanningAnswer answer) {
        PlanValidator.check(answer);
        Path root = worktree.toAbsolutePath().normalize();
        Path folder = dir(root, protocolName);
        List<Path> targets = new ArrayList<>();
        targets.add(inside(folder, PLAN));
        targets.add(inside(folder, CONTEXT));
        targets.add(inside(folder, LOG));
        for (PlanningAnswer.StepFile s : answer.stepFiles()) targets.add(inside(folder, s.filename()));
        try {
            Files.createDirectories(folder);
            Path realRoot = root.toRealPath();
            if (!folder.toRealPath().startsWith(realRoot)) {
                throw new ValidationException("plan", relativeDir(protocolName) + " resolves outside the worktree");
            }
            List<String> contents = new ArrayList<>(List.of(answer.planMd(), answer.contextMd(), answer.logMd()));
            answer.stepFiles().forEach(s -> contents.add(s.content()));
            for (int i = 0; i < targets.size(); i++) {
                Files.writeString(targets.get(i), contents.get(i), StandardCharsets.UTF_8, LinkOption.NOFOLLOW_LINKS,
                        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return targets;
    }

    /** Reads an existing plan: plan.md and the step files, sorted by name, typed by name. */
    public ImportedPlan read(Path worktree, String protocolName) {
        Path folder = dir(worktree, protocolName);
        try {
            if (!hasPlan(worktree, protocolName)) {
                throw new ValidationException("plan", relativeDir(protocolName) + "/" + PLAN + " does not exist");
            }
            String plan = Files.readString(folder.resolve(PLAN), StandardCharsets.UTF_8);
            List<String> names;
            try (Stream<Path> s = Files.list(folder)) {
                names = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .map(p -> p.getFileName().toString())
                        .filter(n -> Names.STEP_NAME.matcher(n).matches() && !n.contains(".."))
                        .sorted().toList();
            }
            List<ImportedPlan.Step> steps = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                steps.add(new ImportedPlan.Step(i, n, StepType.fromFileName(n),
                        Files.readString(inside(folder, n), StandardCharsets.UTF_8)));
            }
            return new ImportedPlan(plan, steps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one file of the folder (plan.md, context.md, log.md or a step file); empty when absent. */
    public String readFile(Path worktree, String protocolName, String fileName) {
        Path p = inside(dir(worktree, protocolName), fileName);
        try {
            return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The final guard: {@code name} resolved in {@code folder} must stay directly inside it. */
    static Path inside(Path folder, String name) {
        Path p = folder.resolve(name).normalize();
        if (!p.startsWith(folder) || !folder.equals(p.getParent())) {
            throw new ValidationException("plan", "file name escapes the protocol folder: " + name);
        }
        return p;
    }

    /** A plan found on the branch. */
    public record ImportedPlan(String planMd, List<Step> steps) {
        public record Step(int index, String fileName, StepType type, String content) {}
    }
}
