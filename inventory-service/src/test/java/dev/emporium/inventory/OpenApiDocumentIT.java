package dev.emporium.inventory;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ActiveProfiles;

import dev.emporium.testsupport.OpenApiDocuments;
import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestHttp;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document this service serves is the one committed in docs/openapi (see {@link OpenApiDocuments}). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "inventory")
@TrustTestTokens
class OpenApiDocumentIT {

    @LocalServerPort
    int port;

    @Test
    void theCommittedDocumentIsTheOneTheServiceServes() {
        var served = TestHttp.localPort(port).get("/v3/api-docs", null);
        assertThat(served.getStatusCode()).isEqualTo(HttpStatus.OK);
        OpenApiDocuments.assertCommitted("inventory-service", served.getBody());
    }
}
