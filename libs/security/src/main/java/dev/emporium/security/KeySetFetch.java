package dev.emporium.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.RequestEntity;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestTemplate;

/**
 * How a service fetches user-service's public keys: a {@link RestTemplate} (the decoder's client) that
 * tries again, up to {@value #ATTEMPTS} times, when the instance it reached cannot be reached. Through the
 * registry each attempt goes to the instance the load balancer picks next, so a dead instance still
 * listed costs one refused connection, not a 503 for the shopper whose token needed the keys.
 */
final class KeySetFetch extends RestTemplate {

    static final int ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(KeySetFetch.class);

    @Override
    public <T> ResponseEntity<T> exchange(RequestEntity<?> request, Class<T> responseType) {
        for (int attempt = 1; ; attempt++) {
            try {
                return super.exchange(request, responseType);
            }
            catch (ResourceAccessException unreachable) {
                if (attempt == ATTEMPTS) {
                    throw unreachable;
                }
                log.warn("Fetching the token keys from {} failed ({}); trying again (attempt {} of {})", request.getUrl(),
                        unreachable.getMostSpecificCause().getMessage(), attempt + 1, ATTEMPTS);
            }
        }
    }
}
