package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.secrets.SecretsCipher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Table {@code notify_channels}: a project's channel list, encrypted as a whole ({@link SecretsCipher}: it
 * holds webhook URLs, signing secrets and Slack URLs). No row: the project has not set its own list and
 * DEKSDENFLOW_NOTIFICATIONS applies; a row with an empty list: the project wants no notification.
 */
@Repository
class ChannelStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final SecretsCipher cipher;

    ChannelStore(NamedParameterJdbcTemplate jdbc, SecretsCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** The project's own list, or empty when it has none (null list: the global default applies). */
    Optional<String> find(long projectId) {
        List<String> rows = jdbc.queryForList("SELECT channels FROM notify_channels WHERE project_id = :id",
                Map.of("id", projectId), String.class);
        return rows.isEmpty() ? Optional.empty() : Optional.of(cipher.decrypt(rows.get(0)));
    }

    /** Sets (null: removes, back to the global default) the project's list, in the caller's transaction. */
    void save(long projectId, String channelsJsonOrNull) {
        jdbc.update("DELETE FROM notify_channels WHERE project_id = :id", Map.of("id", projectId));
        if (channelsJsonOrNull == null) return;
        jdbc.update("INSERT INTO notify_channels (project_id, channels, updated_at) VALUES (:id, :channels, :now)",
                new MapSqlParameterSource().addValue("id", projectId)
                        .addValue("channels", cipher.encrypt(channelsJsonOrNull)).addValue("now", Clock.now()));
    }
}
