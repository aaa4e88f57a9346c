package dev.emporium.gateway;

import java.net.ConnectException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's key fetch asks again (the balancer picks again) when the instance it reached is gone; a few times. */
class KeyFetchRetryTest {

    final ClientRequest request = ClientRequest.create(HttpMethod.GET, URI.create("http://user-service/.well-known/jwks.json")).build();

    @Test
    void triesAgainWhereTheFirstAttemptMetADeadInstance() {
        AtomicInteger attempts = new AtomicInteger();
        ExchangeFunction balancedCall = each -> Mono.defer(() -> attempts.incrementAndGet() == 1
            ? Mono.error(refused(each))
            : Mono.just(ClientResponse.create(HttpStatus.OK).body("{\"keys\":[]}").build()));

        StepVerifier.create(GatewaySecurity.retriedWhenUnreachable().filter(request, balancedCall))
            .assertNext(response -> assertThat(response.statusCode().value()).isEqualTo(200))
            .verifyComplete();
        assertThat(attempts).hasValue(2);
    }

    @Test
    void givesUpAfterItsAttempts() {
        AtomicInteger attempts = new AtomicInteger();
        ExchangeFunction deadEverywhere = each -> Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(refused(each));
        });

        StepVerifier.create(GatewaySecurity.retriedWhenUnreachable().filter(request, deadEverywhere)).expectError().verify();
        assertThat(attempts).hasValue(GatewaySecurity.KEY_FETCH_ATTEMPTS);
    }

    private static WebClientRequestException refused(ClientRequest request) {
        return new WebClientRequestException(new ConnectException("Connection refused"), request.method(), request.url(), new HttpHeaders());
    }
}
