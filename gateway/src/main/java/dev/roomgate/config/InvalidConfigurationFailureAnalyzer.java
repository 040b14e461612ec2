package dev.roomgate.config;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Turns a configuration error into Boot's start-up failure report: one line per error that names the key, never its
 * value. It covers the Bean Validation of the {@code roomgate.*} records at binding (every error at once) and the
 * checks that remain outside binding ({@link InvalidConfigurationException}). It comes before Boot's own
 * BindValidationFailureAnalyzer, which prints each rejected value and could print a credential.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class InvalidConfigurationFailureAnalyzer implements FailureAnalyzer {

    private static final ConfigurationPropertyName ROOMGATE = ConfigurationPropertyName.of("roomgate");

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        List<ConfigurationError> errors = errors(failure);
        if (errors.isEmpty()) {
            return null;
        }
        String description = errors.stream()
            .map(error -> "Invalid Roomgate configuration: " + error.line())
            .collect(Collectors.joining(System.lineSeparator()));
        String keys = errors.stream().map(ConfigurationError::key).distinct().collect(Collectors.joining(", "));
        // No cause: Boot would log it at debug, and a BindValidationException's message quotes rejected values.
        return new FailureAnalysis(description, "Correct " + keys + " (see the configuration reference in README.md).",
                null);
    }

    private static List<ConfigurationError> errors(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidConfigurationException invalid) {
                return List.of(new ConfigurationError(invalid.key(), invalid.problem()));
            }
            if (cause instanceof BindValidationException validation && isRoomgate(validation)) {
                return ConfigurationError.of(validation);
            }
        }
        return List.of();
    }

    private static boolean isRoomgate(BindValidationException validation) {
        ConfigurationPropertyName name = validation.getValidationErrors().getName();
        return ROOMGATE.equals(name) || ROOMGATE.isAncestorOf(name);
    }
}
