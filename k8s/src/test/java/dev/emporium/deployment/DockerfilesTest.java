package dev.emporium.deployment;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each deployable's image recipe (no Docker here to build them): built in a separate stage, run from
 * Spring Boot's layers as an unprivileged user, heap sized from the container limit, and no
 * HEALTHCHECK (compose and Kubernetes probe the health groups themselves).
 */
class DockerfilesTest {

    @ParameterizedTest
    @ValueSource(strings = { "discovery", "gateway", "user-service", "inventory-service", "order-service" })
    void buildsTheModuleInOneStageAndRunsItsLayersUnprivilegedInAnother(String module) throws IOException {
        String dockerfile = Files.readString(Overlay.ROOT.resolve(module).resolve("Dockerfile"));

        assertThat(dockerfile.lines().filter(line -> line.startsWith("FROM "))).as("stages").hasSize(2);
        assertThat(dockerfile).contains("-pl " + module + " -am", "-Djarmode=tools -jar " + module + "/target/" + module + ".jar extract --layers");
        assertThat(dockerfile).contains("COPY --from=build /layers/dependencies/", "COPY --from=build /layers/application/");
        assertThat(dockerfile.lines().filter(line -> line.startsWith("USER "))).singleElement().asString()
            .matches("USER [1-9][0-9]{3,}(:[1-9][0-9]{3,})?");
        assertThat(dockerfile).contains("-XX:MaxRAMPercentage=").doesNotContain("HEALTHCHECK").doesNotContain("-Xmx");
        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"" + module + ".jar\"]");
    }
}
