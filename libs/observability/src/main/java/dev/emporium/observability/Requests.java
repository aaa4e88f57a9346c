package dev.emporium.observability;

import io.micrometer.observation.Observation;
import org.springframework.util.ClassUtils;

/**
 * The path of the HTTP request an observation belongs to, for servlet and WebFlux alike. Each stack
 * is looked at in its own nested class, loaded only where that stack is on the classpath.
 */
final class Requests {

    private static final boolean SERVLET = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest", null);

    private static final boolean REACTIVE = ClassUtils.isPresent("org.springframework.http.server.reactive.ServerHttpRequest", null);

    private Requests() {
    }

    static String path(Observation.Context context) {
        String path = SERVLET ? Servlet.path(context) : null;
        return path == null && REACTIVE ? Reactive.path(context) : path;
    }

    private static final class Servlet {

        static String path(Observation.Context context) {
            return context instanceof org.springframework.http.server.observation.ServerRequestObservationContext request
                    ? request.getCarrier().getRequestURI() : null;
        }
    }

    private static final class Reactive {

        static String path(Observation.Context context) {
            return context instanceof org.springframework.http.server.reactive.observation.ServerRequestObservationContext request
                    ? request.getCarrier().getPath().value() : null;
        }
    }
}
