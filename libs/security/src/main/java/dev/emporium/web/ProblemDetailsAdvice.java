package dev.emporium.web;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code application/problem+json}, with what a client needs to fix its request:
 * validation errors list each offending field, unreadable JSON says so, and a domain rule that
 * refuses a value ({@link IllegalArgumentException} from a constructor) becomes a 400 with its message.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** One field that failed validation. */
    public record FieldProblem(String field, String message) {
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> fields = exception.getBindingResult().getFieldErrors().stream()
            .map(error -> new FieldProblem(error.getField(), error.getDefaultMessage()))
            .toList();
        return handleExceptionInternal(exception, invalid(fields, "field"), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> parameters = exception.getParameterValidationResults().stream()
            .flatMap(result -> result.getResolvableErrors().stream()
                .map(error -> new FieldProblem(error instanceof org.springframework.validation.FieldError field ? field.getField()
                        : nameForClients(result.getMethodParameter()), error.getDefaultMessage())))
            .toList();
        boolean allInTheBody = exception.getParameterValidationResults().stream()
            .allMatch(result -> result.getMethodParameter().hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class));
        return handleExceptionInternal(exception, invalid(parameters, allInTheBody ? "field" : "parameter"), headers, HttpStatus.BAD_REQUEST,
                request);
    }

    /** A 400 listing each invalid field (of the body) or parameter (path, query, header) in {@code errors}. */
    private static ProblemDetail invalid(List<FieldProblem> problems, String fieldOrParameter) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request has " + problems.size() + " invalid " + fieldOrParameter + "(s); see 'errors'.");
        problem.setProperty("errors", problems);
        return problem;
    }

    /**
     * A path variable, query parameter or header that is not of its type ({@code /api/orders/abc} for a
     * UUID, {@code ?wait=soon} for a number): 400 naming it and what it takes, as validation does,
     * instead of Spring's "Failed to convert 'id' with value: 'abc'".
     */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(org.springframework.beans.TypeMismatchException exception, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = exception instanceof org.springframework.web.method.annotation.MethodArgumentTypeMismatchException mismatch
                ? nameForClients(mismatch.getParameter()) : exception.getPropertyName();
        return handleExceptionInternal(exception, invalid(List.of(new FieldProblem(name, expected(exception.getRequiredType(), false))),
                "parameter"), headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * A parameter as the client names it: the header, query parameter or path variable of the API, not
     * the Java parameter's name ({@code Idempotency-Key}, not {@code idempotencyKey}); a body's fields are
     * named by their {@code FieldError}s.
     */
    private static String nameForClients(org.springframework.core.MethodParameter parameter) {
        var header = parameter.getParameterAnnotation(org.springframework.web.bind.annotation.RequestHeader.class);
        var query = parameter.getParameterAnnotation(org.springframework.web.bind.annotation.RequestParam.class);
        var path = parameter.getParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class);
        String declared = header != null ? either(header.name(), header.value()) : query != null ? either(query.name(), query.value())
                : path != null ? either(path.name(), path.value()) : "";
        return declared.isEmpty() ? parameter.getParameterName() : declared;
    }

    /** name() and value() are aliases: the annotation as written sets one of them, a synthesized one both. */
    private static String either(String name, String value) {
        return name.isEmpty() ? value : name;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestSizeLimitFilter.BodyTooLargeException tooLarge) {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.detail());
                return handleExceptionInternal(exception, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
        }
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof tools.jackson.databind.exc.UnrecognizedPropertyException unknown) {
                // a field the request does not take, a misspelt one most often: name it and those it takes
                return handleExceptionInternal(exception, invalid(List.of(new FieldProblem(path(unknown), unknownField(unknown))), "field"),
                        headers, HttpStatus.BAD_REQUEST, request);
            }
            if (cause instanceof tools.jackson.databind.exc.MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
                // a value of the wrong type where the body's shape is otherwise right: name the field, as validation does
                return handleExceptionInternal(exception, invalid(List.of(new FieldProblem(path(mismatched),
                        expected(mismatched.getTargetType(), true))), "field"), headers, HttpStatus.BAD_REQUEST, request);
            }
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, unreadable(exception));
        return handleExceptionInternal(exception, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * Where a body stops being JSON, and why, as the parser says it (a stray token, a key given twice,
     * the end of the input): a client's developer finds the mistake from the answer alone.
     */
    private static String unreadable(HttpMessageNotReadableException exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof tools.jackson.core.exc.StreamReadException parsing && parsing.getLocation() != null
                    && parsing.getOriginalMessage() != null) {
                String why = parsing.getOriginalMessage().lines().findFirst().orElse("");
                return "The request body is not valid JSON at line " + parsing.getLocation().getLineNr() + ", column "
                        + parsing.getLocation().getColumnNr() + ": " + (why.length() > 200 ? why.substring(0, 200) + "…" : why);
            }
        }
        return "The request body is not readable JSON of the expected shape.";
    }

    /** "is not a field in this request; the fields are category, description, name, price" ("here" inside a nested object). */
    private static String unknownField(tools.jackson.databind.exc.UnrecognizedPropertyException unknown) {
        List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        String where = unknown.getPath().size() > 1 ? "here" : "in this request";
        return known.isEmpty() ? "is not a field " + where
                : "is not a field " + where + "; the fields are " + String.join(", ", known);
    }

    /** The field as a client names it: {@code lines[0].quantity}. */
    private static String path(tools.jackson.core.JacksonException exception) {
        StringBuilder path = new StringBuilder();
        for (tools.jackson.core.JacksonException.Reference reference : exception.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * What a value takes, as a client writes it: in a JSON body a number is no string, in a path or
     * query every value is text.
     */
    static String expected(Class<?> type, boolean inJson) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return inJson ? "must be a whole number, such as 2 (not 2.5 or \"2\")" : "must be a whole number, such as 2";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return inJson ? "must be a number, such as 24.90 (not \"24.90\")" : "must be a number, such as 24.90";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "must be true or false";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (type == java.util.UUID.class) {
            return "must be a UUID, such as 6513270e-269e-4d37-b2a7-4de452e6b438";
        }
        return "has the wrong type";
    }

    /** Anything else is our fault: a 500 problem that says so without a stack trace, and the trace in the log. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception exception, WebRequest request) throws Exception {
        if (exception instanceof org.springframework.web.ErrorResponse || exception instanceof org.springframework.security.access.AccessDeniedException
                || exception instanceof org.springframework.security.core.AuthenticationException) {
            throw exception; // Spring MVC and Spring Security answer these themselves
        }
        log.error("Unexpected error handling {}", request.getDescription(false), exception);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong on our side; the error is logged. Retrying may help if the request is idempotent.");
        return handleExceptionInternal(exception, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    /**
     * Another transaction changed or locked the same rows at the same moment (an optimistic version
     * check, a deadlock, a lock timeout): nothing was written, and the same request again will most
     * likely pass. Not an outage, so the log does not say the database is away.
     */
    @ExceptionHandler(org.springframework.dao.ConcurrencyFailureException.class)
    ResponseEntity<Object> concurrentChange(Exception exception, WebRequest request) {
        log.warn("Answered 503 to {}: another transaction changed the same data at the same moment ({})", request.getDescription(false),
                org.springframework.core.NestedExceptionUtils.getMostSpecificCause(exception).getMessage());
        return retryLater(exception, "Another request changed the same data at the same moment, so this one changed nothing."
                + " Send it again (with the same Idempotency-Key, where the request has one).", 1, request);
    }

    /**
     * The database cannot serve this request for a moment (a restart, a failover, every pooled
     * connection busy): a 503 the client may retry, not a 500. The transaction did not commit. The log
     * says which of the two it was: an exhausted pool wants more capacity or less load, not a DBA.
     */
    @ExceptionHandler({ org.springframework.dao.TransientDataAccessException.class,
            org.springframework.dao.DataAccessResourceFailureException.class,
            org.springframework.transaction.CannotCreateTransactionException.class,
            org.springframework.transaction.TransactionSystemException.class })
    ResponseEntity<Object> databaseUnavailable(Exception exception, WebRequest request) {
        String detail;
        String cause = org.springframework.core.NestedExceptionUtils.getMostSpecificCause(exception).getMessage();
        if (isPoolExhausted(exception)) {
            log.warn("Answered 503 to {}: every connection of the pool stayed busy for the whole connection timeout;"
                    + " the database was reachable, this service is overloaded or holds connections too long ({})",
                    request.getDescription(false), cause);
            detail = "The service is too busy to take this request right now and changed nothing.";
        } else {
            log.warn("Answered 503 to {}: the database is unreachable ({})", request.getDescription(false), cause);
            detail = "The service cannot reach its database right now and changed nothing.";
        }
        return retryLater(exception, detail + " Retry in a few seconds (with the same Idempotency-Key, where the request has one).", 2,
                request);
    }

    /** A 503 the client may send again after {@code seconds}, as {@code Retry-After} says. */
    private ResponseEntity<Object> retryLater(Exception exception, String detail, int seconds, WebRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(seconds));
        return handleExceptionInternal(exception, ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail), headers,
                HttpStatus.SERVICE_UNAVAILABLE, request);
    }

    /**
     * HikariCP's "Connection is not available, request timed out" carries, as its cause, the last
     * failure to open a connection; without one, the pool was simply full.
     */
    static boolean isPoolExhausted(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLTransientConnectionException) {
                return cause.getCause() == null;
            }
        }
        return false;
    }

    /**
     * A text holding a character PostgreSQL cannot store or compare, U+0000 (NUL) above all: it refuses
     * the statement (SQLSTATE 22021 or 22P05) and the transaction rolls back, so nothing was written.
     * The client sent the character: 400, not 500. Any other refusal of the database is unexpected.
     */
    @ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
    ResponseEntity<Object> unstorableCharacter(org.springframework.dao.DataIntegrityViolationException exception, WebRequest request)
            throws Exception {
        if (!holdsAnUnstorableCharacter(exception)) {
            return unexpected(exception, request);
        }
        log.info("Answered 400 to {}: a text holds a character the database cannot store ({})", request.getDescription(false),
                org.springframework.core.NestedExceptionUtils.getMostSpecificCause(exception).getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "A text in the request holds a character that cannot be stored or searched for, such as U+0000 (NUL);"
                        + " nothing was changed. Remove it and send the request again.");
        return handleExceptionInternal(exception, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /** SQLSTATE 22021 (character_not_in_repertoire) or 22P05 (untranslatable_character) anywhere among the causes. */
    static boolean holdsAnUnstorableCharacter(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A query parameter Tomcat cannot decode: a percent-encoding that is no UTF-8 ({@code %FF}, an
     * encoded lone surrogate). Tomcat throws when the parameters are first read; the client sent it.
     */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<Object> undecodableParameter(Exception exception, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "A query parameter is not percent-encoded UTF-8 (such as %FF, or an encoded lone surrogate); nothing was done."
                        + " Encode each value as UTF-8 and send the request again.");
        return handleExceptionInternal(exception, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /** A page, size, sort or other query value out of its documented bounds: 400, naming each (see {@link PageBounds}). */
    @ExceptionHandler(PageBounds.OutOfBoundsException.class)
    ResponseEntity<Object> pageOutOfBounds(PageBounds.OutOfBoundsException exception, WebRequest request) {
        return handleExceptionInternal(exception, invalid(exception.problems(), "parameter"), new HttpHeaders(), HttpStatus.BAD_REQUEST,
                request);
    }

    /** A sort the endpoint does not offer: 400, naming the ones it does. */
    @ExceptionHandler(SortAllowList.UnsupportedSortException.class)
    ResponseEntity<Object> unsupportedSort(SortAllowList.UnsupportedSortException exception, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, exception.getMessage());
        problem.setTitle("Unsupported sort");
        problem.setProperty("allowed", exception.allowed());
        return handleExceptionInternal(exception, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /**
     * A value that a domain rule refuses (our own constructors validate and say why): 400 with that
     * sentence. An {@link IllegalArgumentException} thrown by a library is no sentence for a client
     * (it may name classes or internals): 400 with a generic detail, and the message in the log.
     */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Object> refusedValue(IllegalArgumentException exception, WebRequest request) {
        String detail;
        if (thrownByOurCode(exception) && exception.getMessage() != null) {
            detail = exception.getMessage();
        }
        else {
            log.info("Answered 400 to {}: a library refused a value ({})", request.getDescription(false), exception.toString());
            detail = "The request holds a value this service cannot accept; check it against the API documentation.";
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        return handleExceptionInternal(exception, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    private static boolean thrownByOurCode(Throwable exception) {
        StackTraceElement[] frames = exception.getStackTrace();
        return frames.length > 0 && frames[0].getClassName().startsWith("dev.emporium.");
    }
}
