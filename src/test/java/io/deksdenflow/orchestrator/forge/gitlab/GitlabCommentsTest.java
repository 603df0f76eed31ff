package io.deksdenflow.orchestrator.forge.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.forge.CommentEvent;
import io.deksdenflow.orchestrator.forge.Fixtures;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.ForgeHttp;
import org.junit.jupiter.api.Test;

/** GitLab {@code Note Hook} deliveries, on the payload GitLab documents (gitlab-docs/note_issue.json) and variants. */
class GitlabCommentsTest {
    private final GitlabForge forge = new GitlabForge(new GitlabSettings("https://gitlab.com/api/v4"),
            new ForgeHttp(new ObjectMapper()));

    private static ObjectNode documented() {
        return Fixtures.json("gitlab-docs/note_issue.json");
    }

    @Test
    void aCommentOnAnIssueNamesTheIssueTheAuthorAndTheRepository() {
        CommentEvent c = forge.commentEvent("Note Hook", documented()).orElseThrow();
        assertThat(c.provider()).isEqualTo("gitlab");
        assertThat(c.on()).isEqualTo(Forge.CommentOn.ISSUE);
        assertThat(c.number()).isEqualTo(17); // the iid, not the id 92
        assertThat(c.commentId()).isEqualTo(1241);
        assertThat(c.author()).isEqualTo("root");
        assertThat(c.authorId()).isEqualTo(1L);
        assertThat(c.bot()).isFalse();
        assertThat(c.body()).isEqualTo("Hello world");
        assertThat(c.repository()).isEqualTo("gitlab-org/gitlab-test");
        assertThat(c.repositoryUrls()).contains("http://example.com/gitlab-org/gitlab-test.git");
    }

    @Test
    void aCommentOnAMergeRequestIsOnTheChangeRequestByItsIid() {
        ObjectNode p = documented();
        ((ObjectNode) p.get("object_attributes")).put("noteable_type", "MergeRequest");
        p.remove("issue");
        p.putObject("merge_request").put("id", 7).put("iid", 1);
        CommentEvent c = forge.commentEvent("Note Hook", p).orElseThrow();
        assertThat(c.on()).isEqualTo(Forge.CommentOn.CHANGE_REQUEST);
        assertThat(c.number()).isEqualTo(1);
    }

    @Test
    void systemNotesEditsConfidentialIssuesSnippetsAndOtherHooksAreNoComments() {
        ObjectNode system = documented();
        ((ObjectNode) system.get("object_attributes")).put("system", true);
        ObjectNode edited = documented();
        ((ObjectNode) edited.get("object_attributes")).put("action", "update");
        ObjectNode confidential = documented();
        confidential.put("event_type", "confidential_note");
        ObjectNode snippet = documented();
        ((ObjectNode) snippet.get("object_attributes")).put("noteable_type", "Snippet");
        assertThat(forge.commentEvent("Note Hook", system)).isEmpty();
        assertThat(forge.commentEvent("Note Hook", edited)).isEmpty();
        assertThat(forge.commentEvent("Note Hook", confidential)).isEmpty();
        assertThat(forge.commentEvent("Note Hook", snippet)).isEmpty();
        assertThat(forge.commentEvent("Issue Hook", documented())).isEmpty();
        assertThat(forge.commentEvent("Issue Hook", Fixtures.json("gitlab-docs/issue.json"))).isEmpty();
    }

    @Test
    void accessTokenBotUsersAreBots() {
        ObjectNode p = documented();
        ((ObjectNode) p.get("user")).put("username", "project_42_bot_3f1c2a");
        assertThat(forge.commentEvent("Note Hook", p).orElseThrow().bot()).isTrue();
    }

    @Test
    void aNoteOnTheDiffOfAMergeRequestIsAReviewComment() {
        ObjectNode p = documented();
        ObjectNode attrs = (ObjectNode) p.get("object_attributes");
        attrs.put("noteable_type", "MergeRequest").put("type", "DiffNote");
        attrs.putObject("position").put("new_path", "README.md").put("new_line", 3);
        p.remove("issue");
        p.putObject("merge_request").put("id", 7).put("iid", 4);
        CommentEvent diff = forge.commentEvent("Note Hook", p).orElseThrow();
        assertThat(diff.review()).isTrue();
        assertThat(diff.on()).isEqualTo(Forge.CommentOn.CHANGE_REQUEST);
        assertThat(diff.number()).isEqualTo(4);

        assertThat(forge.commentEvent("Note Hook", documented()).orElseThrow().review()).isFalse(); // on an issue
        ObjectNode plain = documented();
        ((ObjectNode) plain.get("object_attributes")).put("noteable_type", "MergeRequest");
        plain.remove("issue");
        plain.putObject("merge_request").put("id", 7).put("iid", 4);
        assertThat(forge.commentEvent("Note Hook", plain).orElseThrow().review()).isFalse(); // an MR note, not on the diff
    }
}
