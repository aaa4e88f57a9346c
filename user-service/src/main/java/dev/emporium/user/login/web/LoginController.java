package dev.emporium.user.login.web;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
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

@RestController
class LoginController {

    private final Login login;
    private final Map<String, Object> jwks;

    LoginController(Login login, SigningKey key) {
        this.login = login;
        this.jwks = key.publicJwks();
    }

    record LoginRequest(@NotNull String email, @NotNull String password) {
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn) {
    }

    @PostMapping("/api/users/login")
    TokenResponse login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        // behind the gateway, the client's address it forwarded in X-Client-Address (server.tomcat.remoteip)
        AccessToken token = login.login(request.email(), request.password(), http.getRemoteAddr());
        return new TokenResponse(token.value(), "Bearer", token.expiresIn().toSeconds());
    }

    @GetMapping("/.well-known/jwks.json")
    Map<String, Object> jwks() {
        return jwks;
    }

    @ExceptionHandler(LoginRefusedException.class)
    ProblemDetail refused(LoginRefusedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, e.getMessage());
    }

    @ExceptionHandler(LoginLockedException.class)
    ResponseEntity<ProblemDetail> locked(LoginLockedException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
            .body(ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage()));
    }
}
