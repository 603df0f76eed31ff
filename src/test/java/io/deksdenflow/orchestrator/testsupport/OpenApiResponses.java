package io.deksdenflow.orchestrator.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live responses checked against the OpenAPI document the service serves ({@code /openapi.json},
 * OpenAPI 3.0): the response schema the document declares for the request's path template, method
 * and status code validates the JSON body, with {@code $ref}s to {@code #/components/schemas/…}
 * resolved in the same document. A status code the operation does not document, a body where none
 * is documented, a property of the wrong type or a missing required property is a problem.
 */
public final class OpenApiResponses {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            b -> b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));

    private final JsonNode document;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    public OpenApiResponses(JsonNode document) {
        this.document = document;
    }

    /** The service's own document, fetched over HTTP. */
    public static OpenApiResponses of(Http http) {
        Http.Response r = http.get("/openapi.json");
        if (r.status() != 200) throw new AssertionError("GET /openapi.json: " + r.status());
        return new OpenApiResponses(r.json());
    }

    /** The document's path template of a request path ({@code /projects/7?limit=2} → {@code /projects/{id}}), or null. */
    public String template(String requestPath) {
        String path = requestPath.replaceFirst("[?#].*$", "");
        String[] segments = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
            String candidate = it.next();
            String[] parts = candidate.split("/", -1);
            if (parts.length != segments.length) continue;
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < parts.length && matches; i++) {
                if (parts[i].startsWith("{") && parts[i].endsWith("}")) continue;
                matches = parts[i].equals(segments[i]);
                literals++;
            }
            if (matches && literals > bestLiterals) {
                best = candidate;
                bestLiterals = literals;
            }
        }
        return best;
    }

    /** What is wrong with a response to {@code method requestPath}; empty when it matches its documented schema. */
    public List<String> problems(String method, String requestPath, int status, String body) {
        String where = method.toUpperCase(Locale.ROOT) + " " + requestPath + " → " + status;
        String template = template(requestPath);
        if (template == null) return List.of(where + ": no path of the document matches");
        String op = method.toLowerCase(Locale.ROOT);
        JsonNode response = document.path("paths").path(template).path(op).path("responses").path(String.valueOf(status));
        if (response.isMissingNode()) return List.of(where + ": status " + status + " is not documented for " + template);
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) return List.of(where + ": no application/json schema is documented");
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (IOException e) {
            return List.of(where + ": not JSON: " + body);
        }
        String key = template + " " + op + " " + status;
        JsonSchema validator = schemas.computeIfAbsent(key, k -> FACTORY.getSchema(withComponents(schema)));
        List<String> problems = new ArrayList<>();
        for (ValidationMessage m : validator.validate(json)) problems.add(where + " (" + template + "): " + m.getMessage());
        return problems;
    }

    /** Fails with every problem of a response. */
    public void check(String method, String requestPath, Http.Response response) {
        List<String> problems = problems(method, requestPath, response.status(), response.body());
        if (!problems.isEmpty()) {
            throw new AssertionError("response drifts from /openapi.json:\n  " + String.join("\n  ", problems)
                    + "\n  body: " + response.body());
        }
    }

    /** The response schema as a root schema beside the document's components, so that its references resolve. */
    private ObjectNode withComponents(JsonNode schema) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putArray("allOf").add(schema.deepCopy());
        root.set("components", document.path("components").deepCopy());
        return root;
    }
}
