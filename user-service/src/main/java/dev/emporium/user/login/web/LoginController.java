package dev.emporium.user.login.web;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.emporium.user.login.Login;
import dev.emporium.user.login.Login.AccessToken;
import dev.emporium.user.login.Login.LoginLockedException;
import dev.emporium.user.login.Login.LoginRefusedException;
import dev.emporium.user.login.SigningKey;
import dev.emporium.web.Access;

@RestController
@Tag(name = "Login", description = "Access tokens, and the public keys that verify them")
class LoginController {

    private final Login login;
    private final Map<String, Object> jwks;

    LoginController(Login login, SigningKey key) {
        this.login = login;
        this.jwks = key.publicJwks();
    }

    @Schema(name = "Credentials", description = "An account's email and password")
    record LoginRequest(@Schema(example = "ada@example.com") @NotNull String email,
            @Schema(example = "correct horse battery") @NotNull String password) {
    }

    @Schema(description = "A bearer token for every other call")
    record TokenResponse(@Schema(description = "A signed JWT: send it as `Authorization: Bearer <token>`",
            requiredMode = Schema.RequiredMode.REQUIRED) String accessToken,
            @Schema(example = "Bearer", requiredMode = Schema.RequiredMode.REQUIRED) String tokenType,
            @Schema(description = "Seconds until it expires", example = "900", requiredMode = Schema.RequiredMode.REQUIRED) long expiresIn) {
    }

    /**
     * Exchanges an e-mail address and password for a bearer token. Wrong passwords are counted per
     * account and client address; after too many the pair is locked for a doubling time (429).
     */
    @PostMapping("/api/users/login")
    @Operation(operationId = "logIn", summary = "Log in: exchange an email and password for an access token")
    @Access(Access.Level.ANONYMOUS)
    @ApiResponse(responseCode = "200", description = "The token")
    @ApiResponse(responseCode = "401", description = "Unknown e-mail address or wrong password",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "`Bearer`: the scheme to authenticate with",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "429", description = "Too many failed logins for this account from this address, or too many"
            + " requests; retry after `Retry-After` seconds")
    TokenResponse login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        // behind the gateway, the client's address it forwarded in X-Client-Address (server.tomcat.remoteip)
        AccessToken token = login.login(request.email(), request.password(), http.getRemoteAddr());
        return new TokenResponse(token.value(), "Bearer", token.expiresIn().toSeconds());
    }

    /** A JSON Web Key Set (RFC 7517), as the document describes it; the body is Nimbus's own rendering of the keys. */
    @Schema(name = "KeySet", description = "A JSON Web Key Set (RFC 7517)")
    record KeySet(@Schema(description = "The keys tokens may be signed with, one per `kid`", requiredMode = Schema.RequiredMode.REQUIRED)
            java.util.List<Key> keys) {
    }

    /** One public key; RFC 7517 allows members beyond these, so the schema stays open. */
    @Schema(name = "Key", description = "A public JSON Web Key", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
    record Key(@Schema(description = "Key type", example = "RSA", requiredMode = Schema.RequiredMode.REQUIRED) String kty,
            @Schema(description = "Key id: a token's `kid` header names it", requiredMode = Schema.RequiredMode.REQUIRED) String kid,
            @Schema(description = "RSA modulus, base64url", requiredMode = Schema.RequiredMode.REQUIRED) String n,
            @Schema(description = "RSA public exponent, base64url", example = "AQAB", requiredMode = Schema.RequiredMode.REQUIRED) String e) {
    }

    /** The public keys that verify the tokens (JWKS): what the gateway and the services check tokens with. */
    @GetMapping("/.well-known/jwks.json")
    @Operation(operationId = "getKeySet", summary = "The public keys that verify access tokens (JWKS)")
    @Access(Access.Level.ANONYMOUS)
    @ApiResponse(responseCode = "200", description = "The key set (RFC 7517)",
            content = @io.swagger.v3.oas.annotations.media.Content(schema = @Schema(implementation = KeySet.class)))
    Map<String, Object> jwks() {
        return jwks;
    }

    /** A 401 names the scheme to authenticate with (RFC 9110), as the 401s of the token checks do. */
    @ExceptionHandler(LoginRefusedException.class)
    ResponseEntity<ProblemDetail> refused(LoginRefusedException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
            .body(ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, e.getMessage()));
    }

    @ExceptionHandler(LoginLockedException.class)
    ResponseEntity<ProblemDetail> locked(LoginLockedException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
            .body(ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage()));
    }
}
