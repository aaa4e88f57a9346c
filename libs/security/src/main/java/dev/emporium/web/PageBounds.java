package dev.emporium.web;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.data.domain.Pageable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ValueConstants;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * {@code page}, {@code size} and {@code sort} as the documents state them, or a 400 naming each one that
 * is not: Spring Data reads {@code page=-1} as the first page, {@code size=1000} as the largest and
 * {@code sort=,desc} as no sort without a word, so a client would never learn that it got something
 * other than what it asked for. The same holds for an empty value ({@code ?page=}, {@code ?sort=},
 * {@code ?wait=}) of any query parameter that takes a number or one of a list of values: Spring reads
 * it as absent and passes the default, where the document (no {@code allowEmptyValue}) forbids it. A
 * free text ({@code ?q=}) may be empty: it then filters nothing, as the document allows.
 */
public final class PageBounds implements HandlerInterceptor {

    private final int maxPageSize;

    public PageBounds(int maxPageSize) {
        this.maxPageSize = maxPageSize;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        // no parameters, nothing to check (the order path's POSTs): the handler need not be looked at
        if (handler instanceof HandlerMethod method && !request.getParameterMap().isEmpty()) {
            List<ProblemDetailsAdvice.FieldProblem> problems = new ArrayList<>();
            emptyValues(method, request, problems);
            if (takesAPage(method)) {
                check(request.getParameter("page"), "page", 0, Integer.MAX_VALUE, problems);
                check(request.getParameter("size"), "size", 1, maxPageSize, problems);
                sorts(request.getParameterValues("sort"), problems);
            }
            if (!problems.isEmpty()) {
                throw new OutOfBoundsException(problems);
            }
        }
        return true;
    }

    /** Each {@code @RequestParam} that is no free text (a number, or a text with a default such as a sort), given empty. */
    private static void emptyValues(HandlerMethod method, HttpServletRequest request, List<ProblemDetailsAdvice.FieldProblem> problems) {
        for (var parameter : method.getMethodParameters()) {
            RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
            if (query == null || parameter.getParameterType() == String.class && ValueConstants.DEFAULT_NONE.equals(query.defaultValue())) {
                continue;
            }
            String name = !query.name().isEmpty() ? query.name() : !query.value().isEmpty() ? query.value() : parameter.getParameter().getName();
            String[] values = request.getParameterValues(name);
            if (values != null && java.util.Arrays.stream(values).anyMatch(String::isBlank)) {
                problems.add(new ProblemDetailsAdvice.FieldProblem(name, "must not be empty: give a value, or leave the parameter out"));
            }
        }
    }

    /** Every {@code sort} names a property ({@code ,desc} alone names none); which ones are offered is {@link SortAllowList}'s to say. */
    private static void sorts(String[] values, List<ProblemDetailsAdvice.FieldProblem> problems) {
        if (values != null && java.util.Arrays.stream(values).anyMatch(value -> value.isBlank() || value.strip().startsWith(","))) {
            problems.add(new ProblemDetailsAdvice.FieldProblem("sort", "must name a property, optionally followed by ,asc or ,desc"));
        }
    }

    private static boolean takesAPage(HandlerMethod method) {
        for (var parameter : method.getMethodParameters()) {
            if (Pageable.class.isAssignableFrom(parameter.getParameterType())) {
                return true;
            }
        }
        return false;
    }

    private static void check(String value, String name, int min, int max, List<ProblemDetailsAdvice.FieldProblem> problems) {
        if (value == null) {
            return;
        }
        boolean within;
        try {
            int number = Integer.parseInt(value.strip());
            within = number >= min && number <= max;
        }
        catch (NumberFormatException notANumber) {
            within = false;
        }
        if (!within) {
            problems.add(new ProblemDetailsAdvice.FieldProblem(name, max == Integer.MAX_VALUE ? "must be a whole number of at least " + min
                    : "must be a whole number from " + min + " to " + max));
        }
    }

    /** A page, size, sort or other query value outside what the document states: 400, each one named (see {@link ProblemDetailsAdvice}). */
    public static final class OutOfBoundsException extends RuntimeException {

        private final transient List<ProblemDetailsAdvice.FieldProblem> problems;

        OutOfBoundsException(List<ProblemDetailsAdvice.FieldProblem> problems) {
            super("page or size out of bounds: " + problems);
            this.problems = List.copyOf(problems);
        }

        public List<ProblemDetailsAdvice.FieldProblem> problems() {
            return problems;
        }
    }
}
