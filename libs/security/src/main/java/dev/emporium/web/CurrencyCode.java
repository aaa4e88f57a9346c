package dev.emporium.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Currency;
import java.util.List;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * An ISO 4217 currency whose amounts have two decimals, as every price of the platform has
 * ({@code @Digits(fraction = 2)}): EUR, USD, GBP, CHF, ... but not JPY (none) or KWD (three), whose
 * amounts a price of two decimals would misstate. {@code null} is left to {@code @NotNull}. In the
 * OpenAPI documents: an {@code enum} of {@link #CODES} ({@link ValidationInDocuments}), so that a
 * client and a contract tester know which codes are taken, where {@code [A-Z]{3}} would promise
 * {@code ZQI} too.
 */
@Documented
@Constraint(validatedBy = CurrencyCode.Check.class)
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.ANNOTATION_TYPE, ElementType.CONSTRUCTOR, ElementType.PARAMETER,
        ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface CurrencyCode {

    /** The codes taken, sorted: those of the JDK's ISO 4217 table with two decimals. */
    List<String> CODES = Currency.getAvailableCurrencies().stream().filter(currency -> currency.getDefaultFractionDigits() == 2)
        .map(Currency::getCurrencyCode).sorted().toList();

    String message() default "must be an ISO 4217 code of a currency with two decimals, such as EUR, USD or GBP";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Bean Validation's side of it. */
    final class Check implements ConstraintValidator<CurrencyCode, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || CODES.contains(value);
        }
    }
}
