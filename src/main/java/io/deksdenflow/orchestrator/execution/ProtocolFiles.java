package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.common.UntrustedFiles;
import io.deksdenflow.orchestrator.engine.EngineSettings;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The protocol folder {@code <worktree>/.protocols/<name>/}: writes a validated plan into it and
 * reads an existing one back. The worktree is untrusted (a repository may commit symbolic links, an
 * agent may make them): no file is read or written through a link. {@code .protocols} and the
 * protocol's folder must be real directories and every file in it a regular file, else the job
 * fails with an {@code unsafe_path} event; a link where the service writes is removed first, and
 * every open uses {@code NOFOLLOW_LINKS}. Reads go through {@link UntrustedFiles}: regular files
 * only (a FIFO or device is refused before it is opened), at most {@code DEKSDENFLOW_AGENT_OUTPUT_MAX_BYTES}.
 */
@Component
class ProtocolFiles {
    public static final String PLAN = "plan.md";
    public static final String CONTEXT = "context.md";
    public static final String LOG = "log.md";
    private final long maxBytes;

    ProtocolFiles() {
        this.maxBytes = UntrustedFiles.DEFAULT_MAX_BYTES;
    }

    @Autowired
    ProtocolFiles(EngineSettings settings) {
        this.maxBytes = settings.agentOutputMaxBytes();
    }

    /** {@code .protocols/<name>} relative to the worktree. */
    public static String relativeDir(String protocolName) {
        return ".protocols/" + Names.requireProtocolName("protocol_name", protocolName);
    }

    public static Path dir(Path worktree, String protocolName) {
        return worktree.toAbsolutePath().normalize().resolve(relativeDir(protocolName));
    }

    /** Whether the branch already holds a plan for this protocol. */
    public boolean hasPlan(Path worktree, String protocolName) {
        Path folder = safeFolder(worktree, protocolName);
        return Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(regularOrAbsent(folder.resolve(PLAN)), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The protocol folder, after checking that neither {@code .protocols} nor the folder is a link
     * or anything but a directory (or absent).
     */
    static Path safeFolder(Path worktree, String protocolName) {
        Path root = worktree.toAbsolutePath().normalize();
        Path protocols = root.resolve(".protocols");
        Path folder = dir(root, protocolName);
        for (Path p : List.of(protocols, folder)) {
            if (Files.isSymbolicLink(p)) {
                throw unsafe(root.relativize(p) + " is a symbolic link; the service does not follow links out of the worktree");
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw unsafe(root.relativize(p) + " is not a directory");
            }
        }
        return folder;
    }

    /** {@code p} itself when it is a regular file or absent; a link or anything else is refused. */
    static Path regularOrAbsent(Path p) {
        if (Files.isSymbolicLink(p)) {
            throw unsafe(p.getFileName() + " in the protocol folder is a symbolic link; the service does not follow it");
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw unsafe(p.getFileName() + " in the protocol folder is not a regular file");
        }
        return p;
    }

    /** Reads a regular file without following a link, refusing one over the size cap. */
    String readNoFollow(Path p) throws IOException {
        return UntrustedFiles.readWhole(regularOrAbsent(p), maxBytes, "the protocol file");
    }

    /** Writes {@code text} to {@code p}: an existing link there is removed, never followed. */
    static void writeNoFollow(Path p, String text) throws IOException {
        if (Files.isSymbolicLink(p)) Files.delete(p);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw unsafe(p.getFileName() + " in the protocol folder is not a regular file");
        }
        Files.writeString(p, text, StandardCharsets.UTF_8, LinkOption.NOFOLLOW_LINKS,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /** Writes one file of the protocol folder (a QA report), creating the folder when needed. */
    public Path writeFile(Path worktree, String protocolName, String fileName, String text) {
        Path folder = safeFolder(worktree, protocolName);
        Path target = inside(folder, fileName);
        try {
            createFolder(worktree, folder);
            writeNoFollow(target, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static void createFolder(Path worktree, Path folder) throws IOException {
        Files.createDirectories(folder);
        if (!folder.toRealPath().startsWith(worktree.toRealPath())) {
            throw unsafe(folder + " resolves outside the worktree");
        }
    }

    private static UntrustedContentException unsafe(String message) {
        return new UntrustedContentException(UntrustedContentException.UNSAFE_PATH, message);
    }

    /** Writes plan.md, context.md, log.md and the step files; returns the written paths. */
    public List<Path> write(Path worktree, String protocolName, PlanningAnswer answer) {
        PlanValidator.check(answer);
        Path root = worktree.toAbsolutePath().normalize();
        Path folder = safeFolder(root, protocolName);
        List<Path> targets = new ArrayList<>();
        targets.add(inside(folder, PLAN));
        targets.add(inside(folder, CONTEXT));
        targets.add(inside(folder, LOG));
        for (PlanningAnswer.StepFile s : answer.stepFiles()) targets.add(inside(folder, s.filename()));
        try {
            createFolder(root, folder);
            List<String> contents = new ArrayList<>(List.of(answer.planMd(), answer.contextMd(), answer.logMd()));
            answer.stepFiles().forEach(s -> contents.add(s.content()));
            for (int i = 0; i < targets.size(); i++) {
                writeNoFollow(targets.get(i), contents.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return targets;
    }

    /** Reads an existing plan: plan.md and the step files, sorted by name, typed by name. */
    public ImportedPlan read(Path worktree, String protocolName) {
        Path folder = safeFolder(worktree, protocolName);
        try {
            if (!hasPlan(worktree, protocolName)) {
                throw new ValidationException("plan", relativeDir(protocolName) + "/" + PLAN + " does not exist");
            }
            String plan = readNoFollow(folder.resolve(PLAN));
            List<String> names;
            try (Stream<Path> s = Files.list(folder)) {
                names = s.map(ProtocolFiles::regularOrAbsent)
                        .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .map(p -> p.getFileName().toString())
                        .filter(n -> Names.STEP_NAME.matcher(n).matches() && !n.contains(".."))
                        .sorted().toList();
            }
            List<ImportedPlan.Step> steps = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                steps.add(new ImportedPlan.Step(i, n, StepType.fromFileName(n),
                        readNoFollow(inside(folder, n))));
            }
            return new ImportedPlan(plan, steps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes the step files of a rejected plan (links too, never followed), so that the next plan's
     * steps are the only ones on the branch; plan.md, context.md and log.md are overwritten by it.
     */
    public void removeStepFiles(Path worktree, String protocolName) {
        Path folder = safeFolder(worktree, protocolName);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(p -> Names.STEP_NAME.matcher(p.getFileName().toString()).matches()).toList()) {
                Files.deleteIfExists(inside(folder, p.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one file of the folder (plan.md, context.md, log.md or a step file); empty when absent. */
    public String readFile(Path worktree, String protocolName, String fileName) {
        Path p = inside(safeFolder(worktree, protocolName), fileName);
        try {
            return Files.isRegularFile(regularOrAbsent(p), LinkOption.NOFOLLOW_LINKS) ? readNoFollow(p) : "";
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
