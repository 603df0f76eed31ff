package io.deksdenflow.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.forge.Forges;
import java.io.IOException;
import java.util.List;
import java.util.Map;
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
 * come from there). Camel takes the one {@link RestApiProcessorFactory} in the registry before looking
 * on the classpath.
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

    /** Camel's processor (a service: started and stopped with this one), then the extensions removed. */
    private final class Stripped extends ServiceSupport implements Processor {
        private final Processor document;

        Stripped(Processor document) {
            this.document = document;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            document.process(exchange);
            withoutClassNames(exchange);
        }

        @Override
        protected void doStart() {
            ServiceHelper.startService(document);
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
        boolean changed = strip(doc);
        changed |= listForges(doc);
        if (!changed) return;
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
    private boolean listForges(JsonNode doc) {
        boolean changed = false;
        for (JsonNode schema : doc.path("components").path("schemas")) {
            if (schema.path("properties").path("ci_provider") instanceof ObjectNode property) {
                ArrayNode values = property.putArray("enum");
                forgeIds.forEach(values::add);
                values.addNull();
                property.put("nullable", true);
                changed = true;
            }
        }
        return changed;
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
