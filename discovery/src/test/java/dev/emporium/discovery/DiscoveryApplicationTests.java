package dev.emporium.discovery;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "EMPORIUM_EUREKA_USERNAME=registry-test", "EMPORIUM_EUREKA_PASSWORD=a-registry-test-password" })
class DiscoveryApplicationTests {

    static final String INSTANCE = """
            {"instance":{"instanceId":"probe","hostName":"evil.example","app":"USER-SERVICE","ipAddr":"192.0.2.1",
             "status":"UP","port":{"$":8081,"@enabled":"true"},"dataCenterInfo":{"@class":
             "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"}}}""";

    @LocalServerPort
    int port;

    @Test
    void servesTheRegistryToClientsWithItsCredentials() {
        String applications = http().get().uri("/eureka/apps").headers(headers -> headers.setBasicAuth("registry-test",
                "a-registry-test-password"))
            .accept(MediaType.APPLICATION_JSON)
            .retrieve()
            .body(String.class);

        assertThat(applications).contains("\"applications\"");
    }

    @Autowired
    UserDetailsService users;

    @Autowired
    PasswordEncoder passwords;

    /**
     * Every client renews its lease and fetches the registry every second: the secret is compared, not
     * hashed with BCrypt on every call (which kept a third of a core busy).
     */
    @Test
    void checksTheRegistrySecretWithoutHashingIt() {
        String stored = users.loadUserByUsername("registry-test").getPassword();

        assertThat(stored).doesNotStartWith("{bcrypt}").doesNotStartWith("$2");
        assertThat(passwords.matches("a-registry-test-password", stored)).isTrue();
        assertThat(passwords.matches("a-registry-test-passworD", stored)).isFalse();
        assertThat(passwords.matches("", stored)).isFalse();
    }

    @Test
    void refusesAnonymousReadsAndWritesWith401() {
        int read = http().get().uri("/eureka/apps").accept(MediaType.APPLICATION_JSON).exchange((request, response) ->
                response.getStatusCode().value());
        int register = http().post().uri("/eureka/apps/USER-SERVICE").contentType(MediaType.APPLICATION_JSON).body(INSTANCE)
            .exchange((request, response) -> response.getStatusCode().value());
        int wrongPassword = http().post().uri("/eureka/apps/USER-SERVICE").headers(headers -> headers.setBasicAuth("registry-test",
                "guessed")).contentType(MediaType.APPLICATION_JSON).body(INSTANCE)
            .exchange((request, response) -> response.getStatusCode().value());

        assertThat(read).isEqualTo(401);
        assertThat(register).isEqualTo(401);
        assertThat(wrongPassword).isEqualTo(401);
        String applications = http().get().uri("/eureka/apps/USER-SERVICE").headers(headers -> headers.setBasicAuth("registry-test",
                "a-registry-test-password")).accept(MediaType.APPLICATION_JSON).exchange((request, response) ->
                response.getStatusCode().value() + "");
        assertThat(applications).as("no USER-SERVICE was registered").isEqualTo("404");
    }

    private RestClient http() {
        return RestClient.builder().requestFactory(new JdkClientHttpRequestFactory()).baseUrl("http://localhost:" + port).build();
    }
}
