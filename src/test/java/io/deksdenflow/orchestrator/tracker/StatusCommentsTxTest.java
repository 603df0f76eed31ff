package io.deksdenflow.orchestrator.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.protocol.ProtocolLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * An event recorded inside a transaction reaches the status comment after that transaction committed, in a
 * transaction of its own: the request counted and the job's outbox row written, both committed (work that joined the
 * committed transaction from its afterCommit callback would be rolled back with the connection).
 */
@TestPropertySource(properties = "deksdenflow.git-local=true")
class StatusCommentsTxTest extends ApiTestBase {
    @Autowired
    ProtocolLifecycle lifecycle;
    @Autowired
    ProtocolStore protocols;
    @Autowired
    StatusCommentStore store;
    @Autowired
    EventRecorder events;
    @Autowired
    Transactions tx;
    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @Test
    void anEventInATransactionAsksForTheCommentInItsOwnCommittedTransaction() {
        long project = createProject(http(), Map.of("ci_provider", "github")).path("id").asLong();
        ProtocolRun run = lifecycle.created(new ProtocolStore.NewProtocol(project, "0001-from-issue", "d", "main", null, false,
                null, Map.of(), 9L, "https://github.com/acme/demo/issues/9"));
        long before = store.find(run.id()).map(StatusCommentStore.State::wantedSeq).orElse(0L);
        jdbc.update("UPDATE status_comments SET queued_at = NULL WHERE protocol_run_id = :id", Map.of("id", run.id()));
        jdbc.update("DELETE FROM outbox WHERE job_type = 'status_comment_job'", Map.of());

        tx.inTx(() -> events.record(project, run.id(), null, "test_event", "inside a transaction", Map.of()));

        StatusCommentStore.State after = store.find(run.id()).orElseThrow();
        assertThat(after.wantedSeq()).isEqualTo(before + 1);
        assertThat(after.queuedAt()).isNotNull();
        List<String> queued = jdbc.queryForList("SELECT payload FROM outbox WHERE job_type = 'status_comment_job'",
                Map.of(), String.class);
        assertThat(queued).hasSize(1);
        assertThat(queued.get(0)).containsPattern("\"protocol_?[rR]un_?[iI]d\"\\s*:\\s*" + run.id());
    }
}
