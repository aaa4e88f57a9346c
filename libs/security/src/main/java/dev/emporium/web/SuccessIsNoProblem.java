package dev.emporium.web;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * A successful answer is never labelled {@code application/problem+json}. Spring's JSON converter
 * writes every {@code application/*+json} type, so a client that accepts problems only
 * ({@code Accept: application/problem+json}) would get an order or a product under that label, and a
 * client that reads the label would take it for an error. It gets 406 instead, as a problem that names
 * what the operation answers; an error is still answered to it as a problem. A client that accepts
 * plain JSON as well gets the answer as {@code application/json}, whichever type it named first.
 */
@ControllerAdvice
public final class SuccessIsNoProblem implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
        if (body == null || body instanceof ProblemDetail || !MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(selectedContentType)
                || !(response instanceof ServletServerHttpResponse servlet) || servlet.getServletResponse().getStatus() >= 400) {
            return body;
        }
        if (acceptsJson(request)) {
            // the converter keeps a Content-Type set before it writes
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            return body;
        }
        throw new ResponseStatusException(HttpStatus.NOT_ACCEPTABLE,
                "This answer is application/json, not a problem: accept application/json (or leave Accept out)");
    }

    /** Whether the client takes plain JSON too ({@code application/problem+json, application/json} chose the first). */
    private static boolean acceptsJson(ServerHttpRequest request) {
        return request.getHeaders().getAccept().stream()
            .anyMatch(type -> type.getQualityValue() > 0 && type.isCompatibleWith(MediaType.APPLICATION_JSON)
                    && !type.equalsTypeAndSubtype(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
