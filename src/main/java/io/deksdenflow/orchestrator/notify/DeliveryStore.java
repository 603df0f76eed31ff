package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.secrets.SecretsCipher;
import io.deksdenflow.orchestrator.store.JsonColumns;
import io.deksdenflow.orchestrator.store.Page;
import io.deksdenflow.orchestrator.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Table {@code notify_deliveries}, the delivery log: a row per (event, channel), written with the event and its
 * {@code notify_job} in one transaction; each attempt updates it (status, attempts, last error). The channel is
 * kept encrypted, as it was at the event.
 */
@Repository
class DeliveryStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final SecretsCipher cipher;

    DeliveryStore(NamedParameterJdbcTemplate jdbc, SecretsCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    void insert(long projectId, Long protocolRunId, Long stepRunId, long eventId, NotifyKind kind, Channel channel,
                String messageId, String jobId) {
        long now = Clock.now();
        jdbc.update("""
                INSERT INTO notify_deliveries (project_id, protocol_run_id, step_run_id, event_id, kind, channel_type,
                    channel_key, channel_label, channel, message_id, job_id, status, attempts, created_at, updated_at)
                VALUES (:project_id, :protocol_run_id, :step_run_id, :event_id, :kind, :channel_type, :channel_key,
                    :channel_label, :channel, :message_id, :job_id, 'pending', 0, :now, :now)""",
                new MapSqlParameterSource().addValue("project_id", projectId).addValue("protocol_run_id", protocolRunId)
                        .addValue("step_run_id", stepRunId).addValue("event_id", eventId).addValue("kind", kind.api())
                        .addValue("channel_type", channel.type()).addValue("channel_key", channel.key())
                        .addValue("channel_label", channel.label())
                        .addValue("channel", cipher.encrypt(JsonColumns.write(channel.stored())))
                        .addValue("message_id", messageId).addValue("job_id", jobId).addValue("now", now));
    }

    Optional<Delivery> byJobId(String jobId) {
        return jdbc.query("SELECT * FROM notify_deliveries WHERE job_id = :job_id", Map.of("job_id", jobId),
                        (rs, n) -> map(rs, true))
                .stream().findFirst();
    }

    /** The project's deliveries, newest first, before {@code before} (null: from the newest). */
    Page<Delivery> byProject(long projectId, Long before, int limit) {
        return Page.of(jdbc.query("""
                SELECT * FROM notify_deliveries WHERE project_id = :project_id AND id < :before
                ORDER BY id DESC LIMIT :limit""",
                Map.of("project_id", projectId, "before", before == null ? Long.MAX_VALUE : before, "limit", limit + 1),
                (rs, n) -> map(rs, false)), limit, Delivery::id);
    }

    /** Attempt {@code attempt} ended with {@code status}; {@code error} null when it was delivered. */
    void attempted(long id, int attempt, Delivery.Status status, String error, Integer statusCode) {
        long now = Clock.now();
        jdbc.update("""
                UPDATE notify_deliveries SET status = :status, attempts = :attempts, last_error = :error,
                    last_status_code = :code, updated_at = :now,
                    delivered_at = CASE WHEN :status = 'delivered' THEN :now ELSE delivered_at END
                WHERE id = :id AND status <> 'delivered'""",
                new MapSqlParameterSource().addValue("id", id).addValue("status", status.api())
                        .addValue("attempts", attempt).addValue("error", error).addValue("code", statusCode)
                        .addValue("now", now));
    }

    /** A row; its channel decrypted only {@code withChannel} (the log's pages never need it). */
    private Delivery map(ResultSet rs, boolean withChannel) throws SQLException {
        Channel channel = withChannel ? Channels.one(JsonColumns.objects(cipher.decrypt(rs.getString("channel")))) : null;
        return new Delivery(rs.getLong("id"), rs.getLong("project_id"), Rows.nullableLong(rs, "protocol_run_id"),
                Rows.nullableLong(rs, "step_run_id"), rs.getLong("event_id"), NotifyKind.parse(rs.getString("kind")),
                rs.getString("channel_type"), rs.getString("channel_label"), channel, rs.getString("message_id"),
                rs.getString("job_id"), Delivery.Status.parse(rs.getString("status")), rs.getInt("attempts"),
                rs.getString("last_error"), Rows.nullableInt(rs, "last_status_code"), rs.getLong("created_at"),
                rs.getLong("updated_at"), Rows.nullableLong(rs, "delivered_at"));
    }
}
