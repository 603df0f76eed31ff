package io.deksdenflow.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.testsupport.OpenApiResponses;
import org.junit.jupiter.api.Test;

/** The live-response check itself: a body that drifts from its documented schema is reported. */
class OpenApiResponsesTest {
    private static final String DOC = """
            {"openapi": "3.0.0", "paths": {
              "/things/{id}": {"get": {"responses": {
                "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}}}},
              "/things/{id}/actions/poke": {"post": {"responses": {"202": {"description": "no body"}}}}},
             "components": {"schemas": {
              "Thing": {"type": "object", "required": ["id", "name"], "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}, "note": {"type": "string", "nullable": true},
                "owner": {"anyOf": [{"$ref": "#/components/schemas/Owner"},
                  {"type": "object", "nullable": true, "enum": [null]}]}}},
              "Owner": {"type": "object", "required": ["login"], "properties": {"login": {"type": "string"}}},
              "ErrorBody": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
                "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}}}
            """;

    private final OpenApiResponses contract;

    OpenApiResponsesTest() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(DOC);
        contract = new OpenApiResponses(doc);
    }

    @Test
    void aMatchingBodyPasses() {
        assertThat(contract.problems("GET", "/things/7?x=1", 200,
                "{\"id\": 7, \"name\": \"a\", \"note\": null, \"owner\": {\"login\": \"me\"}}")).isEmpty();
        assertThat(contract.problems("GET", "/things/7", 200, "{\"id\": 7, \"name\": \"a\", \"owner\": null}")).isEmpty();
        assertThat(contract.problems("GET", "/things/7", 404, "{\"error\": {\"code\": \"not_found\", \"message\": \"m\"}}"))
                .isEmpty();
    }

    @Test
    void aDriftedBodyFails() {
        // a property of the wrong type
        assertThat(contract.problems("GET", "/things/7", 200, "{\"id\": \"seven\", \"name\": \"a\"}"))
                .singleElement().asString().contains("$.id").contains("string found, integer expected");
        // a missing required property, at the top and inside a referenced schema
        assertThat(contract.problems("GET", "/things/7", 200, "{\"id\": 7}")).singleElement().asString().contains("name");
        assertThat(contract.problems("GET", "/things/7", 200, "{\"id\": 7, \"name\": \"a\", \"owner\": {}}"))
                .anySatisfy(p -> assertThat(p).contains("login"));
        assertThat(contract.problems("GET", "/things/7", 404, "{\"error\": {\"code\": \"not_found\"}}"))
                .singleElement().asString().contains("message");
        // null where the schema does not allow it
        assertThat(contract.problems("GET", "/things/7", 200, "{\"id\": 7, \"name\": null}")).hasSize(1);
    }

    @Test
    void anUndocumentedStatusOrPathOrBodyFails() {
        assertThat(contract.problems("GET", "/things/7", 500, "{}")).singleElement().asString()
                .contains("status 500 is not documented");
        assertThat(contract.problems("GET", "/nothing", 200, "{}")).singleElement().asString().contains("no path");
        assertThat(contract.problems("POST", "/things/7/actions/poke", 202, "{}")).singleElement().asString()
                .contains("no application/json schema");
        assertThat(contract.problems("GET", "/things/7", 200, "not json")).singleElement().asString().contains("not JSON");
    }

    @Test
    void aLiteralPathBeatsATemplate() {
        assertThat(contract.template("/things/7/actions/poke")).isEqualTo("/things/{id}/actions/poke");
        assertThat(contract.template("/things/7")).isEqualTo("/things/{id}");
    }
}
