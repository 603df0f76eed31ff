package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * notify_job: sends one delivery (its {@code notify_deliveries} row, found by the job's id) to its channel and
 * records the attempt on the row: {@code delivered}; {@code pending} with the error while the policy retries
 * (network errors, 408, 429 and 5xx, waiting at least the answer's {@code Retry-After}); {@code failed} on the
 * last attempt (DEKSDENFLOW_NOTIFY_ATTEMPTS) or a refusal (a 4xx, an address the SSRF guard refuses). A delivered
 * or failed row is never sent again (a redelivered job is skipped). Its outcome is the row's alone: a
 * notification never changes a protocol ({@code execution.JobOutcomes} leaves notify jobs alone).
 */
@Component
class NotifyJobHandler implements JobHandler<Delivery> {
    private static final Logger log = LoggerFactory.getLogger(NotifyJobHandler.class);
    private final DeliveryStore deliveries;
    private final Messages messages;
    private final WebhookSender webhooks;
    private final SlackSender slack;
    private final EmailSender email;
    private final NotifySettings settings;

    NotifyJobHandler(DeliveryStore deliveries, Messages messages, WebhookSender webhooks, SlackSender slack,
                     EmailSender email, NotifySettings settings) {
        this.deliveries = deliveries;
        this.messages = messages;
        this.webhooks = webhooks;
        this.slack = slack;
        this.email = email;
        this.settings = settings;
    }

    @Override
    public JobType type() {
        return JobType.NOTIFY_JOB;
    }

    /** The job's delivery, while it is still to be sent. */
    @Override
    public Precondition<Delivery> precondition(Job job) {
        return deliveries.byJobId(job.jobId())
                .<Precondition<Delivery>>map(d -> d.status() == Delivery.Status.PENDING ? Precondition.ready(d)
                        : Precondition.skip("delivery " + d.id() + " is already " + d.status().api(), () -> {}))
                .orElseGet(() -> Precondition.skip("no delivery for job " + job.jobId(), () -> {}));
    }

    /** DEKSDENFLOW_NOTIFY_ATTEMPTS, DEKSDENFLOW_NOTIFY_BACKOFF_SECONDS, DEKSDENFLOW_NOTIFY_BACKOFF_MAX_SECONDS. */
    @Override
    public RetryPolicy retryPolicy(RetryPolicy defaults) {
        return defaults.withAttempts(settings.notifyAttempts())
                .withBackoff(settings.notifyBackoffSeconds(), settings.notifyBackoffMaxSeconds());
    }

    @Override
    public void handle(JobContext ctx, Delivery d) throws Exception {
        int attempt = ctx.job().attempt();
        try {
            Integer code = send(d.channel(), messages.of(d));
            deliveries.attempted(d.id(), attempt, Delivery.Status.DELIVERED, null, code);
            log.info("notification {} ({}) delivered to {} on attempt {}", d.id(), d.kind().api(), d.channelLabel(), attempt);
        } catch (Exception e) {
            boolean last = attempt >= ctx.job().maxAttempts() || e instanceof DeliveryFailure.Refused;
            String error = e instanceof DeliveryFailure ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            deliveries.attempted(d.id(), attempt, last ? Delivery.Status.FAILED : Delivery.Status.PENDING, error,
                    e instanceof DeliveryFailure f ? f.statusCode() : null);
            throw e;
        }
    }

    private Integer send(Channel channel, Message m) throws Exception {
        if (channel instanceof Channel.Webhook w) return webhooks.send(w, m);
        if (channel instanceof Channel.Slack s) return slack.send(s, m);
        email.send((Channel.Email) channel, m);
        return null;
    }
}
