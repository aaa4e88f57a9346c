package dev.emporium.security;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

import dev.emporium.web.ApiContract;
import dev.emporium.web.ValidationInDocuments;

/**
 * What every service's OpenAPI document (springdoc, {@code /v3/api-docs}) says about itself: its
 * name, that it is reached through the gateway (server {@code /}, so the Swagger UI at the gateway
 * sends its requests there), and that it takes the platform's bearer tokens.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(OpenAPI.class)
public class ApiDocumentation {

    @Bean
    @ConditionalOnMissingBean
    OpenAPI serviceOpenApi(@Value("${spring.application.name:service}") String service) {
        return new OpenAPI()
            .info(new Info().title("Emporium " + service).version("0.1.0")
                .description("Reached through the gateway. Log in with POST /api/users/login and use the token as a bearer token."))
            .servers(List.of(new Server().url("/").description("the gateway")))
            .components(new Components().addSecuritySchemes("bearer",
                    new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
            .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    /**
     * OpenAPI 3.0 rather than springdoc's default 3.1: the version that client generators, request
     * validators and contract testers read fully (docs/adr/0011-openapi-3-0-documents.md). The documents
     * are the platform's contract, not a setting.
     */
    @Bean
    static BeanPostProcessor openApi30() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof SpringDocConfigProperties springdoc) {
                    springdoc.getApiDocs().setVersion(SpringDocConfigProperties.ApiDocs.OpenApiVersion.OPENAPI_3_0);
                }
                return bean;
            }
        };
    }

    /** Who may call each operation, the errors every one can answer and their bodies (see {@link ApiContract}). */
    @Bean
    ApiContract apiContract() {
        return new ApiContract();
    }

    /** What Bean Validation refuses, said in the schemas too (see {@link ValidationInDocuments}). */
    @Bean
    ValidationInDocuments validationInDocuments(org.springframework.core.env.Environment environment) {
        return new ValidationInDocuments(dev.emporium.web.ShopCurrency.Check.of(environment));
    }
}
