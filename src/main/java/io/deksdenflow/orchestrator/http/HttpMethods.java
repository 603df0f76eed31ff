package io.deksdenflow.orchestrator.http;

import java.util.Set;

/** The HTTP methods the service knows; anything else is "OTHER" in metrics and refused with 405. */
public final class HttpMethods {
    public static final Set<String> KNOWN = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    public static final String OTHER = "OTHER";

    private HttpMethods() {}

    public static boolean known(String method) {
        return method != null && KNOWN.contains(method);
    }

    /** The bounded metric label of a method. */
    public static String label(String method) {
        return known(method) ? method : OTHER;
    }
}
