package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.common.Transactions;
import java.util.List;
import java.util.Map;
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
    private final UrlGuard guard;
    private final boolean smtp;
    private final List<Channel> defaults;

    NotifyChannels(ChannelStore store, Transactions tx, NotifySettings settings) {
        this.store = store;
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

    /** Sets the project's own list (null: removes it, the global default applies), in the caller's transaction if any. */
    public void save(long projectId, List<Channel> channelsOrNull) {
        tx.inTx(() -> {
            store.save(projectId, channelsOrNull == null ? null : Channels.write(channelsOrNull));
            return null;
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
