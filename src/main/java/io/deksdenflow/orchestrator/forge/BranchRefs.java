package io.deksdenflow.orchestrator.forge;

import java.util.List;

/** Which protocol names a CI ref may stand for. */
public final class BranchRefs {

    private static final String HEADS = "refs/heads/";

    private BranchRefs() {
    }

    /**
     * The ref without {@code refs/heads/}, then its last path segment when different:
     * {@code refs/heads/feature/0001-x} → {@code [feature/0001-x, 0001-x]}. Null or blank → empty.
     */
    public static List<String> candidates(String ref) {
        if (ref == null || ref.isBlank()) {
            return List.of();
        }
        String branch = ref.trim();
        if (branch.startsWith(HEADS)) {
            branch = branch.substring(HEADS.length());
        }
        while (branch.endsWith("/")) {
            branch = branch.substring(0, branch.length() - 1);
        }
        if (branch.isEmpty()) {
            return List.of();
        }
        String last = branch.substring(branch.lastIndexOf('/') + 1);
        return last.equals(branch) ? List.of(branch) : List.of(branch, last);
    }
}
