package dev.emporium.gateway;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Who is calling, for the rate limits and for user-service's login throttle. The connecting address,
 * unless that is a trusted proxy ({@code emporium.gateway.trusted-proxies}, CIDR ranges; the k8s
 * Ingress): then the right-most address in {@code X-Forwarded-For} that is not itself a trusted proxy.
 * A client that talks to the gateway directly cannot choose its own bucket by sending that header.
 * <p>
 * The request goes on with that address as its remote address, and downstream in {@value #HEADER}
 * (whatever the client sent in it is dropped), which user-service reads through Tomcat's RemoteIpValve
 * ({@code server.tomcat.remoteip.remote-ip-header}). Not in X-Forwarded-For: Spring Cloud Gateway
 * removes that header unless it trusts the sender itself.
 */
@Component
class ClientAddress implements WebFilter, Ordered {

    /** First of all: the body limit and the rate limits key on what this decides. */
    static final int ORDER = -400;

    /** The header that carries the client's address to the services. */
    static final String HEADER = "X-Client-Address";

    private final List<IpSubnetFilterRule> trustedProxies;

    ClientAddress(@Value("${emporium.gateway.trusted-proxies:}") List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(String::strip).filter(range -> !range.isEmpty()).map(ClientAddress::range)
            .toList();
    }

    /** A CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}); a lone address is a range of one. */
    private static IpSubnetFilterRule range(String cidr) {
        String[] parts = cidr.split("/", 2);
        int bits = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : (parts[0].contains(":") ? 128 : 32);
        return new IpSubnetFilterRule(parts[0].strip(), bits, IpFilterRuleType.ACCEPT);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        InetSocketAddress remote = request.getRemoteAddress();
        String connecting = remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
        String client = clientOf(connecting, request.getHeaders().get("X-Forwarded-For"));
        ServerHttpRequest.Builder mutated = request.mutate().headers(headers -> {
            headers.remove(HEADER);
            if (client != null) {
                headers.set(HEADER, client);
            }
        });
        if (client != null && !client.equals(connecting)) {
            mutated.remoteAddress(new InetSocketAddress(literal(client), remote.getPort()));
        }
        return chain.filter(exchange.mutate().request(mutated.build()).build());
    }

    /** The client's address: the connecting one, or behind trusted proxies the first untrusted hop from the right. */
    String clientOf(String connecting, List<String> forwardedFor) {
        if (connecting == null || !trusted(connecting) || forwardedFor == null) {
            return connecting;
        }
        List<String> hops = forwardedFor.stream().flatMap(value -> java.util.Arrays.stream(value.split(","))).map(String::strip)
            .filter(hop -> !hop.isEmpty()).toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!isAddress(hop)) {
                return connecting; // a malformed header from a trusted proxy: keep the proxy's own address
            }
            if (!trusted(hop)) {
                return hop;
            }
        }
        return hops.isEmpty() ? connecting : hops.getFirst();
    }

    /** An address already checked to be a literal: no name is looked up. */
    private static java.net.InetAddress literal(String address) {
        try {
            return java.net.InetAddress.getByName(address);
        }
        catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("not an address literal: " + address, e);
        }
    }

    private boolean trusted(String address) {
        if (trustedProxies.isEmpty()) {
            return false;
        }
        InetSocketAddress socket = new InetSocketAddress(literal(address), 0);
        return trustedProxies.stream().anyMatch(range -> range.matches(socket));
    }

    private static boolean isAddress(String hop) {
        return hop.matches("[0-9.]{7,15}") || (hop.contains(":") && hop.matches("[0-9a-fA-F:.]{2,45}"));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
