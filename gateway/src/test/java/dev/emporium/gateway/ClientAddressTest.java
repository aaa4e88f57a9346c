package dev.emporium.gateway;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** X-Forwarded-For is believed only from a trusted proxy, and only up to the first hop that is not one. */
class ClientAddressTest {

    ClientAddress behindIngress = new ClientAddress(List.of("10.0.0.0/8"));
    ClientAddress direct = new ClientAddress(List.of());

    @Test
    void aDirectClientIsItsConnectingAddressWhateverItSends() {
        assertThat(direct.clientOf("127.0.0.2", List.of("198.51.100.7"))).isEqualTo("127.0.0.2");
        assertThat(behindIngress.clientOf("192.0.2.1", List.of("198.51.100.7"))).isEqualTo("192.0.2.1");
    }

    @Test
    void behindATrustedProxyTheClientIsTheRightMostUntrustedHop() {
        assertThat(behindIngress.clientOf("10.1.2.3", List.of("198.51.100.7"))).isEqualTo("198.51.100.7");
        assertThat(behindIngress.clientOf("10.1.2.3", List.of("6.6.6.6, 198.51.100.7, 10.9.9.9")))
            .as("what the client itself put in front is not believed").isEqualTo("198.51.100.7");
        assertThat(behindIngress.clientOf("10.1.2.3", null)).isEqualTo("10.1.2.3");
        assertThat(behindIngress.clientOf("10.1.2.3", List.of("not-an-address"))).isEqualTo("10.1.2.3");
    }
}
