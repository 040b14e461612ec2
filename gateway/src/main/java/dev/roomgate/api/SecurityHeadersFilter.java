package dev.roomgate.api;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Headers that tell browsers to treat every answer as inert data: no sniffing, no framing, no referrer. The one
 * web page, Swagger UI, may run its own assets from this origin and nothing else.
 */
final class SecurityHeadersFilter implements WebFilter, Ordered {

    /** An answer is data: a browser that renders one anyway may load and run nothing. */
    static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

    /**
     * The Swagger UI page runs its own scripts and styles, and reads the document and (when a user tries an
     * endpoint) the API, all from this origin; nothing from anywhere else, no inline script, and no framing. Its
     * bundle injects one style element, let in by its hash alone: a new swagger-ui version that changes it fails
     * {@code SwaggerUiBrowserTests}, whose report names the new hash.
     */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; "
            + "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'";

    private static final String PAGE_PREFIX = "/swagger-ui/";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Content-Security-Policy", isDocumentationPage(exchange) ? PAGE_POLICY : DATA_POLICY);
        headers.set("Referrer-Policy", "no-referrer");
        return chain.filter(exchange);
    }

    private static boolean isDocumentationPage(ServerWebExchange exchange) {
        // The firewall has refused any path that is not normalized before this matters.
        return exchange.getRequest().getPath().pathWithinApplication().value().startsWith(PAGE_PREFIX);
    }
}
