package dev.roomgate.api;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security chain tries the {@code /v1} rules first, because nearly every request needs one of them. That order
 * decides nothing only while no other rule lets in a path under {@code /v1}, and no {@code /v1} rule a path the
 * others name: both checked here on the very patterns the chain is given.
 */
class SecurityRuleOrderTests {

    private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;

    /** Paths under /v1: every endpoint's example, and paths no endpoint names. */
    private static List<String> apiPaths() {
        List<String> paths = new ArrayList<>(List.of("/v1", "/v1/", "/v1/unknown", "/v1/rooms/", "/v1/rooms/a/b/c",
                "/v1/openapi.yaml", "/v1/webhooks/plugnmeet-demo", "/v1/actuator/health", "/v1/swagger-ui.html"));
        Endpoints.ALL.forEach(endpoint -> paths.add(endpoint.example()));
        return paths;
    }

    /** The patterns of the rules that now come after the /v1 ones (management is on its own port and base path). */
    private static List<String> laterPatterns() {
        return Stream.concat(Endpoints.openPaths().stream(), Stream.of(Endpoints.WEBHOOKS, "/actuator/**")).toList();
    }

    @Test
    void noLaterRuleMatchesAPathUnderV1() {
        for (String pattern : laterPatterns()) {
            PathPattern parsed = PARSER.parse(pattern);
            for (String path : apiPaths()) {
                assertThat(parsed.matches(PathContainer.parsePath(path))).as(pattern + " against " + path).isFalse();
            }
        }
    }

    @Test
    void noV1RuleMatchesAPathTheLaterRulesName() {
        List<String> named = List.of("/openapi.yaml", "/v3/api-docs", "/v3/api-docs.yaml", "/swagger-ui.html",
                "/swagger-ui/index.html", "/v3/api-docs/swagger-config", "/webhooks/plugnmeet-demo",
                "/actuator/health/readiness", "/actuator/prometheus");
        List<String> apiPatterns = new ArrayList<>(List.of(Endpoints.API));
        Endpoints.ALL.forEach(endpoint -> apiPatterns.add(endpoint.pattern()));
        for (String pattern : apiPatterns) {
            PathPattern parsed = PARSER.parse(pattern);
            for (String path : named) {
                assertThat(parsed.matches(PathContainer.parsePath(path))).as(pattern + " against " + path).isFalse();
            }
        }
        // The later rules do name those paths: the check above is not vacuous.
        for (String path : named) {
            assertThat(laterPatterns().stream().anyMatch(p -> PARSER.parse(p).matches(PathContainer.parsePath(path))))
                .as(path).isTrue();
        }
    }
}
