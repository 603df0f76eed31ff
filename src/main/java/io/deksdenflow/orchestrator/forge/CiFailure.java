package io.deksdenflow.orchestrator.forge;

import java.util.LinkedHashMap;
import java.util.Map;

/** One failed CI job: its name, the failed step (GitLab: the stage), its web page, the bounded log excerpt. */
public record CiFailure(String job, String step, String url, String excerpt) {
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job);
        m.put("step", step);
        m.put("url", url);
        m.put("excerpt", excerpt);
        return m;
    }
}
