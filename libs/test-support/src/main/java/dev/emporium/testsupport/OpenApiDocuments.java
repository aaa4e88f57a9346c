package dev.emporium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI documents the services serve, committed under {@code docs/openapi/}: what clients are
 * generated from and what a reader browses. Each service's {@code *ServiceIT.servesTheCommittedOpenApiDocument}
 * fails when what it serves differs from its committed file, so the two cannot drift; with
 * {@code -Demporium.openapi.write=true} it writes the file instead.
 */
public final class OpenApiDocuments {

    public static final String WRITE = "emporium.openapi.write";

    private static final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private OpenApiDocuments() {
    }

    /** The repository's {@code docs/openapi/<service>.json}. */
    public static Path committed(String service) {
        Path directory = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (directory != null && !Files.isRegularFile(directory.resolve("emporium"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("No repository root (a directory with the emporium script) above " + System.getProperty("user.dir"));
        }
        return directory.resolve("docs/openapi").resolve(service + ".json");
    }

    public static void assertCommitted(String service, String served) {
        Path file = committed(service);
        JsonNode document = json.readTree(served);
        String pretty = json.writeValueAsString(document) + "\n";
        try {
            if (Boolean.getBoolean(WRITE)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, pretty, StandardCharsets.UTF_8);
                return;
            }
            assertThat(file).as("docs/openapi/" + service + ".json (write it with -D" + WRITE + "=true)").exists();
            assertThat(json.readTree(Files.readString(file)))
                .as("docs/openapi/" + service + ".json is what " + service + " serves at /v3/api-docs; after changing its API, run"
                        + " ./mvnw -pl " + service + " -am verify -D" + WRITE + "=true and commit the file")
                .isEqualTo(document);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
