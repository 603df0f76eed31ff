package io.deksdenflow.orchestrator.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port with its own SQLite file, in the api role (no worker consumes
 * the jobs the actions enqueue, so statuses stay where the actions put them).
 */
@SlowTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTestBase {

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        // one database per Spring context: cached contexts must not relay each other's outbox rows
        String DB = TestDatabases.sqlitePath();
        r.add("deksdenflow.db-path", () -> DB);
        r.add("deksdenflow.role", () -> "api");
        r.add("deksdenflow.routes-dir", () -> DB + ".no-routes");
        r.add("deksdenflow.workspace", () -> DB + ".workspace");
    }

    protected Http http() {
        return new Http(port);
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected JsonNode createProject(Http http, Map<String, Object> extra) {
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("name", unique("proj"));
        body.put("git_url", "file:///tmp/does-not-matter.git");
        body.putAll(extra);
        Http.Response r = http.post("/projects", body);
        if (r.status() != 201) throw new AssertionError("create project: " + r.status() + " " + r.body());
        return r.json();
    }

    protected JsonNode createProtocol(Http http, long projectId, String name) {
        Http.Response r = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", name));
        if (r.status() != 201) throw new AssertionError("create protocol: " + r.status() + " " + r.body());
        return r.json();
    }
}
