package io.deksdenflow.orchestrator.forge;

/** An open pull/merge request: its web page and its number (GitHub {@code number}, GitLab {@code iid}; null when not given). */
public record ChangeRequest(String url, Long number) {
}
