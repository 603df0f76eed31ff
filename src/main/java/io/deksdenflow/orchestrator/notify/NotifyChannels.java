package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * The channels in force for a project: its own list when it set one ({@code notifications} on the project),
 * else the global DEKSDENFLOW_NOTIFICATIONS (checked at start-up: a bad list stops it, naming the variable).
 * Saving checks each channel first ({@link Channels}, the {@link UrlGuard}): a 422 changes nothing.
 */
@Component
public class NotifyChannels {
    private final ChannelStore store;
    private final Transactions tx;
    private final EventRecorder events;
    private final UrlGuard guard;
    private final boolean smtp;
    private final List<Channel> defaults;

    NotifyChannels(ChannelStore store, Transactions tx, EventRecorder events, NotifySettings settings) {
        this.store = store;
        this.events = events;
        this.tx = tx;
        this.guard = new UrlGuard(settings.notifyAllowPrivate());
        this.smtp = !settings.smtpHost().isEmpty();
        // the syntax only: a name that does not resolve at start-up is checked again at each delivery
        this.defaults = Channels.read("DEKSDENFLOW_NOTIFICATIONS", settings.notifications(), new UrlGuard(true), smtp);
    }

    /** The checked channels of a request's list (null: back to the global default). */
    public List<Channel> require(String field, List<Channels.Input> inputs) {
        return inputs == null ? null : Channels.require(field, inputs, guard, smtp);
    }

    /**
     * Sets the project's own list (null: removes it, the global default applies), in the caller's transaction if
     * any, with event {@code notifications_updated} (the channels' types and kinds, never a URL or secret);
     * false when it was already so.
     */
    public boolean save(long projectId, List<Channel> channelsOrNull) {
        String next = channelsOrNull == null ? null : Channels.write(channelsOrNull);
        return tx.inTx(() -> {
            if (Objects.equals(store.find(projectId).orElse(null), next)) return false;
            store.save(projectId, next);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("channels", channelsOrNull == null ? null : channelsOrNull.stream().map(Channel::view).toList());
            events.record(projectId, null, null, "notifications_updated", channelsOrNull == null
                    ? "notification channels removed: DEKSDENFLOW_NOTIFICATIONS applies"
                    : "notification channels set: " + channelsOrNull.size(), meta);
            return true;
        });
    }

    /** The project's own list as an answer shows it (no URL path, no secret), or null when it has none. */
    public List<Map<String, Object>> view(long projectId) {
        return store.find(projectId).map(json -> own(json).stream().map(Channel::view).toList()).orElse(null);
    }

    /** The channels in force for the project. */
    List<Channel> inForce(long projectId) {
        return store.find(projectId).map(this::own).orElse(defaults);
    }

    private List<Channel> own(String json) {
        return Channels.read("notifications", json, new UrlGuard(true), true);
    }
}
