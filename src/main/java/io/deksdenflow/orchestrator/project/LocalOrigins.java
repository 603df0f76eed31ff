package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.engine.HiddenPaths;
import io.deksdenflow.orchestrator.git.GitUrls;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The local origins (a path or file:// git_url) of every project, hidden from the agents of every
 * other project: the path itself and where git really reads it (its {@code .git} file's or
 * {@code commondir}'s target). A run outside any project sees none of them. The run's own project's
 * origin stays as visible as the rest of the filesystem (read-only).
 */
@Component
public class LocalOrigins implements HiddenPaths {
    private final ProjectStore projects;

    public LocalOrigins(ProjectStore projects) {
        this.projects = projects;
    }

    @Override
    public Collection<Path> hiddenFromAgents() {
        return hiddenFromAgents(null);
    }

    @Override
    public Collection<Path> hiddenFromAgents(Long projectId) {
        Set<Path> out = new LinkedHashSet<>();
        Set<Path> own = new LinkedHashSet<>();
        for (Map.Entry<Long, String> p : projects.gitUrls().entrySet()) {
            Set<Path> target = Objects.equals(p.getKey(), projectId) ? own : out;
            for (Path local : localPaths(p.getValue())) {
                try {
                    target.addAll(GitUrls.repositoryDirs(local));
                } catch (UncheckedIOException e) {
                    target.add(local.toAbsolutePath().normalize()); // unreadable: hide at least the path as given
                }
            }
        }
        out.removeIf(own::contains); // two projects of one origin: the run's own stays reachable
        return out;
    }

    private static Collection<Path> localPaths(String url) {
        try {
            return url == null ? Set.of() : GitUrls.localPaths(url);
        } catch (RuntimeException e) {
            return Set.of(); // not a valid URL: nothing local to hide
        }
    }
}
