package io.deksdenflow.orchestrator.forge;

import java.util.List;
import java.util.Map;

/** Reading what a webhook recorded about a CI result ({@code provider, event_kind, run_id, ...}). */
public final class CiRefs {
    /** At most this many failed jobs are looked at per failure. */
    public static final int MAX_JOBS = 5;

    private CiRefs() {
    }

    public static String str(Map<String, Object> ciRef, String key) {
        Object v = ciRef.get(key);
        return v == null ? null : String.valueOf(v);
    }

    /** What the delivery itself said, when the API has nothing more (a commit status) or failed. */
    public static CiFailure fromPayload(ForgeRepo repo, Map<String, Object> ciRef, String problem, int lines) {
        StringBuilder text = new StringBuilder();
        for (String key : List.of("title", "summary")) {
            String v = str(ciRef, key);
            if (v != null && !v.isBlank()) text.append(v).append('\n');
        }
        if (problem != null) text.append("(the failed jobs' logs could not be fetched: ").append(problem).append(")\n");
        return new CiFailure(str(ciRef, "check_name"), null, str(ciRef, "url"), excerpt(repo, text.toString(), lines));
    }

    /** {@code text} as a bounded excerpt without the project's secrets. */
    public static String excerpt(ForgeRepo repo, String text, int lines) {
        return LogExcerpt.of(text, repo.secrets().values(), lines);
    }
}
