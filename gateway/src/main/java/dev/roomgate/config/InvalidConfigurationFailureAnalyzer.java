package dev.roomgate.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a configuration error into Boot's start-up failure report, keeping it to the one line that names the key. */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        return new FailureAnalysis("Invalid Roomgate configuration: " + cause.getMessage(),
                "Correct " + cause.key() + " (see the configuration reference in README.md).", null);
    }
}
