package dev.emporium.gateway;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The storefront's one setting from the server: where a shopper or learner sees an order's trace.
 * The pages themselves are static files (src/main/resources/static), served by the gateway at
 * {@code /} with the pages' content security policy ({@link GatewaySecurity#PAGES}).
 */
@RestController
class Storefront {

    private final String traceLink;

    /**
     * @param traceLink a URL with {@code {orderId}} where the order's id goes: the launcher's trace view,
     *        or a Jaeger search by the {@code order.id} tag; empty when there is none to link to
     */
    Storefront(@Value("${emporium.storefront.trace-link:}") String traceLink) {
        this.traceLink = traceLink;
    }

    @GetMapping("/shop/config.json")
    Map<String, String> config() {
        return Map.of("traceLink", traceLink);
    }
}
