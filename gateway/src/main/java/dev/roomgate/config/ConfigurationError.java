package dev.roomgate.config;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * One thing wrong in the configuration: the key as the operator writes it and what is wrong with it. Never the value,
 * which may be a credential (a secret, or a URL with user info).
 *
 * @param key e.g. {@code roomgate.providers.p1.credentials.secret-key}
 * @param message e.g. {@code is required}
 */
public record ConfigurationError(String key, String message) {

    /** A map key in a validated field's path, such as {@code [plugnmeet-main]} in {@code providers[plugnmeet-main]}. */
    private static final Pattern INDEX = Pattern.compile("\\[([^\\]]*)\\]");

    /** {@code key: message}, the line start-up prints after "Invalid Roomgate configuration: ". */
    public String line() {
        return key + ": " + message;
    }

    /**
     * Every error of a binding validation failure, ordered by key, each once. The field paths Spring gives
     * ({@code providers[p1].credentials.secretKey}) become keys ({@code roomgate.providers.p1.credentials.secret-key}).
     */
    public static List<ConfigurationError> of(BindValidationException exception) {
        ValidationErrors errors = exception.getValidationErrors();
        String prefix = errors.getName().toString();
        return errors.getAllErrors()
            .stream()
            .map(error -> new ConfigurationError(keyOf(prefix, error), String.valueOf(error.getDefaultMessage())))
            .distinct()
            .sorted(Comparator.comparing(ConfigurationError::key).thenComparing(ConfigurationError::message))
            .toList();
    }

    private static String keyOf(String prefix, ObjectError error) {
        if (!(error instanceof FieldError field) || field.getField().isEmpty()) {
            return prefix;
        }
        // Dashed form leaves map keys as they are; a map key is then written as the operator wrote it in YAML.
        Matcher index = INDEX.matcher(DataObjectPropertyName.toDashedForm(field.getField()));
        return prefix + "." + index.replaceAll(found -> Matcher.quoteReplacement("." + found.group(1)));
    }
}
