package dev.emporium.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * A request whose {@code Accept} takes no JSON is refused with 406 before its handler runs, not after.
 * Spring chooses the answer's media type when it writes the body, once the handler has done its work:
 * {@code POST /api/products} with {@code Accept: application/xml} created the product and then answered
 * 406, so the client took it for a failure, and sending it again met a duplicate (a stock adjustment
 * would have counted twice). Refused here: a request that takes neither JSON nor a problem, as no
 * answer could be given to it. A client that takes problems only ({@code application/problem+json})
 * still has its request checked, and a bad one answered with its 400; a success is refused to it when
 * it is written ({@link SuccessIsNoProblem}). A handler that answers without a body, or that names what
 * it produces in its mapping (Spring checks those before it runs them), is left alone.
 */
public final class AcceptedBeforeDone implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotAcceptableException {
        // the header first: nearly every request takes JSON, and then the handler need not be looked at
        List<MediaType> accepted = accepted(request);
        if (!accepted.isEmpty() && accepted.stream().noneMatch(AcceptedBeforeDone::takesJson) && handler instanceof HandlerMethod method
                && answersWithJson(method)) {
            throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
        }
        return true;
    }

    private static boolean answersWithJson(HandlerMethod method) {
        RequestMapping mapping = org.springframework.core.annotation.AnnotatedElementUtils.findMergedAnnotation(method.getMethod(),
                RequestMapping.class);
        if (mapping != null && mapping.produces().length > 0) {
            return false;
        }
        Class<?> type = method.getReturnType().getParameterType();
        if (type == void.class) {
            return false;
        }
        if (HttpEntity.class.isAssignableFrom(type)) {
            var body = org.springframework.core.ResolvableType.forMethodReturnType(method.getMethod()).as(HttpEntity.class).getGeneric(0).resolve();
            return body != null && body != Void.class;
        }
        return true;
    }

    /** What the client accepts; none named (or a header Spring cannot read, which it refuses on its own) is anything. */
    private static List<MediaType> accepted(HttpServletRequest request) {
        String header = String.join(",", java.util.Collections.list(request.getHeaders(HttpHeaders.ACCEPT)));
        try {
            return header.isBlank() ? List.of() : MediaType.parseMediaTypes(header);
        }
        catch (InvalidMediaTypeException unreadable) {
            return List.of();
        }
    }

    private static boolean takesJson(MediaType type) {
        return type.getQualityValue() > 0
                && (type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
