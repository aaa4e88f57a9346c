package dev.emporium.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.springframework.core.env.Environment;

/**
 * The shop's one currency, and no other (ADR 18, docs/adr/0018-one-currency-per-shop.md): every
 * price of the catalogue and every credit account is kept in the currency that {@value #PROPERTY}
 * names ({@value #DEFAULT} unless set). A product priced in another would be one that nobody can buy:
 * user-service reserves no credit in it, and an order of products in two currencies has no total. {@code null} is left to {@code @NotNull}. In the OpenAPI documents: an
 * {@code enum} of that one code ({@link ValidationInDocuments}), so that a client and a contract tester
 * know what is taken, where {@code [A-Z]{3}} would promise USD and ZQI too.
 */
@Documented
@Constraint(validatedBy = ShopCurrency.Check.class)
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.ANNOTATION_TYPE, ElementType.CONSTRUCTOR, ElementType.PARAMETER,
        ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface ShopCurrency {

    /** The setting every service reads the shop's currency from (service-defaults.yml). */
    String PROPERTY = "emporium.currency";

    String DEFAULT = "EUR";

    String message() default "must be the shop's currency";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Bean Validation's side of it, made by Spring's validator factory, which passes the environment. */
    final class Check implements ConstraintValidator<ShopCurrency, String> {

        private final String currency;

        public Check(Environment environment) {
            this.currency = of(environment);
        }

        /** The shop's currency as this service is configured. */
        public static String of(Environment environment) {
            return environment.getProperty(PROPERTY, DEFAULT);
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.equals(currency)) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must be " + currency
                    + ", the shop's currency: every price and every credit account is kept in it").addConstraintViolation();
            return false;
        }
    }
}
