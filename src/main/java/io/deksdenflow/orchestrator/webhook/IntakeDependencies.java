package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.ForgeException;
import io.deksdenflow.orchestrator.forge.ForgeRepo;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.forge.IssueEvent;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.IntakeLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolAction;
import io.deksdenflow.orchestrator.protocol.ProtocolLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Dependencies first (issue #22): an issue whose body says {@code blocked by #N} or {@code depends on #N} (several:
 * {@code depends on #3, #4 and #5}), or that its forge links as blocked by #N ({@link Forge#blockers}), gets a
 * protocol that waits while any of them is open ({@link IntakeLifecycle#waitFor}). A closed issue's delivery and
 * each reconcile pass look again; a protocol with nothing left to wait for is released ({@code intake_unblocked})
 * and started when the intake says {@code auto_start}. An issue the forge cannot be asked about counts as open (the
 * next look asks again); one the forge does not know counts as closed.
 */
@Component
class IntakeDependencies {
    private static final Logger log = LoggerFactory.getLogger(IntakeDependencies.class);
    private static final Pattern PHRASE = Pattern.compile(
            "(?i)\\b(?:blocked\\s+by|depends\\s+on)[\\s:]*((?:#\\d{1,9}(?!\\d)(?:\\s*(?:,|&|\\band\\b)\\s*)?)+)");
    private static final Pattern NUMBER = Pattern.compile("#(\\d{1,9})(?!\\d)");
    /** The most issues one issue may wait for; more are ignored. */
    static final int MAX_DEPENDENCIES = 20;

    private final Forges forges;
    private final ProtocolStore protocols;
    private final IntakeLifecycle intake;
    private final ProtocolLifecycle lifecycle;

    IntakeDependencies(Forges forges, ProtocolStore protocols, IntakeLifecycle intake, ProtocolLifecycle lifecycle) {
        this.forges = forges;
        this.protocols = protocols;
        this.intake = intake;
        this.lifecycle = lifecycle;
    }

    /** The issues {@code body} says it is blocked by or depends on, in order, without duplicates. */
    static List<Long> mentioned(String body) {
        Set<Long> out = new LinkedHashSet<>();
        if (body == null) return List.of();
        Matcher m = PHRASE.matcher(body);
        while (m.find() && out.size() < MAX_DEPENDENCIES) {
            Matcher n = NUMBER.matcher(m.group(1));
            while (n.find() && out.size() < MAX_DEPENDENCIES) out.add(Long.parseLong(n.group(1)));
        }
        return List.copyOf(out);
    }

    /** What the new protocol of {@code event} must wait for: the issues named or linked that are still open. */
    List<Long> openBlockers(Project project, IssueEvent event) {
        Set<Long> deps = new LinkedHashSet<>(mentioned(event.body()));
        Optional<Forge> forge = forgeOf(project, event.provider());
        if (forge.isPresent()) {
            try {
                for (Long n : forge.get().blockers(repo(project), event.number())) {
                    if (deps.size() < MAX_DEPENDENCIES) deps.add(n);
                }
            } catch (ForgeException | RuntimeException e) {
                log.info("issue #{}: the forge's issue links could not be read ({}); the body's phrases count",
                        event.number(), LogText.escape(e.getMessage()));
            }
        }
        deps.remove(event.number());
        return open(project, forge, List.copyOf(deps), null);
    }

    /**
     * Looks again at the project's waiting protocols ({@code closed}: an issue a delivery just said is closed, null
     * on a reconcile pass); releases and, with {@code auto_start}, starts those with nothing left to wait for.
     *
     * @return the protocols released
     */
    List<Long> recheck(Project project, Long closed, String provider) {
        List<Long> released = new ArrayList<>();
        Optional<Forge> forge = forgeOf(project, provider);
        for (ProtocolStore.Waiting w : protocols.waiting(project.id())) {
            if (closed != null && !w.waitingFor().contains(closed)) continue;
            List<Long> remaining = open(project, forge, w.waitingFor(), closed);
            if (!remaining.isEmpty()) {
                intake.waitFor(w.protocolRunId(), remaining);
                continue;
            }
            intake.unblocked(w.protocolRunId(), w.waitingFor());
            released.add(w.protocolRunId());
            if (project.intake() != null && project.intake().autoStart()) {
                try {
                    lifecycle.act(w.protocolRunId(), ProtocolAction.START);
                } catch (ConflictException e) {
                    // started or cancelled by hand meanwhile
                }
            }
        }
        return released;
    }

    private List<Long> open(Project project, Optional<Forge> forge, List<Long> deps, Long knownClosed) {
        List<Long> open = new ArrayList<>();
        for (Long n : deps) {
            if (n.equals(knownClosed)) continue;
            if (forge.isEmpty()) {
                open.add(n);
                continue;
            }
            try {
                if (!forge.get().issueClosed(repo(project), n)) open.add(n);
            } catch (ForgeException | RuntimeException e) {
                log.info("issue #{} could not be looked up ({}); it counts as open", n, LogText.escape(e.getMessage()));
                open.add(n);
            }
        }
        return open;
    }

    /**
     * The issue as the forge has it now, to tell a late delivery from a current one; empty when the forge cannot be
     * asked (no token, unreachable, unknown issue): the delivery's own view counts then.
     */
    Optional<Forge.IssueState> now(Project project, String provider, long number) {
        Optional<Forge> forge = forgeOf(project, provider);
        if (forge.isEmpty()) return Optional.empty();
        try {
            return forge.get().issueNow(repo(project), number);
        } catch (ForgeException | RuntimeException e) {
            log.debug("issue #{} could not be looked up ({}); the delivery counts", number, LogText.escape(e.getMessage()));
            return Optional.empty();
        }
    }

    private Optional<Forge> forgeOf(Project project, String provider) {
        String id = project.ciProvider() != null ? project.ciProvider() : provider;
        return id == null ? Optional.empty() : forges.find(id);
    }

    private static ForgeRepo repo(Project project) {
        return new ForgeRepo(project.name(), project.gitUrl(), project.secrets());
    }
}
