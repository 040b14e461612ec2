package dev.roomgate.support;

import java.util.List;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.validation.MessageInterpolatorFactory;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import dev.roomgate.config.ConfigurationError;
import dev.roomgate.config.RoomgateProperties;

/**
 * Validates hand-built {@link RoomgateProperties} exactly as start-up binding does: Boot's validation bind handler
 * with the validator Boot builds for {@code @Validated} configuration properties, so that a test sees the same
 * {@link BindValidationException}, and through {@link ConfigurationError#of} the same lines, as an operator.
 */
public final class ConfigurationValidation {

    private static final ConfigurationPropertyName ROOMGATE = ConfigurationPropertyName.of("roomgate");

    private static final LocalValidatorFactoryBean VALIDATOR = validator();

    private ConfigurationValidation() {
    }

    /**
     * @return {@code properties}, valid
     * @throws BindValidationException naming every error, as start-up would
     */
    public static RoomgateProperties check(RoomgateProperties properties) {
        try {
            // No property sources: nothing is bound, and the handler validates the given instance, as binding
            // validates the instance it has just built.
            new Binder(List.of()).bind(ROOMGATE, Bindable.ofInstance(properties),
                    new ValidationBindHandler(VALIDATOR));
            return properties;
        }
        catch (BindException ex) {
            if (ex.getCause() instanceof BindValidationException validation) {
                throw validation;
            }
            throw ex;
        }
    }

    /** The errors start-up would report for {@code properties}, one per line as printed; empty when it is valid. */
    public static List<String> errors(RoomgateProperties properties) {
        try {
            check(properties);
            return List.of();
        }
        catch (BindValidationException ex) {
            return ConfigurationError.of(ex).stream().map(ConfigurationError::line).toList();
        }
    }

    /** As Boot's ConfigurationPropertiesJsr303Validator builds it (that class is not public). */
    private static LocalValidatorFactoryBean validator() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.refresh();
        LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
        validator.setApplicationContext(context);
        validator.setMessageInterpolator(new MessageInterpolatorFactory(context).getObject());
        validator.afterPropertiesSet();
        return validator;
    }
}
