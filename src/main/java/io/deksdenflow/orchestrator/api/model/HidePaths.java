package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.deksdenflow.orchestrator.http.ServerPaths;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Writes a text field of a view ({@code last_error}, an event's message, a QA report, a run's error)
 * with the server's absolute paths replaced by placeholders ({@link ServerPaths}; nothing is replaced
 * when DEKSDENFLOW_EXPOSE_PATHS=true). Made by Spring's Jackson handler instantiator.
 */
public class HidePaths extends StdSerializer<String> {
    private final transient ServerPaths paths;

    public HidePaths() {
        this(null);
    }

    @Autowired
    public HidePaths(ServerPaths paths) {
        super(String.class);
        this.paths = paths;
    }

    @Override
    public void serialize(String value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(paths == null ? value : paths.hide(value));
    }

    /** The same for an event's metadata: every string in it, nested maps and lists included. */
    public static class InMetadata extends StdSerializer<Map<String, Object>> {
        private final transient ServerPaths paths;

        public InMetadata() {
            this(null);
        }

        @Autowired
        @SuppressWarnings({"unchecked", "rawtypes"})
        public InMetadata(ServerPaths paths) {
            super((Class) Map.class);
            this.paths = paths;
        }

        @Override
        public void serialize(Map<String, Object> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            provider.defaultSerializeValue(paths == null ? value : hide(value), gen);
        }

        private Object hide(Object v) {
            if (v instanceof String s) return paths.hide(s);
            if (v instanceof Map<?, ?> m) {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(k, hide(x)));
                return out;
            }
            if (v instanceof List<?> l) return l.stream().map(this::hide).toList();
            return v;
        }
    }
}
