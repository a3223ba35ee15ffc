package io.github.taniumroutes.e2e;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** Validates messages against the JSON Schemas users are given in config/schemas (resolved locally). */
public final class Schemas {

    private static final String ID_PREFIX = "https://github.com/taniumroutes/tanium-response-routes/config/schemas/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(ID_PREFIX,
                    Path.of("config/schemas").toAbsolutePath().toUri().toString())));

    private Schemas() {
    }

    /** The violations of {@code document} against config/schemas/{@code schemaFile}; empty when it conforms. */
    public static Set<String> violations(String schemaFile, JsonNode document) {
        JsonSchema schema = FACTORY.getSchema(java.net.URI.create(ID_PREFIX + schemaFile));
        return schema.validate(document).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }
}
