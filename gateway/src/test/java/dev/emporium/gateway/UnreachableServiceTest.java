package dev.emporium.gateway;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A service instance that died under the gateway is a 503 to retry, not a 502 (the chaos run found 1,798 of those). */
class UnreachableServiceTest {

    @Test
    void aRefusedOrDroppedConnectionMeansTheServiceIsUnreachable() {
        assertThat(ProblemErrorHandler.isUnreachable(new IllegalStateException(new ConnectException("Connection refused")))).isTrue();
        assertThat(ProblemErrorHandler.isUnreachable(new RuntimeException(new java.nio.channels.ClosedChannelException()))).isTrue();
    }

    @Test
    void anythingElseIsNot() {
        assertThat(ProblemErrorHandler.isUnreachable(new IllegalArgumentException("bad header"))).isFalse();
    }
}
