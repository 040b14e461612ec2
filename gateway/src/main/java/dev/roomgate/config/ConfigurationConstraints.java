package dev.roomgate.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import dev.roomgate.config.RoomgateProperties.CircuitBreaker;
import dev.roomgate.config.RoomgateProperties.ClientRateLimitProperties;
import dev.roomgate.config.RoomgateProperties.ClusterProperties;
import dev.roomgate.config.RoomgateProperties.CredentialProperties;
import dev.roomgate.config.RoomgateProperties.ProviderProperties;
import dev.roomgate.schema.ProviderType;

/**
 * The Bean Validation constraints of {@link RoomgateProperties} that the built-in ones cannot express. Each reports
 * on the exact property it is about, so that the start-up failure names that key, and never quotes a value.
 */
public final class ConfigurationConstraints {

    static final String REQUIRED = "is required";

    private ConfigurationConstraints() {
    }

    /** Set, and longer than zero: {@code @NotNull} and {@code @DurationMin}, reported as one line. */
    @NotNull
    @DurationMin(nanos = 0, inclusive = false)
    @ReportAsSingleViolation
    @Constraint(validatedBy = {})
    @Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    public @interface PositiveDuration {

        String message() default "must be a positive duration such as 2s";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** Set, and zero or longer: {@code @NotNull} and {@code @DurationMin}, reported as one line. */
    @NotNull
    @DurationMin
    @ReportAsSingleViolation
    @Constraint(validatedBy = {})
    @Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    public @interface NonNegativeDuration {

        String message() default "must be a duration of zero or more, such as 2s";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /**
     * An absolute http(s) URL without user info, query or fragment; surrounding blanks are ignored, and a missing or
     * blank value is left to {@code @NotBlank}. Hibernate Validator's {@code @URL} takes one protocol only and
     * cannot forbid user info (a credential in the URL), a query or a fragment.
     */
    @Constraint(validatedBy = HttpBaseUrl.Validator.class)
    @Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    public @interface HttpBaseUrl {

        String message() default "must be an absolute http(s) URL without user info, query or fragment";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<HttpBaseUrl, String> {

            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                if (value == null || value.isBlank()) {
                    return true;
                }
                try {
                    URI uri = new URI(value.strip());
                    boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
                    return http && uri.getHost() != null && uri.getRawQuery() == null
                            && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
                }
                catch (URISyntaxException ex) {
                    return violation(context, "is not a valid URL", null);
                }
            }
        }
    }

    /**
     * The burst holds at least one second's tokens. Two properties of one record: the built-in constraints compare a
     * value with constants only.
     */
    @Constraint(validatedBy = BurstCoversRate.Validator.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    public @interface BurstCoversRate {

        String message() default "must be at least requests-per-second";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<BurstCoversRate, ClientRateLimitProperties> {

            @Override
            public boolean isValid(ClientRateLimitProperties limit, ConstraintValidatorContext context) {
                // A rate below 1 has its own line, and gives the burst no bound to be measured against.
                int rate = limit.requestsPerSecond();
                return rate < 1 || limit.burst() >= rate || violation(context, "must be at least " + rate, "burst");
            }
        }
    }

    /**
     * A lease outlives the Redis call that obtains it, or an answer in time may bring no usable permit. Two durations
     * of one record: {@code @DurationMin} compares with a constant only.
     */
    @Constraint(validatedBy = LeaseOutlastsRedisTimeout.Validator.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    public @interface LeaseOutlastsRedisTimeout {

        String message() default "must be longer than roomgate.cluster.redis-timeout";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<LeaseOutlastsRedisTimeout, ClusterProperties> {

            @Override
            public boolean isValid(ClusterProperties cluster, ConstraintValidatorContext context) {
                Duration lease = cluster.leaseFor();
                Duration timeout = cluster.redisTimeout();
                // A missing or non-positive value has its own line already.
                if (lease == null || timeout == null || !positive(lease) || !positive(timeout)) {
                    return true;
                }
                return lease.compareTo(timeout) > 0 || violation(context, "must be longer than "
                        + "roomgate.cluster.redis-timeout, or an answer in time may bring no usable permit",
                        "leaseFor");
            }

            private static boolean positive(Duration duration) {
                return !duration.isNegative() && !duration.isZero();
            }
        }
    }

    /**
     * No verdict can need more calls than the window holds: {@code minimum-calls} between 1 and {@code window}. The
     * upper bound is another property, which {@code @Range} cannot name.
     */
    @Constraint(validatedBy = MinimumCallsWithinWindow.Validator.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    public @interface MinimumCallsWithinWindow {

        String message() default "must be between 1 and window";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<MinimumCallsWithinWindow, CircuitBreaker> {

            @Override
            public boolean isValid(CircuitBreaker breaker, ConstraintValidatorContext context) {
                int calls = breaker.minimumCalls();
                if (breaker.window() < 1) {
                    // The window has its own line; only a bound that holds for any window is checked.
                    return calls >= 1 || violation(context, "must be at least 1", "minimumCalls");
                }
                return calls >= 1 && calls <= breaker.window()
                        || violation(context, "must be between 1 and " + breaker.window(), "minimumCalls");
            }
        }
    }

    /**
     * The credentials the instance's type needs are present: plugNmeet an api-key and api-secret, Tencent a positive
     * numeric sdk-app-id, an identifier and a secret-key, VideoSDK an api-key and secret. Which fields are required
     * depends on another property (the type), which no built-in constraint can express.
     */
    @Constraint(validatedBy = CredentialsForType.Validator.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    public @interface CredentialsForType {

        String message() default "the credentials the type needs are required";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<CredentialsForType, ProviderProperties> {

            @Override
            public boolean isValid(ProviderProperties provider, ConstraintValidatorContext context) {
                // A missing or unknown type has its own line; without it nothing is known to be required.
                ProviderType type = provider.type() == null ? null
                        : ProviderType.fromWireName(provider.type().strip()).orElse(null);
                if (type == null) {
                    return true;
                }
                CredentialProperties c = Objects.requireNonNullElseGet(provider.credentials(),
                        () -> new CredentialProperties(null, null, null, null, null, null));
                return switch (type) {
                    case PLUGNMEET -> required(context, "apiKey", c.apiKey())
                            & required(context, "apiSecret", c.apiSecret());
                    case TENCENT -> sdkAppId(context, c.sdkAppId()) & required(context, "identifier", c.identifier())
                            & required(context, "secretKey", c.secretKey());
                    case VIDEOSDK -> required(context, "apiKey", c.apiKey()) & required(context, "secret", c.secret());
                };
            }

            private static boolean required(ConstraintValidatorContext context, String field, String value) {
                return value != null && !value.isBlank() || credentialViolation(context, REQUIRED, field);
            }

            private static boolean sdkAppId(ConstraintValidatorContext context, String value) {
                if (!required(context, "sdkAppId", value)) {
                    return false;
                }
                try {
                    if (Long.parseLong(value.strip()) > 0) {
                        return true;
                    }
                }
                catch (NumberFormatException ignored) {
                    // reported below, without the value
                }
                return credentialViolation(context, "must be a positive integer", "sdkAppId");
            }

            private static boolean credentialViolation(ConstraintValidatorContext context, String message,
                    String field) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(message)
                    .addPropertyNode("credentials")
                    .addPropertyNode(field)
                    .addConstraintViolation();
                return false;
            }
        }
    }

    /**
     * At least one instance is configured and enabled, or Roomgate has nothing to answer with. A condition on the
     * values of a map, which no built-in constraint can express.
     */
    @Constraint(validatedBy = EnabledInstance.Validator.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    public @interface EnabledInstance {

        String message() default "at least one enabled provider instance is required";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<EnabledInstance, RoomgateProperties> {

            @Override
            public boolean isValid(RoomgateProperties properties, ConstraintValidatorContext context) {
                boolean enabled = properties.providers().values().stream().anyMatch(p -> p != null && p.enabled());
                return enabled || violation(context, "at least one enabled provider instance is required",
                        "providers");
            }
        }
    }

    /**
     * Replaces the default violation with {@code message}, reported on {@code property} of the validated object (or
     * on the object itself when null). Always false, so that validators can end with {@code ok || violation(..)}.
     */
    private static boolean violation(ConstraintValidatorContext context, String message, String property) {
        context.disableDefaultConstraintViolation();
        ConstraintValidatorContext.ConstraintViolationBuilder builder = context
            .buildConstraintViolationWithTemplate(message);
        if (property == null) {
            builder.addConstraintViolation();
        }
        else {
            builder.addPropertyNode(property).addConstraintViolation();
        }
        return false;
    }
}
