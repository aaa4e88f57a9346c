package dev.emporium.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each of the firewall's refusals, as its exception words it (Spring Security's StrictHttpFirewall), told as what it is. */
class FirewallRefusalTest {

    @Test
    void aMethodNoPathTakesIs405WithTheMethodsTheFirewallLetsThrough() {
        FirewallRefusal refusal = FirewallRefusal.of("The request was rejected because the HTTP method \"TRACE\" was not included within the"
                + " list of allowed HTTP methods [DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT]");

        assertThat(refusal.status()).isEqualTo(405);
        assertThat(refusal.allow()).hasValue("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
        assertThat(refusal.detail()).contains("HTTP method TRACE");
    }

    @Test
    void aPathAHeaderAParameterOrAHostIs400SayingWhich() {
        assertThat(FirewallRefusal.of("The request was rejected because the URL contained a potentially malicious String \"%2F\""))
            .satisfies(refusal -> assertThat(refusal.status()).isEqualTo(400))
            .satisfies(refusal -> assertThat(refusal.detail()).contains("path"));
        assertThat(FirewallRefusal.of("The request was rejected because the header: \"X-Bad \" has a value \"a\u0001b\" that is not allowed.")
            .detail()).contains("request header");
        assertThat(FirewallRefusal.of("The request was rejected because the parameter name \"a\u0001\" is not allowed.").detail())
            .contains("query parameter");
        assertThat(FirewallRefusal.of("The request was rejected because the domain evil.example is untrusted.").detail()).contains("Host");
        assertThat(FirewallRefusal.of("The request was rejected because the HTTP method \"TRACE\" was not allowed").allow()).isPresent();
        assertThat(FirewallRefusal.of(null).allow()).isEmpty();
    }
}
