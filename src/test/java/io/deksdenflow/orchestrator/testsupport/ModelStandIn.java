package io.deksdenflow.orchestrator.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model API on localhost for the real agent CLIs: the OpenAI Responses API ({@code POST
 * /v1/responses}, Codex) and the Anthropic Messages API ({@code POST /v1/messages}, Claude Code),
 * both streaming SSE. It plays scripted turns, chosen by the prompt the service sent:
 * <ul>
 *   <li>planning: the planning JSON (Claude: through its {@code StructuredOutput} tool);</li>
 *   <li>exec: one tool call that writes {@code src/hello-<engine>.txt}, then a summary;</li>
 *   <li>QA: a report ending in {@code Verdict: PASS}; with {@link #attemptWriteInReadOnly} it first tries
 *       to write {@code qa-was-here.txt}.</li>
 * </ul>
 * {@link #failNext} queues HTTP errors for the next model requests. Every request is kept
 * ({@link #requests}) so tests can assert what the CLIs really sent. Usage per turn is fixed
 * ({@link #INPUT_TOKENS} in, {@link #OUTPUT_TOKENS} out) so tests can tell reported from estimated.
 */
public final class ModelStandIn implements AutoCloseable {
    public static final int INPUT_TOKENS = 1000;
    public static final int OUTPUT_TOKENS = 77;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WORKDIR = Pattern.compile("Primary working directory: (\\S+)");

    public record Request(String method, String path, Map<String, List<String>> headers, JsonNode body) {
        public String text() { return body == null ? "" : body.toString(); }

        @Override
        public String toString() {
            String t = text();
            return method + " " + path + " " + (t.length() > 300 ? t.substring(0, 300) + "…" : t);
        }
    }

    /** An HTTP error for the next model request of {@code phase} (any phase when null). */
    public record Fault(String phase, int status, String body, Map<String, String> headers) {}

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean writeInReadOnly;
    private volatile String planJson = defaultPlan(1);
    private volatile long execDelayMillis;
    private volatile String execCommand;
    private volatile String qaCommand;
    private volatile String conflictCommand;

    public ModelStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public int port() { return server.getAddress().getPort(); }

    /** For Codex's {@code base_url} (the Responses API lives under /v1). */
    public String openAiBaseUrl() { return "http://127.0.0.1:" + port() + "/v1"; }

    /** For Claude Code's {@code ANTHROPIC_BASE_URL}. */
    public String anthropicBaseUrl() { return "http://127.0.0.1:" + port(); }

    public synchronized List<Request> requests() { return List.copyOf(requests); }

    /** The model calls only (Responses and Messages), in order. */
    public synchronized List<Request> modelRequests() {
        return requests.stream().filter(r -> isModelCall(r.path())).toList();
    }

    public synchronized void reset() {
        requests.clear();
        faults.clear();
        writeInReadOnly = false;
        planJson = defaultPlan(1);
        execDelayMillis = 0;
        execCommand = null;
        qaCommand = null;
        conflictCommand = null;
    }

    /** The command Codex's exec turn runs instead of writing the greeting file. */
    public void execCommand(String cmd) { this.execCommand = cmd; }

    /** A conflict fix turn's first answer runs {@code cmd} (Codex's exec_command, Claude's Bash) before it reports. */
    public void conflictCommand(String cmd) { this.conflictCommand = cmd; }

    /** QA's first turn runs {@code cmd} (through Codex's exec_command) before it reports. */
    public void qaCommand(String cmd) { this.qaCommand = cmd; }

    /** The next model request answers {@code status} with {@code body} (and headers). */
    public synchronized void failNext(int status, String body, Map<String, String> headers) {
        faults.add(new Fault(null, status, body, headers));
    }

    /** The next model request of {@code phase} answers {@code status} with {@code body}. */
    public synchronized void failNext(String phase, int status, String body, Map<String, String> headers) {
        faults.add(new Fault(phase, status, body, headers));
    }

    public void attemptWriteInReadOnly(boolean on) { this.writeInReadOnly = on; }

    /** How long the next exec turn takes to answer (once; a worker can be killed meanwhile). */
    public void execDelay(long millis) { this.execDelayMillis = millis; }

    public void plan(int steps) { this.planJson = defaultPlan(steps); }

    /** Model requests whose prompt is of {@code phase} ("planning", "exec", "qa"). */
    public List<Request> modelRequests(String phase) {
        return modelRequests().stream().filter(r -> phase.equals(phase(r.body()))).toList();
    }

    private static boolean isModelCall(String path) {
        return path.startsWith("/v1/responses") || (path.startsWith("/v1/messages") && !path.contains("count_tokens"));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            JsonNode body = null;
            if (raw.length > 0) {
                try {
                    body = JSON.readTree(raw);
                } catch (IOException e) {
                    body = JSON.getNodeFactory().textNode(new String(raw, StandardCharsets.UTF_8));
                }
            }
            String path = ex.getRequestURI().toString();
            Fault fault = null;
            synchronized (this) {
                requests.add(new Request(ex.getRequestMethod(), path, Map.copyOf(ex.getRequestHeaders()), body));
                if (Boolean.getBoolean("standin.trace")) System.err.println(ex.getRequestMethod() + " " + path + " " + body);
                if (isModelCall(path) && "POST".equals(ex.getRequestMethod())) {
                    String phase = phase(body);
                    fault = faults.stream().filter(f -> f.phase() == null || f.phase().equals(phase)).findFirst().orElse(null);
                    if (fault != null) faults.remove(fault);
                }
            }
            if (!"POST".equals(ex.getRequestMethod()) || !isModelCall(path) || body == null || !body.isObject()) {
                if (path.contains("count_tokens")) {
                    send(ex, 200, "application/json", "{\"input_tokens\":" + INPUT_TOKENS + "}", Map.of());
                } else {
                    send(ex, 404, "application/json", "{}", Map.of());
                }
                return;
            }
            if (fault != null) {
                send(ex, fault.status(), "application/json", fault.body(), fault.headers());
                return;
            }
            if (path.startsWith("/v1/responses")) responses(ex, (ObjectNode) body);
            else messages(ex, (ObjectNode) body);
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    /** "planning", "exec", "qa", "conflict" or "other", from the service's prompt templates. */
    static String phase(JsonNode body) {
        if (body == null) return "other";
        String t = body.toString();
        if (t.contains("no longer merges cleanly with its base branch")) return "conflict";
        if (t.contains("You are planning protocol")) return "planning";
        if (t.contains("You are executing one step")) return "exec";
        if (t.contains("You are reviewing step")) return "qa";
        return "other";
    }

    // ---- OpenAI Responses API (Codex) ----

    private void responses(HttpExchange ex, ObjectNode body) throws IOException {
        String phase = phase(body);
        int toolOutputs = 0;
        for (JsonNode item : body.path("input")) {
            if (item.path("type").asText().endsWith("call_output")) toolOutputs++;
        }
        String id = "resp_" + ids.incrementAndGet();
        List<String> events = new ArrayList<>();
        ObjectNode created = JSON.createObjectNode().put("type", "response.created");
        created.putObject("response").put("id", id);
        events.add(sse("response.created", created));
        ObjectNode item;
        String qaCustom = qaCommand;
        String conflictCustom = conflictCommand;
        if (toolOutputs == 0 && (phase.equals("exec") || (phase.equals("qa") && (writeInReadOnly || qaCustom != null))
                || (phase.equals("conflict") && conflictCustom != null))) {
            if (phase.equals("exec")) pause();
            String custom = execCommand;
            String cmd = phase.equals("conflict") ? conflictCustom
                    : phase.equals("exec") && custom != null ? custom
                    : phase.equals("exec") ? "mkdir -p src && printf 'hello from codex\\n' > src/hello-codex.txt"
                    : qaCustom != null ? qaCustom : "printf 'qa\\n' > qa-was-here.txt";
            item = JSON.createObjectNode().put("type", "function_call").put("id", "fc_" + id)
                    .put("call_id", "call_" + id).put("name", "exec_command")
                    // no login shell (profile scripts can be slow), and wait for the command to finish
                    .put("arguments", JSON.createObjectNode().put("cmd", cmd).put("login", false)
                            .put("yield_time_ms", 60_000).toString());
        } else {
            String text = switch (phase) {
                case "planning" -> planJson;
                case "exec" -> "Wrote src/hello-codex.txt.";
                case "qa" -> "The step's file exists and the log is updated.\n\nVerdict: PASS";
                case "conflict" -> "Resolved the conflicts, keeping both sides.";
                default -> "ok";
            };
            item = JSON.createObjectNode().put("type", "message").put("role", "assistant").put("id", "msg_" + id);
            item.putArray("content").addObject().put("type", "output_text").put("text", text)
                    .putArray("annotations");
        }
        ObjectNode done = JSON.createObjectNode().put("type", "response.output_item.done").put("output_index", 0);
        done.set("item", item);
        events.add(sse("response.output_item.done", done));
        ObjectNode completed = JSON.createObjectNode().put("type", "response.completed");
        ObjectNode usage = completed.putObject("response").put("id", id).putObject("usage");
        usage.put("input_tokens", INPUT_TOKENS).put("output_tokens", OUTPUT_TOKENS)
                .put("total_tokens", INPUT_TOKENS + OUTPUT_TOKENS);
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        events.add(sse("response.completed", completed));
        send(ex, 200, "text/event-stream", String.join("", events), Map.of());
    }

    // ---- Anthropic Messages API (Claude Code) ----

    private void messages(HttpExchange ex, ObjectNode body) throws IOException {
        String phase = phase(body);
        int toolResults = 0;
        for (JsonNode m : body.path("messages")) {
            for (JsonNode c : m.path("content")) {
                if ("tool_result".equals(c.path("type").asText())) toolResults++;
            }
        }
        boolean structured = false;
        for (JsonNode t : body.path("tools")) structured |= "StructuredOutput".equals(t.path("name").asText());
        Matcher wd = WORKDIR.matcher(body.path("system").toString());
        String workdir = wd.find() ? wd.group(1).replace("\\n", "") : ".";
        String id = "msg_" + ids.incrementAndGet();
        ObjectNode block;
        if (toolResults == 0 && phase.equals("planning") && structured) {
            block = toolUse(id, "StructuredOutput", (ObjectNode) readTree(planJson));
        } else if (toolResults == 0 && phase.equals("conflict") && conflictCommand != null) {
            block = toolUse(id, "Bash", JSON.createObjectNode().put("command", conflictCommand)
                    .put("description", "Resolve the conflicts"));
        } else if (toolResults == 0 && phase.equals("exec") && execCommand != null) {
            pause();
            block = toolUse(id, "Bash", JSON.createObjectNode().put("command", execCommand)
                    .put("description", "Run the step's command"));
        } else if (toolResults == 0 && phase.equals("exec")) {
            pause();
            block = toolUse(id, "Write", JSON.createObjectNode().put("file_path", workdir + "/src/hello-claude.txt")
                    .put("content", "hello from claude\n"));
        } else if (toolResults == 0 && phase.equals("qa") && writeInReadOnly) {
            block = toolUse(id, "Write", JSON.createObjectNode().put("file_path", workdir + "/qa-was-here.txt")
                    .put("content", "qa\n"));
        } else {
            String text = switch (phase) {
                case "planning" -> structured ? "The plan is in the structured output." : planJson;
                case "exec" -> "Wrote src/hello-claude.txt.";
                case "qa" -> "The step's file exists and the log is updated.\n\nVerdict: PASS";
                default -> "ok";
            };
            block = JSON.createObjectNode().put("type", "text").put("text", text);
        }
        boolean tool = "tool_use".equals(block.path("type").asText());
        List<String> events = new ArrayList<>();
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode msg = start.putObject("message").put("id", id).put("type", "message").put("role", "assistant")
                .put("model", body.path("model").asText("stand-in"));
        msg.putArray("content");
        msg.putNull("stop_reason");
        msg.putNull("stop_sequence");
        msg.putObject("usage").put("input_tokens", INPUT_TOKENS).put("output_tokens", 1);
        events.add(sse("message_start", start));
        ObjectNode cbStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
        if (tool) {
            ObjectNode empty = block.deepCopy();
            empty.putObject("input");
            cbStart.set("content_block", empty);
            delta.putObject("delta").put("type", "input_json_delta").put("partial_json", block.path("input").toString());
        } else {
            cbStart.putObject("content_block").put("type", "text").put("text", "");
            delta.putObject("delta").put("type", "text_delta").put("text", block.path("text").asText());
        }
        events.add(sse("content_block_start", cbStart));
        events.add(sse("content_block_delta", delta));
        events.add(sse("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", 0)));
        ObjectNode md = JSON.createObjectNode().put("type", "message_delta");
        md.putObject("delta").put("stop_reason", tool ? "tool_use" : "end_turn").putNull("stop_sequence");
        md.putObject("usage").put("output_tokens", OUTPUT_TOKENS);
        events.add(sse("message_delta", md));
        events.add(sse("message_stop", JSON.createObjectNode().put("type", "message_stop")));
        send(ex, 200, "text/event-stream", String.join("", events), Map.of());
    }

    private static ObjectNode toolUse(String id, String name, ObjectNode input) {
        ObjectNode b = JSON.createObjectNode().put("type", "tool_use").put("id", "toolu_" + id).put("name", name);
        b.set("input", input);
        return b;
    }

    private void pause() {
        long d = execDelayMillis;
        execDelayMillis = 0;
        if (d <= 0) return;
        try {
            Thread.sleep(d); // the model "thinking": a scripted latency, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode readTree(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sse(String event, JsonNode data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    private static void send(HttpExchange ex, int status, String type, String text, Map<String, String> headers)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A valid planning answer with {@code steps} steps, each asking for one file. */
    public static String defaultPlan(int steps) {
        ObjectNode plan = JSON.createObjectNode();
        plan.put("plan_md", "# Plan\n\nAdd a greeting file.\n");
        plan.put("context_md", "Current step: 01\n");
        plan.put("log_md", "# Log\n\n- planned\n");
        ArrayNode files = plan.putArray("step_files");
        for (int i = 1; i <= steps; i++) {
            String n = String.format("%02d", i);
            files.addObject().put("filename", n + "-add-greeting.md")
                    .put("content", "# feat(greeting): add the greeting file\n\nWrite src/hello-<engine>.txt.\n");
        }
        return plan.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Manual runs: {@code java ... ModelStandIn} prints its port and serves until killed. */
    public static void main(String[] args) throws Exception {
        ModelStandIn s = new ModelStandIn();
        System.out.println(s.port());
        Thread.currentThread().join();
    }
}
