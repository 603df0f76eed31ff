package io.deksdenflow.orchestrator.forge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.forge.gitea.GiteaTranslator;
import io.deksdenflow.orchestrator.forge.github.GithubTranslator;
import io.deksdenflow.orchestrator.forge.gitlab.GitlabTranslator;
import org.junit.jupiter.api.Test;

/**
 * Pushes and conflicting change requests in the forges' own payloads: GitHub's published examples
 * (@octokit/webhooks-examples), GitLab's documented payloads (doc/user/project/integrations/webhook_events.md) and
 * Gitea's (modules/structs/hook.go shapes).
 */
class BaseEventTest {

    /** GitHub's push example of a branch (the first of refs/heads/), not the tag examples. */
    private static ObjectNode githubBranchPush() {
        ObjectNode p = Fixtures.octokit("push", "");
        p.put("ref", "refs/heads/master");
        return p;
    }

    @Test
    void githubPushOfABranchIsAPush() {
        ObjectNode p = githubBranchPush();
        BaseEvent e = GithubTranslator.baseEvent("push", p).orElseThrow();
        assertThat(e.kind()).isEqualTo(BaseEvent.Kind.PUSH);
        assertThat(e.provider()).isEqualTo("github");
        assertThat(e.branch()).isEqualTo("master");
        assertThat(e.sha()).isEqualTo(p.path("after").asText());
        assertThat(e.repository()).isEqualTo(p.path("repository").path("full_name").asText());
        assertThat(e.repositoryUrls()).contains(p.path("repository").path("clone_url").asText());
    }

    @Test
    void githubTagsAndDeletedBranchesAreNoPush() {
        assertThat(GithubTranslator.baseEvent("push", Fixtures.octokit("push", ""))).isEmpty(); // refs/tags/simple-tag
        ObjectNode deleted = githubBranchPush();
        deleted.put("after", "0000000000000000000000000000000000000000");
        assertThat(GithubTranslator.baseEvent("push", deleted)).isEmpty();
        assertThat(GithubTranslator.baseEvent("ping", githubBranchPush())).isEmpty();
    }

    @Test
    void githubPullRequestIsAConflictOnlyWhenOpenAndDirty() {
        ObjectNode p = Fixtures.octokit("pull_request", "labeled");
        assertThat(p.path("pull_request").path("mergeable_state").asText()).isEqualTo("clean");
        assertThat(GithubTranslator.baseEvent("pull_request", p)).isEmpty();
        ObjectNode pr = (ObjectNode) p.path("pull_request");
        pr.put("mergeable_state", "dirty");
        BaseEvent e = GithubTranslator.baseEvent("pull_request", p).orElseThrow();
        assertThat(e.kind()).isEqualTo(BaseEvent.Kind.CONFLICT);
        assertThat(e.number()).isEqualTo(pr.path("number").asLong());
        assertThat(e.branch()).isEqualTo(pr.path("head").path("ref").asText());
        assertThat(e.sha()).isEqualTo(pr.path("head").path("sha").asText());
        pr.put("state", "closed");
        assertThat(GithubTranslator.baseEvent("pull_request", p)).isEmpty();
    }

    @Test
    void gitlabPushHookIsAPush() {
        JsonNode p = Fixtures.json("gitlab-docs/push.json");
        BaseEvent e = GitlabTranslator.baseEvent("Push Hook", p).orElseThrow();
        assertThat(e.kind()).isEqualTo(BaseEvent.Kind.PUSH);
        assertThat(e.branch()).isEqualTo("master");
        assertThat(e.sha()).isEqualTo("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
        assertThat(e.repository()).isEqualTo("mike/diaspora");
        assertThat(e.repositoryUrls()).contains("http://example.com/mike/diaspora.git", "git@example.com:mike/diaspora.git");
        // without the header, by object_kind
        assertThat(GitlabTranslator.baseEvent(null, p)).isPresent();
        assertThat(GitlabTranslator.baseEvent("Tag Push Hook", Fixtures.json("gitlab-docs/tag_push.json"))).isEmpty();
    }

    @Test
    void gitlabMergeRequestIsAConflictByItsMergeStatus() {
        ObjectNode p = Fixtures.json("gitlab-docs/merge_request.json");
        ObjectNode mr = (ObjectNode) p.path("object_attributes");
        assertThat(GitlabTranslator.baseEvent("Merge Request Hook", p)).isEmpty(); // mergeable as documented
        mr.put("detailed_merge_status", "conflict");
        BaseEvent e = GitlabTranslator.baseEvent("Merge Request Hook", p).orElseThrow();
        assertThat(e.kind()).isEqualTo(BaseEvent.Kind.CONFLICT);
        assertThat(e.number()).isEqualTo(1L);
        assertThat(e.branch()).isEqualTo("ms-viewport");
        assertThat(e.sha()).isEqualTo("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
        assertThat(e.repository()).isEqualTo("gitlabhq/gitlab-test");
        // older GitLab: merge_status only
        mr.remove("detailed_merge_status");
        mr.put("merge_status", "cannot_be_merged");
        assertThat(GitlabTranslator.baseEvent("Merge Request Hook", p)).isPresent();
        mr.put("merge_status", "can_be_merged");
        assertThat(GitlabTranslator.baseEvent("Merge Request Hook", p)).isEmpty();
    }

    @Test
    void giteaPushAndUnmergeablePullRequest() {
        BaseEvent push = GiteaTranslator.baseEvent("push", Fixtures.json("gitea/push.json")).orElseThrow();
        assertThat(push.kind()).isEqualTo(BaseEvent.Kind.PUSH);
        assertThat(push.branch()).isEqualTo("0001-add-login");
        assertThat(push.repository()).isEqualTo("acme/demo");
        ObjectNode p = Fixtures.json("gitea/pull_request-opened.json");
        assertThat(GiteaTranslator.baseEvent("pull_request", p)).isEmpty(); // mergeable: true
        ((ObjectNode) p.path("pull_request")).put("mergeable", false);
        BaseEvent e = GiteaTranslator.baseEvent("pull_request", p).orElseThrow();
        assertThat(e.kind()).isEqualTo(BaseEvent.Kind.CONFLICT);
        assertThat(e.number()).isEqualTo(7L);
        assertThat(e.branch()).isEqualTo("0001-add-login");
    }
}
