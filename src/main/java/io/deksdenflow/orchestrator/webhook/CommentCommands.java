package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.forge.CommentEvent;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.ForgeException;
import io.deksdenflow.orchestrator.forge.ForgeRepo;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
import io.deksdenflow.orchestrator.protocol.ProtocolAction;
import io.deksdenflow.orchestrator.protocol.ProtocolLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.ProtocolService;
import io.deksdenflow.orchestrator.protocol.ReviewLifecycle;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.protocol.StepService;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.tracker.StatusComments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Commands in comments (issue #22): {@code /deksdenflow <action>} in a new comment on an intake protocol's issue or
 * on a protocol's PR/MR. Only a person the forge says may write to the repository is obeyed ({@link Forge#canWrite});
 * anyone else's command is recorded as {@code command_ignored} and never executed. Bots and the service's own
 * comments (they carry its hidden marker) are not read at all. The action goes through the same lifecycle as the
 * REST action and is answered with a short reply on the same thread. A review comment without a command (a review
 * that requests changes, a comment on the diff) from a permitted reviewer asks for a review fix turn
 * ({@link ReviewLifecycle#requested}).
 */
@Component
public class CommentCommands {
    private static final Logger log = LoggerFactory.getLogger(CommentCommands.class);
    static final String PREFIX = "/deksdenflow";

    private final ProjectStore projects;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final CiLoopStore ciLoop;
    private final ProtocolLifecycle lifecycle;
    private final EventRecorder events;
    private final Transactions tx;
    private final Forges forges;
    private final StatusComments statusComments;
    private final ReviewLifecycle reviews;
    private final ProtocolService protocolService;
    private final StepService stepService;

    public CommentCommands(ProjectStore projects, ProtocolStore protocols, StepStore steps, CiLoopStore ciLoop,
                           ProtocolLifecycle lifecycle, EventRecorder events, Transactions tx, Forges forges,
                           StatusComments statusComments, ReviewLifecycle reviews, ProtocolService protocolService,
                           StepService stepService) {
        this.reviews = reviews;
        this.protocolService = protocolService;
        this.stepService = stepService;
        this.projects = projects;
        this.protocols = protocols;
        this.steps = steps;
        this.ciLoop = ciLoop;
        this.lifecycle = lifecycle;
        this.events = events;
        this.tx = tx;
        this.forges = forges;
        this.statusComments = statusComments;
    }

    /** Step {@code comment} of {@code webhook-<forge>}: applies the comment's command, answers 202. */
    public Map<String, Object> accept(Exchange exchange) {
        return DeliveryStep.accept(exchange, CommentEvent.class, this::apply);
    }

    public Map<String, Object> apply(CommentEvent comment, Set<Long> scope) {
        if (comment.body().contains(Forge.OWN_MARKER)) return CiStatusService.ignored("the service's own comment");
        if (comment.bot()) return CiStatusService.ignored("comments of bots are not read");
        Optional<Parsed> command = Command.parseWithArgument(comment.body());
        boolean review = command.isEmpty() && comment.review() && comment.on() == Forge.CommentOn.CHANGE_REQUEST;
        if (command.isEmpty() && !review) return CiStatusService.ignored("the comment holds no /deksdenflow command");
        if (review && reviews.maxAttempts() == 0) {
            return CiStatusService.ignored("review answers are off (DEKSDENFLOW_REVIEW_FIX_ATTEMPTS=0)");
        }
        Optional<Forge> forge = forges.find(comment.provider());
        List<Map<String, Object>> results = new ArrayList<>();
        for (Project project : projects.all()) {
            if (!WebhookAuthenticator.covers(scope, project)) continue;
            if (!Repositories.matches(project.gitUrl(), comment.repository(), comment.repositoryUrls())) continue;
            Optional<ProtocolRun> run = comment.on() == Forge.CommentOn.ISSUE
                    ? protocols.findByIssue(project.id(), comment.number())
                    : ciLoop.runsByPrNumber(List.of(project.id()), comment.number()).stream().findFirst().flatMap(protocols::find);
            if (run.isEmpty() || forge.isEmpty()) continue;
            results.add(review ? review(project, run.get(), forge.get(), comment)
                    : run(project, run.get(), forge.get(), comment, command.get()));
        }
        if (results.isEmpty()) {
            return CiStatusService.ignored("no protocol belongs to " + comment.on().name().toLowerCase().replace('_', ' ')
                    + " #" + comment.number());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", CiStatusService.ACCEPTED);
        out.put("results", results);
        return out;
    }

    private Map<String, Object> run(Project project, ProtocolRun run, Forge forge, CommentEvent comment, Parsed parsed) {
        Command command = parsed.command();
        ForgeRepo repo = new ForgeRepo(project.name(), project.gitUrl(), project.secrets());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("action", command.api());
        meta.put("author", comment.author());
        meta.put("comment_id", comment.commentId());
        meta.put("on", comment.on().name().toLowerCase());
        meta.put("number", comment.number());
        String refusal;
        try {
            refusal = forge.canWrite(repo, comment) ? null : comment.author() + " may not write to the repository";
        } catch (ForgeException e) {
            refusal = "could not ask " + forge.displayName() + " whether " + comment.author() + " may write: " + e.getMessage();
        }
        if (refusal != null) {
            String why = refusal;
            meta.put("reason", why);
            tx.inTx(() -> events.record(project.id(), run.id(), null, "command_ignored",
                    "/deksdenflow " + command.api() + " from " + comment.author() + " ignored: " + why, meta));
            return result(project, run, "ignored", why);
        }
        String outcome;
        String answer;
        try {
            String done = execute(project, run, parsed);
            answer = done;
            outcome = "executed";
            tx.inTx(() -> events.record(project.id(), run.id(), null, "command_executed",
                    "/deksdenflow " + command.api() + " from " + comment.author() + ": " + done, meta));
        } catch (ConflictException | ValidationException e) {
            outcome = "rejected";
            answer = e.getMessage();
            meta.put("reason", answer);
            tx.inTx(() -> events.record(project.id(), run.id(), null, "command_rejected",
                    "/deksdenflow " + command.api() + " from " + comment.author() + " rejected: " + e.getMessage(), meta));
        }
        reply(forge, repo, comment, command, outcome, answer);
        return result(project, run, outcome, "executed".equals(outcome) ? null : answer);
    }

    /** A review comment from a permitted reviewer opens or extends the protocol's review window. */
    private Map<String, Object> review(Project project, ProtocolRun run, Forge forge, CommentEvent comment) {
        ForgeRepo repo = new ForgeRepo(project.name(), project.gitUrl(), project.secrets());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("author", comment.author());
        meta.put("comment_id", comment.commentId());
        String refusal;
        try {
            refusal = forge.canWrite(repo, comment) ? null : comment.author() + " may not write to the repository";
        } catch (ForgeException e) {
            refusal = "could not ask " + forge.displayName() + " whether " + comment.author() + " may write: " + e.getMessage();
        }
        if (refusal != null) {
            String why = refusal;
            meta.put("reason", why);
            tx.inTx(() -> events.record(project.id(), run.id(), null, "review_ignored",
                    "review comment from " + comment.author() + " ignored: " + why, meta));
            return result(project, run, "ignored", why);
        }
        boolean queued = reviews.requested(run.id(), comment.number(), meta);
        return result(project, run, queued ? "review_queued" : "review_waiting", null);
    }

    /** The action through the lifecycle, as the REST action; a refusal is a {@link ConflictException}. */
    private String execute(Project project, ProtocolRun run, Parsed parsed) {
        return switch (parsed.command()) {
            case STATUS -> {
                statusComments.refresh(project.id(), run.id());
                yield "the status comment is being updated";
            }
            case APPROVE -> {
                List<StepRun> all = steps.allOf(run.id());
                StepRun step = all.stream().filter(s -> s.status() == StepStatus.NEEDS_QA).findFirst()
                        .or(() -> all.stream().filter(s -> s.status() == StepStatus.BLOCKED || s.status() == StepStatus.FAILED).findFirst())
                        .orElseThrow(() -> new ConflictException("no step waits for an approval"));
                yield "step " + step.stepName() + ": " + lifecycle.stepAct(step.id(), StepAction.APPROVE).message();
            }
            case REJECT_PLAN -> protocolService.rejectPlan(run.id(), parsed.argument()).message();
            case ANSWER -> {
                StepRun step = steps.allOf(run.id()).stream().filter(s -> s.openQuestion().isPresent()).findFirst()
                        .orElseThrow(() -> new ConflictException("no step has a question waiting for an answer"));
                yield "step " + step.stepName() + ": " + stepService.answer(step.id(), parsed.argument()).message();
            }
            default -> lifecycle.act(run.id(), parsed.command().action).message();
        };
    }

    private static void reply(Forge forge, ForgeRepo repo, CommentEvent comment, Command command, String outcome, String answer) {
        String text = Forge.OWN_MARKER + "reply -->\n@" + comment.author() + " `/deksdenflow " + command.api() + "`: "
                + ("executed".equals(outcome) ? "done — " : "not done — ") + answer.replaceAll("[\\r\\n]+", " ");
        try {
            forge.postComment(repo, comment.on(), comment.number(), text);
        } catch (ForgeException | RuntimeException e) {
            log.warn("reply to the command in comment {} failed: {}", comment.commentId(), LogText.escape(e.getMessage()));
        }
    }

    private static Map<String, Object> result(Project project, ProtocolRun run, String action, String reason) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("project_id", project.id());
        r.put("protocol_run_id", run.id());
        r.put("action", action);
        if (reason != null) r.put("reason", reason);
        return r;
    }


    /** A command and what follows it (the rest of its line and the lines after it): feedback, an answer. */
    record Parsed(Command command, String argument) {}

    /** The commands and the protocol action each one is (null: not a plain protocol action). */
    enum Command {
        START(ProtocolAction.START), PAUSE(ProtocolAction.PAUSE), RESUME(ProtocolAction.RESUME),
        CANCEL(ProtocolAction.CANCEL), RETRY(ProtocolAction.RETRY_LATEST), APPROVE(null),
        RUN_NEXT_STEP(ProtocolAction.RUN_NEXT_STEP), OPEN_PR(ProtocolAction.OPEN_PR), STATUS(null),
        APPROVE_PLAN(ProtocolAction.APPROVE_PLAN), REJECT_PLAN(null), ANSWER(null);

        final ProtocolAction action;

        Command(ProtocolAction action) {
            this.action = action;
        }

        String api() {
            return name().toLowerCase();
        }

        /** The first line that starts with {@code /deksdenflow <command>} (outside quotes: a "> " line is a quote). */
        static Optional<Command> parse(String body) {
            return parseWithArgument(body).map(Parsed::command);
        }

        static Optional<Parsed> parseWithArgument(String body) {
            String[] lines = body.split("\\R", -1);
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].strip();
                if (!l.startsWith(PREFIX)) continue;
                if (l.length() > PREFIX.length() && !Character.isWhitespace(l.charAt(PREFIX.length()))) continue;
                String rest = l.substring(PREFIX.length()).strip();
                String[] words = rest.split("\\s+", 2);
                if (words[0].isEmpty()) continue;
                for (Command c : values()) {
                    if (!c.api().equalsIgnoreCase(words[0])) continue;
                    StringBuilder arg = new StringBuilder(words.length > 1 ? words[1] : "");
                    for (int j = i + 1; j < lines.length; j++) arg.append('\n').append(lines[j]);
                    return Optional.of(new Parsed(c, arg.toString().strip()));
                }
            }
            return Optional.empty();
        }
    }
}
