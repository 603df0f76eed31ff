package io.deksdenflow.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.forge.Forges;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.openapi.OpenApiRestApiProcessorFactory;
import org.apache.camel.spi.RestApiProcessorFactory;
import org.apache.camel.spi.RestConfiguration;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.stereotype.Component;

/**
 * Produces {@code /openapi.json} with camel-openapi-java, minus what means nothing to a client: Camel
 * marks every schema with an {@code x-className} extension naming its Java class (it needs them while
 * it builds the document, to resolve references), and this removes them from the document it serves.
 * It also lists the registered forges as the {@code enum} of {@code ci_provider} (the console's choices
 * come from there).
 * Two corrections make the schemas say what the service writes (checked against live answers by
 * {@code OpenApiContractTest}): a Java {@code Object} (the values of a {@code Map<String, Object>})
 * is any JSON value, not {@code type: object}; and the service writes every property, null when it
 * has none, so a property its schema does not list as {@code required} is {@code nullable}.
 * Camel takes the one {@link RestApiProcessorFactory} in the registry before looking on the classpath.
 */
@Component
class OpenApiDocument implements RestApiProcessorFactory {
    /** The vendor extension with a Java class name. */
    static final String CLASS_NAME = "x-className";
    private final RestApiProcessorFactory openApi = new OpenApiRestApiProcessorFactory();
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> forgeIds;

    OpenApiDocument(Forges forges) {
        this.forgeIds = forges.idList();
    }

    @Override
    public Processor createApiProcessor(CamelContext camelContext, String contextPath, RestConfiguration configuration,
                                        Map<String, Object> parameters) throws Exception {
        return new Stripped(openApi.createApiProcessor(camelContext, contextPath, configuration, parameters));
    }

    /**
     * Camel's processor (a service: stopped with this one), then the extensions removed. Camel's processor
     * renders the whole document when it starts; it starts at the first request for the document rather
     * than at the service's start (a cost every start paid, for a document few starts are asked for).
     */
    private final class Stripped extends ServiceSupport implements Processor {
        private final Processor document;
        private volatile boolean documentStarted;

        Stripped(Processor document) {
            this.document = document;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            startDocument();
            document.process(exchange);
            withoutClassNames(exchange);
        }

        private void startDocument() {
            if (documentStarted) return;
            synchronized (this) {
                if (!documentStarted) {
                    ServiceHelper.startService(document);
                    documentStarted = true;
                }
            }
        }

        @Override
        protected void doStop() {
            ServiceHelper.stopService(document);
        }
    }

    private void withoutClassNames(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) return;
        JsonNode doc;
        try {
            doc = mapper.readTree(body);
        } catch (IOException e) {
            return; // not JSON (YAML was asked for): served as Camel made it
        }
        if (doc == null) return;
        strip(doc);
        listForges(doc);
        correctSchemas(doc.path("components").path("schemas"));
        try {
            byte[] stripped = mapper.writeValueAsBytes(doc);
            exchange.getMessage().setBody(stripped);
            // Camel set the length of the document as it made it
            if (exchange.getMessage().getHeader(Exchange.CONTENT_LENGTH) != null) {
                exchange.getMessage().setHeader(Exchange.CONTENT_LENGTH, stripped.length);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the OpenAPI document", e);
        }
    }

    /** {@code ci_provider}'s values in every schema that has the property: the registered forges. */
    private void listForges(JsonNode doc) {
        for (JsonNode schema : doc.path("components").path("schemas")) {
            if (schema.path("properties").path("ci_provider") instanceof ObjectNode property) {
                ArrayNode values = property.putArray("enum");
                forgeIds.forEach(values::add);
                values.addNull();
                property.put("nullable", true);
            }
        }
    }

    /** Any value for a Java {@code Object}, and {@code nullable} for every property that is not required. */
    static void correctSchemas(JsonNode schemas) {
        for (JsonNode schema : schemas) {
            anyValueForObject(schema);
            if (!(schema.path("properties") instanceof ObjectNode properties)) continue;
            Set<String> required = new HashSet<>();
            schema.path("required").forEach(n -> required.add(n.asText()));
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                if (required.contains(p.getKey()) || !(p.getValue() instanceof ObjectNode property)) continue;
                if (property.has("$ref")) {
                    // OpenAPI 3.0 ignores a sibling of $ref, and nullable widens only a type: the
                    // referenced schema, or an object that may only be null
                    ObjectNode nullable = property.objectNode();
                    ObjectNode onlyNull = nullable.objectNode().put("type", "object").put("nullable", true);
                    onlyNull.putArray("enum").addNull();
                    nullable.putArray("anyOf").add(property.deepCopy()).add(onlyNull);
                    p.setValue(nullable);
                } else if (property.has("type")) {
                    property.put("nullable", true);
                }
            }
        }
    }

    /** Replaces {@code {"type": "object"}} alone (how a Java {@code Object} is described) with {@code {}}, at any depth. */
    private static void anyValueForObject(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (v instanceof ObjectNode child && child.size() == 1 && "object".equals(child.path("type").asText(null))
                        && !e.getKey().equals("properties")) {
                    child.remove("type");
                }
            }
        }
        for (JsonNode child : node) anyValueForObject(child);
    }

    /** Removes every {@code x-className} field, at any depth; true when one was there. */
    static boolean strip(JsonNode node) {
        boolean removed = false;
        if (node instanceof ObjectNode object && object.remove(CLASS_NAME) != null) removed = true;
        for (JsonNode child : node) {
            removed |= strip(child);
        }
        return removed;
    }
}
