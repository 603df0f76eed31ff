package io.deksdenflow.orchestrator.tracker;

import io.deksdenflow.orchestrator.store.Rows;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The status comments' rows (V19): per protocol, the comment ids on its issue and its change request, how many
 * events it has seen ({@code wanted_seq}) and shown ({@code posted_seq}), when it was last written and whether a
 * {@code status_comment_job} is on its way ({@code queued_at}).
 */
@Repository
class StatusCommentStore {
    /** The row of one protocol's status comments. */
    record State(long protocolRunId, Long issueCommentId, Long changeCommentId, Long changeNumber, long wantedSeq,
                 long postedSeq, Long postedAt, int writes, Long queuedAt, String lastError) {}

    private final NamedParameterJdbcTemplate jdbc;

    StatusCommentStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One more event to show; claims the job when none is on its way (or the one queued before {@code staleBefore}
     * is taken for lost). Call in one transaction with the enqueue.
     *
     * @return whether the caller must queue a {@code status_comment_job}
     */
    boolean want(long protocolRunId, long now, long staleBefore) {
        jdbc.update("INSERT INTO status_comments (protocol_run_id) VALUES (:id) ON CONFLICT DO NOTHING", Map.of("id", protocolRunId));
        jdbc.update("UPDATE status_comments SET wanted_seq = wanted_seq + 1 WHERE protocol_run_id = :id", Map.of("id", protocolRunId));
        return claim(protocolRunId, now, staleBefore);
    }

    private boolean claim(long protocolRunId, long now, long staleBefore) {
        return jdbc.update("UPDATE status_comments SET queued_at = :now WHERE protocol_run_id = :id"
                        + " AND (queued_at IS NULL OR queued_at < :stale)",
                new MapSqlParameterSource("id", protocolRunId).addValue("now", now).addValue("stale", staleBefore)) == 1;
    }

    Optional<State> find(long protocolRunId) {
        return jdbc.query("SELECT * FROM status_comments WHERE protocol_run_id = :id", Map.of("id", protocolRunId),
                (rs, i) -> new State(rs.getLong("protocol_run_id"), Rows.nullableLong(rs, "issue_comment_id"),
                        Rows.nullableLong(rs, "change_comment_id"), Rows.nullableLong(rs, "change_number"),
                        rs.getLong("wanted_seq"), rs.getLong("posted_seq"), Rows.nullableLong(rs, "posted_at"),
                        rs.getInt("writes"), Rows.nullableLong(rs, "queued_at"), rs.getString("last_error"))).stream().findFirst();
    }

    /** The job is still on its way (it waits for the debounce window or a rate limit). */
    void touch(long protocolRunId, long now) {
        jdbc.update("UPDATE status_comments SET queued_at = :now WHERE protocol_run_id = :id",
                new MapSqlParameterSource("id", protocolRunId).addValue("now", now));
    }

    void setIssueComment(long protocolRunId, Long commentId) {
        jdbc.update("UPDATE status_comments SET issue_comment_id = :c WHERE protocol_run_id = :id",
                new MapSqlParameterSource("id", protocolRunId).addValue("c", commentId));
    }

    void setChangeComment(long protocolRunId, long number, Long commentId) {
        jdbc.update("UPDATE status_comments SET change_comment_id = :c, change_number = :n WHERE protocol_run_id = :id",
                new MapSqlParameterSource("id", protocolRunId).addValue("c", commentId).addValue("n", number));
    }

    /** The comments now show event {@code seq}; {@code writes} counts the forge writes (posts and edits) made. */
    void posted(long protocolRunId, long seq, long now, int writes, String error) {
        jdbc.update("UPDATE status_comments SET posted_seq = :seq, posted_at = :now, writes = writes + :w, last_error = :e"
                        + " WHERE protocol_run_id = :id",
                new MapSqlParameterSource("id", protocolRunId).addValue("seq", seq).addValue("now", now)
                        .addValue("w", writes).addValue("e", error));
    }

    /**
     * The job is done: lets go of the claim unless events came in while it wrote ({@code wanted_seq} moved past
     * {@code seq}), in which case the claim stays and the caller queues the next job.
     *
     * @return whether the caller must queue the next {@code status_comment_job}
     */
    boolean release(long protocolRunId, long seq, long now) {
        int released = jdbc.update("UPDATE status_comments SET queued_at = NULL WHERE protocol_run_id = :id AND wanted_seq <= :seq",
                new MapSqlParameterSource("id", protocolRunId).addValue("seq", seq));
        if (released == 1) return false;
        touch(protocolRunId, now);
        return true;
    }
}
