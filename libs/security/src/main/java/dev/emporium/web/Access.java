package dev.emporium.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call an endpoint, as the service's security configuration decides it: written next to the
 * handler so that its OpenAPI operation says so (security requirement, 401 and 403 responses, a line
 * of its description; see {@link ApiContract}). On a controller it is the default of its handlers.
 * Without it an endpoint is documented as {@link Level#CUSTOMER}, the services' default.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Access {

    Level value();

    enum Level {
        /** Anyone: no token needed. */
        ANONYMOUS("Anyone may call it; no token is needed."),
        /** Any logged-in account, which sees only its own data (an administrator sees everyone's). */
        CUSTOMER("Needs a bearer token (any logged-in account); a customer sees only their own data, an administrator everyone's."),
        /** Accounts with the ADMIN role only. */
        ADMINISTRATOR("Needs a bearer token of an administrator (role ADMIN); anyone else gets 403.");

        private final String sentence;

        Level(String sentence) {
            this.sentence = sentence;
        }

        public String sentence() {
            return sentence;
        }
    }
}
