package io.deksdenflow.orchestrator.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.NotBefore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * The HTTP every forge's REST calls share: one client (redirects are never followed with a token),
 * bounded reads of answers and logs, JSON in and out, and the rule for which answers a retry can change.
 */
@Component
public class ForgeHttp {
    /** Of a longer log only the first and the last this-many bytes are read. */
    public static final int LOG_HEAD_BYTES = 2 * 1024 * 1024;
    public static final int LOG_TAIL_BYTES = 4 * 1024 * 1024;
    private static final int ANSWER_BYTES = 64 * 1024;

    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public ForgeHttp(ObjectMapper json) {
        this.json = json;
    }

    /** A request to {@code url} with the default timeout. */
    public static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    }

    public HttpResponse<InputStream> send(HttpRequest.Builder request, String what) throws ForgeException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ForgeException(what + " unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForgeException("interrupted");
        }
    }

    /** The answer's JSON when the forge answered 2xx, else a {@link ForgeException} with the status and the answer's start. */
    public JsonNode json(HttpRequest.Builder request, String what) throws ForgeException {
        HttpResponse<InputStream> r = send(request, what);
        String body = drain(r);
        if (r.statusCode() / 100 != 2) {
            Instant retryAt = RateLimits.retryAt(r.statusCode(), r.headers(), Instant.ofEpochMilli(Clock.now()));
            throw new ForgeException(what + " API answered " + r.statusCode() + ": " + cut(body)
                    + (retryAt == null ? "" : " (rate limited until " + retryAt + ")"), r.statusCode(), retryAt);
        }
        try {
            return json.readTree(body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            throw new ForgeException(what + " API answered malformed JSON", r.statusCode());
        }
    }

    /** A POST of nothing: null when the forge answered 2xx, else why not. */
    public String postNothing(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<InputStream> r = send(request.POST(HttpRequest.BodyPublishers.noBody()), what);
            String body = drain(r);
            return r.statusCode() / 100 == 2 ? null : what + " API answered " + r.statusCode() + ": " + cut(body);
        } catch (ForgeException e) {
            return e.getMessage();
        }
    }

    public HttpRequest.BodyPublisher body(Object value) {
        try {
            return HttpRequest.BodyPublishers.ofString(json.writeValueAsString(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a job does with a failed call: answers a retry cannot change (4xx other than 429) and a project
     * that lacks its token or API base fail the job for good ({@link JobFailure}); the rest (5xx, 429,
     * unreachable) may pass and are retried; a rate limit with its reset time waits for it ({@link NotBefore},
     * no attempt spent).
     */
    public static RuntimeException jobError(ForgeException e) {
        if (e.retryAt() != null) return new NotBefore(e.retryAt(), e.getMessage());
        int s = e.status();
        if (s == ForgeException.MISCONFIGURED || (s >= 400 && s < 500 && s != 429)) return new JobFailure(e.getMessage(), e);
        return new IllegalStateException(e.getMessage(), e);
    }

    /** The answer's first 64 KiB as text (the rest is dropped). */
    public static String drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return new String(in.readNBytes(ANSWER_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The log text: whole when small, else its head and its tail (errors come early, summaries late). */
    public static String boundedText(InputStream body) throws IOException {
        try (InputStream in = body) {
            byte[] head = in.readNBytes(LOG_HEAD_BYTES);
            byte[] ring = new byte[LOG_TAIL_BYTES];
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) ring[(int) ((total + i) % LOG_TAIL_BYTES)] = buf[i];
                total += n;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(head);
            if (total > LOG_TAIL_BYTES) {
                out.write("\n…\n".getBytes(StandardCharsets.UTF_8));
                int start = (int) (total % LOG_TAIL_BYTES);
                out.write(ring, start, LOG_TAIL_BYTES - start);
                out.write(ring, 0, start);
            } else {
                out.write(ring, 0, (int) total);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** At most 200 characters of an answer, for messages. */
    public static String cut(String s) {
        String t = s == null ? "" : s.strip();
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    /** A base URL without its trailing slash. */
    public static String trim(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** A value as one URL path segment or query value (ids are digits; anything else is encoded, never a path). */
    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
