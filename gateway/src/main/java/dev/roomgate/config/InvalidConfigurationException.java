package dev.roomgate.config;

/**
 * A configuration value Roomgate cannot start with, found by a check outside binding's Bean Validation (instance
 * names as written, API keys, the JWT issuer). The message is one line that names the key.
 */
public class InvalidConfigurationException extends RuntimeException {

    private final String key;

    private final String problem;

    public InvalidConfigurationException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    public String key() {
        return key;
    }

    /** What is wrong, without the key. */
    public String problem() {
        return problem;
    }
}
