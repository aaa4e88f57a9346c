package dev.emporium.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecodedTokensTest {

    final Instant issued = Instant.parse("2026-12-01T10:00:00Z");
    final MovableClock clock = new MovableClock(issued);
    final AtomicInteger decodings = new AtomicInteger();
    final DecodedTokens decoded = new DecodedTokens(validator());

    /** Stands for Nimbus: parses and checks the signature (here: counts), valid for 60 s from {@link #issued}. */
    final JwtDecoder signatureChecking = token -> {
        decodings.incrementAndGet();
        return Jwt.withTokenValue(token).header("alg", "RS256").subject("shopper-" + token).issuedAt(issued)
            .expiresAt(issued.plusSeconds(60)).build();
    };

    @Test
    void aTokenSeenBeforeIsNotDecodedAgainAnotherOneIs() {
        JwtDecoder decoder = decoded.in(signatureChecking);

        Jwt first = decoder.decode("token-a");
        Jwt again = decoder.decode("token-a");
        Jwt other = decoder.decode("token-a-changed");

        assertThat(again).isSameAs(first);
        assertThat(other.getSubject()).isEqualTo("shopper-token-a-changed");
        assertThat(decodings).as("token-a once, the changed one once").hasValue(2);
    }

    @Test
    void aRememberedTokenIsValidatedOnEveryUseAndForgottenOnceItFails() {
        JwtDecoder decoder = decoded.in(signatureChecking);
        decoder.decode("token-a");

        clock.now = issued.plusSeconds(61);

        assertThatThrownBy(() -> decoder.decode("token-a")).isInstanceOf(JwtValidationException.class)
            .hasMessageContaining("Jwt expired");
        assertThat(decoded.recall("token-a")).as("forgotten").isNull();
        assertThat(decodings).hasValue(1);
    }

    @Test
    void theGatewaysReactiveDecoderRemembersTheSameWay() {
        ReactiveJwtDecoder decoder = decoded.in((ReactiveJwtDecoder) token -> Mono.fromCallable(() -> signatureChecking.decode(token)));

        Jwt first = decoder.decode("token-a").block();
        assertThat(decoder.decode("token-a").block()).isSameAs(first);
        assertThat(decodings).hasValue(1);

        clock.now = issued.plusSeconds(61);
        Mono<Jwt> expired = decoder.decode("token-a");
        assertThatThrownBy(expired::block).isInstanceOf(JwtValidationException.class).hasMessageContaining("Jwt expired");
    }

    private JwtTimestampValidator validator() {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
        timestamps.setClock(clock);
        return timestamps;
    }

    static final class MovableClock extends Clock {

        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
