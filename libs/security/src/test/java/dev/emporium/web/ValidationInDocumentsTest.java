package dev.emporium.web;

import java.lang.annotation.Annotation;
import java.math.BigDecimal;

import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValidationInDocumentsTest {

    record Price(@DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal amount,
            @Pattern(regexp = "[A-Z]{3}") String currency, @NotBlank String name, @NotZero Integer delta,
            @org.hibernate.validator.constraints.CodePointLength(min = 12, max = 128) String password, @ShopCurrency String code) {
    }

    /**
     * A length in code points, as JSON Schema and PostgreSQL count it: documented as minLength and maxLength,
     * and validated so (an emoji is one, where {@code @Size} counts two).
     */
    @Test
    void aCodePointLengthIsDocumentedAsMinAndMaxLengthAndCountsAsJsonSchemaDoes() {
        StringSchema password = new StringSchema();

        ValidationInDocuments.apply(password, annotations("password"), "EUR");

        assertThat(password.getMinLength()).isEqualTo(12);
        assertThat(password.getMaxLength()).isEqualTo(128);
        try (var factory = jakarta.validation.Validation.buildDefaultValidatorFactory()) {
            var validator = factory.getValidator();
            String emoji = "\uD83D\uDE00";
            assertThat(validator.validateValue(Price.class, "password", emoji.repeat(128))).as("128 code points, 256 UTF-16 units").isEmpty();
            assertThat(validator.validateValue(Price.class, "password", emoji.repeat(6))).as("6 code points, 12 UTF-16 units").isNotEmpty();
        }
    }

    @Test
    void notZeroIsDocumentedAsNotZeroAndValidatedSo() {
        io.swagger.v3.oas.models.media.IntegerSchema delta = new io.swagger.v3.oas.models.media.IntegerSchema();

        ValidationInDocuments.apply(delta, annotations("delta"), "EUR");

        assertThat(delta.getNot()).as("not: {enum: [0]}").isNotNull();
        assertThat(delta.getNot().getEnum()).containsExactly(0);
        assertThat(delta.getNot().getType()).as("0 is an integer: an untyped schema is written as an object").isEqualTo("integer");
        NotZero.Check check = new NotZero.Check();
        assertThat(check.isValid(0, null)).isFalse();
        assertThat(check.isValid(new BigDecimal("0.00"), null)).isFalse();
        assertThat(check.isValid(-3, null)).isTrue();
        assertThat(check.isValid(null, null)).as("left to @NotNull").isTrue();
    }

    /** The shop's one currency, as configured: documented as the only value, and any other refused saying which is taken. */
    @Test
    void theShopsCurrencyIsDocumentedAsTheOneCodeTakenAndValidatedSo() {
        StringSchema code = new StringSchema();

        ValidationInDocuments.apply(code, annotations("code"), "CHF");

        assertThat(code.getEnum()).containsExactly("CHF");
        var environment = new org.springframework.mock.env.MockEnvironment().withProperty(ShopCurrency.PROPERTY, "CHF");
        ShopCurrency.Check check = new ShopCurrency.Check(environment);
        assertThat(check.isValid("CHF", null)).isTrue();
        assertThat(check.isValid(null, null)).as("left to @NotNull").isTrue();
        assertThat(ShopCurrency.Check.of(new org.springframework.mock.env.MockEnvironment())).as("unless set").isEqualTo("EUR");
    }

    @Test
    void digitsBecomeAStepAndTheLargestAndSmallestValue() {
        NumberSchema amount = new NumberSchema();

        ValidationInDocuments.apply(amount, annotations("amount"), "EUR");

        assertThat(amount.getMultipleOf()).isEqualByComparingTo("0.01");
        assertThat(amount.getMaximum()).isEqualByComparingTo("9999999999.99");
        assertThat(amount.getMinimum()).isEqualByComparingTo("-9999999999.99");
    }

    @Test
    void aMinimumAlreadyDocumentedStays() {
        NumberSchema amount = new NumberSchema();
        amount.setMinimum(BigDecimal.ZERO);

        ValidationInDocuments.apply(amount, annotations("amount"), "EUR");

        assertThat(amount.getMinimum()).isEqualByComparingTo("0");
    }

    @Test
    void notBlankNeedsACharacterThatIsNotTrimmedAway() {
        StringSchema name = new StringSchema();

        ValidationInDocuments.apply(name, annotations("name"), "EUR");

        java.util.regex.Pattern documented = java.util.regex.Pattern.compile(name.getPattern());
        assertThat(documented.matcher("  \t\n").find()).isFalse();
        assertThat(documented.matcher(" a ").find()).isTrue();
        assertThat(documented.matcher("\u00a0").find()).as("Hibernate Validator's @NotBlank takes a no-break space").isTrue();
    }

    @Test
    void aPatternIsAnchoredOnceAndTheNotBlankPatternNever() {
        String anchored = ValidationInDocuments.anchored("[A-Z]{3}");

        assertThat(java.util.regex.Pattern.compile(anchored).matcher("xxEURxx").find()).isFalse();
        assertThat(java.util.regex.Pattern.compile(anchored).matcher("EUR").find()).isTrue();
        assertThat(ValidationInDocuments.anchored(anchored)).isEqualTo(anchored);
        assertThat(ValidationInDocuments.anchored("a|b")).isEqualTo("^(?:a|b)$");
        assertThat(ValidationInDocuments.anchored(ValidationInDocuments.NOT_BLANK)).isEqualTo(ValidationInDocuments.NOT_BLANK);
    }

    /** As springdoc hands them over: the constraints on the record's field. */
    private static Annotation[] annotations(String component) {
        try {
            return Price.class.getDeclaredField(component).getAnnotations();
        }
        catch (NoSuchFieldException e) {
            throw new IllegalArgumentException(component, e);
        }
    }
}
