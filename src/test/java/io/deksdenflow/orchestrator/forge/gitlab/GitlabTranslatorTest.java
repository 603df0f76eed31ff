package io.deksdenflow.orchestrator.forge.gitlab;

import io.deksdenflow.orchestrator.forge.CiStatus;
import io.deksdenflow.orchestrator.forge.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GitlabTranslatorTest {

    @Test
    void pipelineSuccess() {
        CiStatus s = GitlabTranslator.translate("Pipeline Hook", Fixtures.json("gitlab/pipeline-success.json")).orElseThrow();
        assertThat(s.status()).isEqualTo("success");
        assertThat(s.provider()).isEqualTo("gitlab");
        assertThat(s.branch()).isEqualTo("0001-add-login");
        assertThat(s.headSha()).isEqualTo("bcbb5ec396a2c0f828686f14fac9b80b780504f2");
        assertThat(s.url()).isEqualTo("https://gitlab.example.com/acme/platform/demo/-/pipelines/31");
        assertThat(s.checkName()).isEqualTo("Pipeline for branch: 0001-add-login");
        assertThat(s.conclusion()).isEqualTo("success");
        assertThat(s.eventKind()).isEqualTo("pipeline");
        assertThat(s.repository()).isEqualTo("acme/platform/demo");
        assertThat(s.repositoryUrls()).contains("https://gitlab.example.com/acme/platform/demo.git",
                "git@gitlab.example.com:acme/platform/demo.git", "https://gitlab.example.com/acme/platform/demo");
        assertThat(CiStatus.validated(s)).isEqualTo(s);
    }

    @Test
    void pipelineUrlBuiltFromProjectWhenMissing() {
        ObjectNode p = Fixtures.json("gitlab/pipeline-success.json");
        ((ObjectNode) p.get("object_attributes")).remove("url");
        ((ObjectNode) p.get("object_attributes")).remove("name");
        CiStatus s = GitlabTranslator.translate("Pipeline Hook", p).orElseThrow();
        assertThat(s.url()).isEqualTo("https://gitlab.example.com/acme/platform/demo/-/pipelines/31");
        assertThat(s.checkName()).isEqualTo("pipeline");
    }

    @Test
    void mergeRequestPipelineUsesSourceBranch() {
        CiStatus s = GitlabTranslator.translate("Pipeline Hook", Fixtures.json("gitlab/pipeline-mr-failed.json")).orElseThrow();
        assertThat(s.status()).isEqualTo("failure");
        assertThat(s.branch()).isEqualTo("feature/0002-fix-cache");
        assertThat(s.branchCandidates()).containsExactly("feature/0002-fix-cache", "0002-fix-cache");
        assertThat(s.url()).isEqualTo("https://gitlab.example.com/acme/platform/demo/-/pipelines/32");
    }

    @Test
    void jobFailed() {
        CiStatus s = GitlabTranslator.translate("Job Hook", Fixtures.json("gitlab/job-failed.json")).orElseThrow();
        assertThat(s.status()).isEqualTo("failure");
        assertThat(s.branch()).isEqualTo("0003-docs");
        assertThat(s.checkName()).isEqualTo("test");
        assertThat(s.headSha()).isEqualTo("2293ada6b400935a1378653304eaf6221e0fdb8f");
        assertThat(s.url()).isEqualTo("https://gitlab.example.com/acme/platform/demo/-/jobs/1977");
        assertThat(s.summary()).isEqualTo("script_failure");
        assertThat(s.eventKind()).isEqualTo("job");
        assertThat(s.repository()).isEqualTo("acme/platform/demo");
    }

    @Test
    void jobAllowedToFailIsOnlyAnEvent() {
        ObjectNode p = Fixtures.json("gitlab/job-failed.json");
        p.put("build_allow_failure", true);
        assertThat(GitlabTranslator.translate("Job Hook", p).orElseThrow().status()).isEqualTo("running");
    }

    @Test
    void jobWithoutProjectUsesRepositoryBlock() {
        ObjectNode p = Fixtures.json("gitlab/job-failed.json");
        p.remove("project");
        CiStatus s = GitlabTranslator.translate("Job Hook", p).orElseThrow();
        assertThat(s.url()).isEqualTo("https://gitlab.example.com/acme/platform/demo/-/jobs/1977");
        assertThat(s.repository()).isNull();
    }

    @Test
    void mergeRequestMergedClosedOpened() {
        ObjectNode p = Fixtures.json("gitlab/merge_request-merge.json");
        CiStatus s = GitlabTranslator.translate("Merge Request Hook", p).orElseThrow();
        assertThat(s.prState()).isEqualTo("merged");
        assertThat(s.status()).isNull();
        assertThat(s.branch()).isEqualTo("0001-add-login");
        assertThat(s.url()).isEqualTo("https://gitlab.example.com/acme/platform/demo/-/merge_requests/15");
        assertThat(s.headSha()).isEqualTo("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
        assertThat(s.eventKind()).isEqualTo("merge_request");
        assertThat(CiStatus.validated(s).prState()).isEqualTo("merged");

        ObjectNode attrs = (ObjectNode) p.get("object_attributes");
        attrs.put("action", "close");
        attrs.put("state", "closed");
        assertThat(GitlabTranslator.translate("Merge Request Hook", p).orElseThrow().prState()).isEqualTo("closed");
        attrs.put("action", "reopen");
        attrs.put("state", "opened");
        assertThat(GitlabTranslator.translate("Merge Request Hook", p).orElseThrow().prState()).isEqualTo("opened");
        attrs.put("action", "update");
        assertThat(GitlabTranslator.translate("Merge Request Hook", p)).isEmpty();
        attrs.put("action", "approved");
        assertThat(GitlabTranslator.translate("Merge Request Hook", p)).isEmpty();
    }

    @Test
    void objectKindUsedWhenHeaderMissing() {
        assertThat(GitlabTranslator.translate(null, Fixtures.json("gitlab/pipeline-success.json"))).isPresent();
        assertThat(GitlabTranslator.translate("", Fixtures.json("gitlab/job-failed.json"))).isPresent();
        assertThat(GitlabTranslator.translate(null, Fixtures.json("gitlab/merge_request-merge.json"))).isPresent();
    }

    @Test
    void unknownAndBrokenPayloadsAreEmpty() {
        assertThat(GitlabTranslator.translate("Push Hook", Fixtures.json("gitlab/pipeline-success.json"))).isEmpty();
        assertThat(GitlabTranslator.translate("Pipeline Hook", Fixtures.parse("{}"))).isEmpty();
        assertThat(GitlabTranslator.translate("Job Hook", Fixtures.parse("{\"ref\": \"x\"}"))).isEmpty();
        assertThat(GitlabTranslator.translate("Pipeline Hook", Fixtures.parse("\"text\""))).isEmpty();
        assertThat(GitlabTranslator.translate("Pipeline Hook", null)).isEmpty();
        assertThat(GitlabTranslator.translate(null, Fixtures.parse("{\"object_kind\": \"note\"}"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "success,success", "failed,failure", "canceled,cancelled", "pending,running", "running,running",
        "created,running", "skipped,skipped", "manual,running", "preparing,running", "canceling,running",
        "waiting_for_resource,running", "scheduled,running"
    })
    void pipelineStatusMapping(String raw, String expected) {
        ObjectNode p = Fixtures.json("gitlab/pipeline-success.json");
        ((ObjectNode) p.get("object_attributes")).put("status", raw);
        CiStatus s = GitlabTranslator.translate("Pipeline Hook", p).orElseThrow();
        assertThat(s.status()).isEqualTo(expected);
        assertThat(s.conclusion()).isEqualTo(raw);
    }

    @Test
    void jobOfAMergeRequestPipelineCarriesTheIid() {
        ObjectNode p = Fixtures.json("gitlab/job-failed.json");
        p.put("ref", "refs/merge-requests/17/head");
        CiStatus s = GitlabTranslator.translate("Job Hook", p).orElseThrow();
        assertThat(s.branch()).isNull();
        assertThat(s.mergeRequestIid()).isEqualTo(17L);
        assertThat(CiStatus.validated(s).mergeRequestIid()).isEqualTo(17L);
        assertThat(s.runId()).isEqualTo(p.get("build_id").asText());
    }

    @Test
    void mergeRequestIidOnlyFromANumericRef() {
        assertThat(GitlabTranslator.mergeRequestIid("refs/merge-requests/3/head")).isEqualTo(3L);
        assertThat(GitlabTranslator.mergeRequestIid("refs/merge-requests/3/merge")).isEqualTo(3L);
        assertThat(GitlabTranslator.mergeRequestIid("refs/merge-requests/x/head")).isNull();
        assertThat(GitlabTranslator.mergeRequestIid("refs/merge-requests/0/head")).isNull();
        assertThat(GitlabTranslator.mergeRequestIid("refs/merge-requests/")).isNull();
    }
}
