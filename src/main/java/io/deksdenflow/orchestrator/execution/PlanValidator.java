package io.deksdenflow.orchestrator.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.protocol.Names;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Checks an agent's planning answer against {@code schemas/protocol-planning.schema.json} and the
 * rules that keep model output from escaping the protocol folder. Writes nothing.
 */
@Component
class PlanValidator {
    public static final String SCHEMA_RESOURCE = "/schemas/protocol-planning.schema.json";
    public static final int MAX_STEPS = 50;
    public static final int MAX_STEP_BYTES = 200 * 1024;
    public static final int MAX_PLAN_BYTES = 500 * 1024;
    private static final String FIELD = "plan";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String schemaText;
    /** Compiled on first use: compiling it costs ~0.3 s, which a start need not pay. */
    private volatile JsonSchema schema;

    public PlanValidator() {
        try (InputStream in = PlanValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + SCHEMA_RESOURCE);
            schemaText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonSchema schema() {
        JsonSchema s = schema;
        if (s == null) {
            synchronized (this) {
                s = schema;
                if (s == null) schema = s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaText);
            }
        }
        return s;
    }

    /** Writes the schema to {@code dir} (for {@code codex --output-schema}) and returns its path. */
    public Path writeSchema(Path dir) {
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve("protocol-planning.schema.json");
            Files.writeString(p, schemaText, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String schemaText() { return schemaText; }

    /** Parses and validates the agent's answer text (a JSON object, optionally in a ``` fence). */
    public PlanningAnswer validate(String answerText) {
        if (answerText == null || answerText.isBlank()) throw invalid("the planning answer is empty");
        if (answerText.length() > MAX_PLAN_BYTES * 2) throw invalid("the planning answer is larger than " + MAX_PLAN_BYTES + " bytes");
        JsonNode root;
        try {
            root = JSON.readTree(unfence(answerText));
        } catch (JsonProcessingException e) {
            throw invalid("the planning answer is not JSON: " + e.getOriginalMessage());
        }
        Set<ValidationMessage> errors = schema().validate(root);
        if (!errors.isEmpty()) {
            String msg = errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
            throw invalid("the planning answer does not match the schema: " + msg);
        }
        List<PlanningAnswer.StepFile> steps = new ArrayList<>();
        for (JsonNode s : root.get("step_files")) {
            steps.add(new PlanningAnswer.StepFile(s.get("filename").asText(), s.get("content").asText()));
        }
        PlanningAnswer answer = new PlanningAnswer(root.get("plan_md").asText(), root.get("context_md").asText(),
                root.get("log_md").asText(), steps);
        check(answer);
        return answer;
    }

    /** The rules beyond the schema; also used by the writer before it touches the disk. */
    public static void check(PlanningAnswer a) {
        int n = a.stepFiles().size();
        if (n < 1 || n > MAX_STEPS) throw invalid("a plan needs 1 to " + MAX_STEPS + " step files, got " + n);
        if (a.planMd().isBlank()) throw invalid("plan_md is empty");
        Set<String> seen = new HashSet<>();
        long total = bytes(a.planMd()) + bytes(a.contextMd()) + bytes(a.logMd());
        for (PlanningAnswer.StepFile s : a.stepFiles()) {
            String name = s.filename();
            checkStepName(name);
            if (!seen.add(name.toLowerCase(java.util.Locale.ROOT))) throw invalid("duplicate step file name: " + name);
            long size = bytes(s.content());
            if (size > MAX_STEP_BYTES) throw invalid("step file " + name + " is " + size + " bytes, over " + MAX_STEP_BYTES);
            total += size;
        }
        if (total > MAX_PLAN_BYTES) throw invalid("the plan is " + total + " bytes in total, over " + MAX_PLAN_BYTES);
    }

    /** A step file name must be a plain {@code NN-name.md}: no separators (so never absolute), no "..". */
    public static void checkStepName(String name) {
        if (name == null || name.isEmpty()) throw invalid("a step file name is empty");
        if (name.contains("/") || name.contains("\\")) throw invalid("step file name contains a path separator: " + printable(name));
        if (name.contains("..")) throw invalid("step file name contains '..': " + printable(name));
        if (!Names.STEP_NAME.matcher(name).matches()) {
            throw invalid("step file name " + printable(name) + " must match " + Names.STEP_NAME.pattern());
        }
    }

    private static String unfence(String text) {
        String t = text.strip();
        if (!t.startsWith("```")) return t;
        int firstNl = t.indexOf('\n');
        int lastFence = t.lastIndexOf("```");
        if (firstNl < 0 || lastFence <= firstNl) return t;
        return t.substring(firstNl + 1, lastFence).strip();
    }

    private static long bytes(String s) { return s.getBytes(StandardCharsets.UTF_8).length; }

    private static String printable(String s) {
        String p = s.replaceAll("\\p{Cntrl}", "?");
        return "'" + (p.length() > 80 ? p.substring(0, 80) + "…" : p) + "'";
    }

    private static ValidationException invalid(String reason) {
        return new ValidationException(FIELD, reason);
    }
}
