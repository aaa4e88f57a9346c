package dev.emporium.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;

import dev.emporium.web.ProblemDetailsAdvice;
import dev.emporium.web.RequestSizeLimitFilter;
import dev.emporium.web.SuccessIsNoProblem;

/**
 * A {@link JwtDecoder} that fetches user-service's public keys (through the registry by default),
 * checks RS256 signatures with them, and applies {@link Tokens#validator}. user-service, which holds
 * the keys itself, declares its own decoder instead.
 */
// Before Boot's resource server (our decoder wins) and Boot's MVC (our problem-details advice wins).
@AutoConfiguration(beforeName = { "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(JwtSettings.class)
@Import({ ProblemDetailsAdvice.class, SuccessIsNoProblem.class })
public class ServiceSecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(JwtSettings settings, ObjectProvider<LoadBalancerClient> loadBalancer) {
        RestTemplate http = new KeySetFetch();
        if (settings.jwkSetUriIsLoadBalanced()) {
            http.getInterceptors().add(new LoadBalancerInterceptor(loadBalancer.getObject()));
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetFetchUri()).restOperations(http).build();
        OAuth2TokenValidator<Jwt> validator = Tokens.validator(settings);
        decoder.setJwtValidator(validator);
        return new DecodedTokens(validator).in(decoder);
    }

    /**
     * Spring Security's firewall refuses some methods, paths, headers and parameters; by default with an
     * empty 400 (or Boot's error JSON). Here as a problem saying which ({@link FirewallRefusal}), like
     * every other refusal.
     */
    @Bean
    org.springframework.security.web.firewall.RequestRejectedHandler requestRejectedHandler() {
        return (request, response, rejected) -> {
            FirewallRefusal refusal = FirewallRefusal.of(rejected.getMessage());
            response.setStatus(refusal.status());
            refusal.allow().ifPresent(methods -> response.setHeader(org.springframework.http.HttpHeaders.ALLOW, methods));
            response.setContentType("application/problem+json");
            java.util.Map<String, Object> members = new java.util.LinkedHashMap<>();
            members.put("type", "about:blank");
            members.put("title", org.springframework.http.HttpStatus.valueOf(refusal.status()).getReasonPhrase());
            members.put("status", refusal.status());
            members.put("detail", refusal.detail());
            response.getWriter().write(tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(members));
        };
    }

    /** A request that takes no JSON answer is refused (406) before its handler does anything ({@link dev.emporium.web.AcceptedBeforeDone}). */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Negotiation implements org.springframework.web.servlet.config.annotation.WebMvcConfigurer {

        @Override
        public void addInterceptors(org.springframework.web.servlet.config.annotation.InterceptorRegistry registry) {
            registry.addInterceptor(new dev.emporium.web.AcceptedBeforeDone());
        }
    }

    /** {@code page} and {@code size} within the bounds the OpenAPI documents state, or a 400 (services that page). */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(name = "org.springframework.data.domain.Pageable")
    static class Paging implements org.springframework.web.servlet.config.annotation.WebMvcConfigurer {

        @Override
        public void addInterceptors(org.springframework.web.servlet.config.annotation.InterceptorRegistry registry) {
            registry.addInterceptor(new dev.emporium.web.PageBounds(dev.emporium.web.ApiContract.MAX_PAGE_SIZE));
        }
    }

    /**
     * JSON in and out, as the OpenAPI documents say, and nothing else: a library on the class path
     * (springdoc brings Jackson's YAML) would otherwise let Spring read request bodies in that format too,
     * undocumented and without the strict reading below, and answer in it. Such a body is refused with
     * 415 and such an {@code Accept} with 406, each naming what is taken.
     */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class JsonOnly implements org.springframework.web.servlet.config.annotation.WebMvcConfigurer {

        @Override
        public void configureMessageConverters(org.springframework.http.converter.HttpMessageConverters.ServerBuilder builder) {
            builder.configureMessageConvertersList(converters -> converters.removeIf(converter -> converter.getSupportedMediaTypes().stream()
                .anyMatch(type -> type.getSubtype().contains("yaml") || type.getSubtype().contains("xml")
                        || type.getSubtype().contains("cbor") || type.getSubtype().contains("smile"))));
        }
    }

    /**
     * Request bodies read as the OpenAPI documents type them, or refused with 400: Jackson by default
     * reads {@code "quantity": 1.5} as 1, {@code "quantity": "2"} as 2, {@code "name": 12345} as a
     * name, and the last of two {@code quantity} keys; Spring Boot's mapper also passes over a field
     * it does not know. A shopper who sent 1.5 would get an order of one without a word, an
     * administrator who wrote {@code "categroy"} a product without its category; a contract tester that
     * sends what the schema forbids (every request schema says {@code additionalProperties: false})
     * expects a 400. Messages read from Kafka are not read by this mapper: {@code MessageJson} passes
     * over what a newer sender adds.
     */
    @Bean
    org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer strictRequestBodies() {
        return builder -> builder
            .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(tools.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(tools.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(tools.jackson.databind.type.LogicalType.Textual, text -> text
                .setCoercion(tools.jackson.databind.cfg.CoercionInputShape.Integer, tools.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(tools.jackson.databind.cfg.CoercionInputShape.Float, tools.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(tools.jackson.databind.cfg.CoercionInputShape.Boolean, tools.jackson.databind.cfg.CoercionAction.Fail));
    }

    /** Every service's own limit on request bodies, behind the gateway's. */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(
            @org.springframework.beans.factory.annotation.Value("${emporium.web.max-body-size:64KB}") org.springframework.util.unit.DataSize max) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new RequestSizeLimitFilter(max.toBytes()));
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
