package dev.emporium.gateway;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.netty.channel.AbortedException;
import reactor.test.StepVerifier;

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

    /**
     * Seen at 60 orders/s in the benchmark: clients that timed out produced, per request, a warning that
     * the service was unreachable, an error with a stack trace, and a second error from writing a 503
     * onto an answer already sent. A caller that left is none of those.
     */
    @Test
    void aCallerThatClosedItsConnectionIsNotAnUnreachableServiceAndGetsNothingWritten() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/orders"));
        var handler = new ProblemErrorHandler(null); // would fail if it tried to write a problem

        StepVerifier.create(handler.handle(exchange, new RuntimeException(AbortedException.beforeSend()))).verifyComplete();
        assertThat(ProblemErrorHandler.isClientGone(AbortedException.beforeSend())).isTrue();
        assertThat(ProblemErrorHandler.isClientGone(new ConnectException("Connection refused"))).isFalse();
        assertThat(exchange.getResponse().getStatusCode()).isNull();
    }

    @Test
    void anAnswerAlreadyUnderWayIsNotOverwrittenWithAProblem() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/orders/1"));
        exchange.getResponse().setStatusCode(HttpStatus.OK);
        var failure = new IllegalStateException(new ConnectException("Connection reset"));
        StepVerifier.create(exchange.getResponse().setComplete()).verifyComplete();

        StepVerifier.create(new ProblemErrorHandler(null).handle(exchange, failure)).verifyErrorSatisfies(
                error -> assertThat(error).isSameAs(failure));
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
    }
}
