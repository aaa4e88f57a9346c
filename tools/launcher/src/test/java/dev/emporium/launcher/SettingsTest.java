package dev.emporium.launcher;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SettingsTest {

    @Test
    void defaultsToEmbeddedInfrastructureUnderTheProjectRoot() {
        Settings settings = Settings.from(Map.of("EMPORIUM_ROOT", "/srv/emporium"));

        assertThat(settings.home()).isEqualTo(Path.of("/srv/emporium/.emporium"));
        assertThat(settings.externalDatabase()).isEmpty();
        assertThat(settings.externalKafka()).isEmpty();
        assertThat(settings.port(8080)).isEqualTo(8080);
        assertThat(settings.jar("tools/launcher")).isEqualTo(Path.of("/srv/emporium/tools/launcher/target/launcher.jar"));
    }

    @Test
    void takesExternalPostgresAndKafkaFromTheEnvironment() {
        Settings settings = Settings.from(Map.of("EMPORIUM_ROOT", "/srv/emporium", "EMPORIUM_DB_HOST", "db.internal",
                "EMPORIUM_DB_USERNAME", "shop", "EMPORIUM_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092",
                "EMPORIUM_PORT_OFFSET", "100"));

        assertThat(settings.externalDatabase()).get()
            .isEqualTo(new Settings.ExternalDatabase("db.internal", 5432, "shop", ""));
        assertThat(settings.externalKafka()).contains("kafka-1:9092,kafka-2:9092");
        assertThat(settings.port(8080)).isEqualTo(8180);
    }

    @Test
    void givesTheGatewayOneEventLoopAfterEveryServicesOptionsUnlessToldOtherwise() {
        Settings defaults = Settings.from(Map.of("EMPORIUM_ROOT", "/srv/emporium"));
        Settings told = Settings.from(Map.of("EMPORIUM_ROOT", "/srv/emporium", "EMPORIUM_JAVA_OPTS", "-Xmx256m",
                "EMPORIUM_GATEWAY_JAVA_OPTS", "-Dreactor.netty.ioWorkerCount=4 -Xss512k"));

        assertThat(defaults.javaOptionsOf("order-service")).containsExactly("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC");
        assertThat(defaults.javaOptionsOf("gateway"))
            .containsExactly("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Dreactor.netty.ioWorkerCount=1");
        assertThat(told.javaOptionsOf("inventory-service")).containsExactly("-Xmx256m");
        assertThat(told.javaOptionsOf("gateway")).containsExactly("-Xmx256m", "-Dreactor.netty.ioWorkerCount=4", "-Xss512k");
    }

    @Test
    void runsEveryProcessBehindTheGatewayFiveNicerUnlessToldOtherwise() {
        assertThat(Settings.from(Map.of("EMPORIUM_ROOT", "/srv/emporium")).nice()).isEqualTo(5);
        assertThat(Settings.from(Map.of("EMPORIUM_NICE", "0")).nice()).isZero();
        assertThat(new Priority(5).lowered(java.util.List.of("java", "-jar", "x.jar"))).containsExactly("nice", "-n", "5", "java", "-jar",
                "x.jar");
        assertThat(new Priority(0).lowered(java.util.List.of("java", "-jar", "x.jar"))).containsExactly("java", "-jar", "x.jar");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Settings.from(Map.of("EMPORIUM_NICE", "-5")))
            .withMessageContaining("EMPORIUM_NICE must be 0 to 19");
    }

    @Test
    void explainsAPortOffsetThatIsNotANumber() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Settings.from(Map.of("EMPORIUM_PORT_OFFSET", "ten")))
            .withMessage("EMPORIUM_PORT_OFFSET must be a whole number, not 'ten'");
    }
}
