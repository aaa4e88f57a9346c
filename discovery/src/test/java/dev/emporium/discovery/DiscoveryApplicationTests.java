package dev.emporium.discovery;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DiscoveryApplicationTests {

    @LocalServerPort
    int port;

    @Test
    void servesTheRegistryToClients() {
        String applications = RestClient.create("http://localhost:" + port)
            .get().uri("/eureka/apps")
            .accept(MediaType.APPLICATION_JSON)
            .retrieve()
            .body(String.class);

        assertThat(applications).contains("\"applications\"");
    }
}
