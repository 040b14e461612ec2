package dev.roomgate.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;

import jakarta.validation.Constraint;
import jakarta.validation.OverridesAttribute;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;


/**
 * The Bean Validation constraints of {@link RoomgateProperties} that the built-in ones cannot express. Each reports
 * on the exact property it is about, so that the start-up failure names that key, and never quotes a value.
 */
public final class ConfigurationConstraints {

    static final String REQUIRED = "is required";

    private ConfigurationConstraints() {
    }

    /** The message of a {@link PositiveDuration} that allows zero too. */
    static final String ZERO_OR_MORE = "must be a duration of zero or more, such as 2s";

    /**
     * Set, and longer than zero (or, with {@code orZero}, zero or longer): {@code @NotNull} and {@code @DurationMin},
     * reported as one line.
     */
    @NotNull
    @DurationMin
    @ReportAsSingleViolation
    @Constraint(validatedBy = {})
    @Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    public @interface PositiveDuration {

        String message() default "must be a positive duration such as 2s";

        /** Zero is allowed too (give the message {@link #ZERO_OR_MORE} with it). */
        @OverridesAttribute(constraint = DurationMin.class, name = "inclusive")
        boolean orZero() default false;

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /**
     * A record whose properties bound each other: the built-in constraints compare one value with constants only.
     * It reports each broken rule on the key concerned, next to the properties that rule is about.
     */
    public interface CrossFieldChecked {

        void checkAcrossFields(Violations violations);
    }

    /** The class-level constraint of every {@link CrossFieldChecked} record. */
    @Constraint(validatedBy = CrossFieldRules.Validator.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    public @interface CrossFieldRules {

        String message() default "properties that bound each other disagree";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<CrossFieldRules, CrossFieldChecked> {

            @Override
            public boolean isValid(CrossFieldChecked value, ConstraintValidatorContext context) {
                Violations violations = new Violations(context);
                value.checkAcrossFields(violations);
                return violations.none();
            }
        }
    }

    /** The broken rules of one record, each on its property's path (nested names below the record). */
    public static final class Violations {

        private final ConstraintValidatorContext context;

        private boolean any;

        private Violations(ConstraintValidatorContext context) {
            this.context = context;
        }

        /** Reports {@code message} on the property at {@code path} below the record. */
        public void report(String message, String... path) {
            if (!any) {
                context.disableDefaultConstraintViolation();
                any = true;
            }
            ConstraintValidatorContext.ConstraintViolationBuilder builder = context
                .buildConstraintViolationWithTemplate(message);
            ConstraintValidatorContext.ConstraintViolationBuilder.NodeBuilderCustomizableContext node = builder
                .addPropertyNode(path[0]);
            for (int i = 1; i < path.length; i++) {
                node = node.addPropertyNode(path[i]);
            }
            node.addConstraintViolation();
        }

        boolean none() {
            return !any;
        }
    }

    static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
