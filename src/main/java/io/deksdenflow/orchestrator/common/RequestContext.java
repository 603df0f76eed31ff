package io.deksdenflow.orchestrator.common;

import org.slf4j.MDC;

/** Tracing ids carried in the logging MDC: request, job, project, protocol run and step run. */
public final class RequestContext {
    public static final String REQUEST_ID = "request_id";
    public static final String JOB_ID = "job_id";
    public static final String PROJECT_ID = "project_id";
    public static final String PROTOCOL_RUN_ID = "protocol_run_id";
    public static final String STEP_RUN_ID = "step_run_id";

    private RequestContext() {}

    public static String requestId() {
        return MDC.get(REQUEST_ID);
    }

    public static void put(String key, Object value) {
        if (value == null) MDC.remove(key); else MDC.put(key, String.valueOf(value));
    }
}
