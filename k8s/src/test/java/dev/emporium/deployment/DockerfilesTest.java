package dev.emporium.deployment;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one image recipe of the five deployables (no Docker here to build it): the module chosen by a
 * build argument, built in a separate stage, run from Spring Boot's layers as an unprivileged user,
 * and no HEALTHCHECK (compose and Kubernetes probe the health groups themselves).
 */
class DockerfilesTest {

    @Test
    void oneDockerfileBuildsTheModuleItIsGivenInOneStageAndRunsItsLayersUnprivilegedInAnother() throws IOException {
        String dockerfile = Files.readString(Overlay.ROOT.resolve("Dockerfile"));

        assertThat(dockerfile.lines().filter(line -> line.startsWith("FROM "))).as("stages").hasSize(2);
        assertThat(dockerfile).contains("ARG SERVICE", "-pl \"${SERVICE}\" -am",
                "-Djarmode=tools -jar \"${SERVICE}/target/${SERVICE}.jar\" extract --layers");
        assertThat(dockerfile).contains("COPY --from=build /layers/dependencies/", "COPY --from=build /layers/application/");
        assertThat(dockerfile.lines().filter(line -> line.startsWith("USER "))).singleElement().asString()
            .matches("USER [1-9][0-9]{3,}(:[1-9][0-9]{3,})?");
        assertThat(dockerfile).doesNotContain("HEALTHCHECK").contains("ENTRYPOINT [\"java\", \"-jar\", \"app.jar\"]");
        assertThat(DockerComposeTest.PLATFORM).as("no copy per module any more").allSatisfy(module ->
                assertThat(Overlay.ROOT.resolve(module).resolve("Dockerfile")).doesNotExist());
    }

    /** A plain `docker run` without the manifests' settings still gets a JVM that fits the smallest container limit. */
    @Test
    void theImagesOwnMemorySettingsFitTheSmallestLimitByTheRule() throws IOException {
        String dockerfile = Files.readString(Overlay.ROOT.resolve("Dockerfile"));
        String options = dockerfile.lines().filter(line -> line.startsWith("ENV JAVA_TOOL_OPTIONS=")).findFirst().orElseThrow()
            .replaceFirst("ENV JAVA_TOOL_OPTIONS=", "").replace("\"", "");
        assertThat(JvmMemory.parse(options).needsMiB()).isLessThanOrEqualTo(512);
    }
}
