package dev.emporium.web;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.data.domain.Pageable;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * {@code page} and {@code size} as the documents state them, or a 400 naming each one that is not:
 * Spring Data reads {@code page=-1} as the first page and {@code size=1000} as the largest without a
 * word, so a client would never learn that it got something other than what it asked for. Applies to
 * every handler that takes a {@link Pageable}.
 */
public final class PageBounds implements HandlerInterceptor {

    private final int maxPageSize;

    public PageBounds(int maxPageSize) {
        this.maxPageSize = maxPageSize;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && takesAPage(method)) {
            List<ProblemDetailsAdvice.FieldProblem> problems = new ArrayList<>();
            check(request.getParameter("page"), "page", 0, Integer.MAX_VALUE, problems);
            check(request.getParameter("size"), "size", 1, maxPageSize, problems);
            if (!problems.isEmpty()) {
                throw new OutOfBoundsException(problems);
            }
        }
        return true;
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

    /** A page or size outside its bounds: 400, each one named (see {@link ProblemDetailsAdvice}). */
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
