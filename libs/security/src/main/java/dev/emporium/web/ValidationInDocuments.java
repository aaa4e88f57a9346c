package dev.emporium.web;

import java.lang.annotation.Annotation;
import java.math.BigDecimal;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import org.springdoc.core.customizers.ParameterCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springframework.core.MethodParameter;

/**
 * What Bean Validation refuses, said in the documents too, where springdoc leaves it out or says
 * something else. A contract tester generates requests from the schemas and expects every one that
 * fits them to be taken, and every one that does not to be refused; a generated client checks the
 * same bounds before it sends. So:
 * <ul>
 * <li>{@code @Pattern} matches the whole value; JSON Schema's {@code pattern} matches anywhere in it
 *     ({@code [A-Z]{3}} would let {@code xxEURxx} through). Every documented pattern is anchored
 *     ({@link #anchored}, applied by {@link ApiContract} once springdoc has written them all).</li>
 * <li>{@code @NotBlank}: at least one character above U+0020 (Hibernate Validator trims those), the
 *     pattern {@value #NOT_BLANK}; springdoc writes nothing for it next to a {@code @Size(max = n)}. In
 *     what a client sends, {@link ApiContract} anchors it and leaves U+0000 out.</li>
 * <li>{@code @Digits(integer = i, fraction = f)}: {@code multipleOf: 10^-f} and the largest and
 *     smallest value with i digits before the point.</li>
 * <li>{@link NotZero}: {@code not: {enum: [0]}}.</li>
 * <li>{@link ShopCurrency}: {@code enum} of the one code it takes.</li>
 * <li>Hibernate Validator's {@code @CodePointLength(min, max)}: {@code minLength} and {@code maxLength}. A
 *     text's length is counted in code points, as JSON Schema counts it and as PostgreSQL's
 *     {@code varchar(n)} does; {@code @Size} counts UTF-16 units, so a name of 150 emoji (300 units) that
 *     fits {@code maxLength: 200} and its column would be refused, and a password of 6 emoji that
 *     breaks {@code minLength: 12} taken.</li>
 * </ul>
 * Properties of request bodies and the parameters of handlers alike.
 */
public final class ValidationInDocuments implements PropertyCustomizer, ParameterCustomizer {

    /** At least one character that Hibernate Validator's {@code @NotBlank} does not trim away. */
    static final String NOT_BLANK = "[^\\x00-\\x20]";

    private final String shopCurrency;

    /** @param shopCurrency the code {@link ShopCurrency} takes, as this service is configured */
    public ValidationInDocuments(String shopCurrency) {
        this.shopCurrency = shopCurrency;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Schema customize(Schema property, AnnotatedType type) {
        if (property != null && type.getCtxAnnotations() != null) {
            apply(property, type.getCtxAnnotations(), shopCurrency);
        }
        return property;
    }

    @Override
    public Parameter customize(Parameter parameter, MethodParameter method) {
        if (parameter != null && parameter.getSchema() != null) {
            apply(parameter.getSchema(), method.getParameterAnnotations(), shopCurrency);
        }
        return parameter;
    }

    static void apply(Schema<?> schema, Annotation[] annotations, String shopCurrency) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof NotBlank && schema.getPattern() == null) {
                schema.setPattern(NOT_BLANK);
            }
            if (annotation instanceof org.hibernate.validator.constraints.CodePointLength length) {
                if (length.min() > 0) {
                    schema.setMinLength(length.min());
                }
                if (length.max() < Integer.MAX_VALUE) {
                    schema.setMaxLength(length.max());
                }
            }
            if (annotation instanceof NotZero && schema.getNot() == null) {
                // typed as the property is: an untyped one would be written as an object, which 0 never is
                Schema<Object> zero = new Schema<>();
                zero.setType(schema.getType() == null ? "integer" : schema.getType());
                zero.setEnum(new java.util.ArrayList<>(java.util.List.of(0)));
                schema.setNot(zero);
            }
            if (annotation instanceof ShopCurrency && schema.getEnum() == null) {
                @SuppressWarnings("unchecked")
                Schema<Object> codes = (Schema<Object>) schema;
                codes.setEnum(new java.util.ArrayList<>(java.util.List.of(shopCurrency)));
            }
            if (annotation instanceof Digits digits) {
                BigDecimal step = BigDecimal.ONE.movePointLeft(digits.fraction());
                BigDecimal largest = BigDecimal.ONE.movePointRight(digits.integer()).subtract(step);
                schema.setMultipleOf(step);
                if (schema.getMaximum() == null) {
                    schema.setMaximum(largest);
                }
                if (schema.getMinimum() == null) {
                    schema.setMinimum(largest.negate());
                }
            }
        }
    }

    /**
     * A documented pattern as Bean Validation's {@code @Pattern} applies it, to the whole value; the
     * not-blank pattern, which is meant to match anywhere, as it is.
     */
    static String anchored(String pattern) {
        return pattern.equals(NOT_BLANK) || pattern.startsWith("^") && pattern.endsWith("$") ? pattern : "^(?:" + pattern + ")$";
    }
}
