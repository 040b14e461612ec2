package dev.roomgate.api;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import dev.roomgate.observability.RequestIdLogging;

/** Every error the framework raises becomes a problem answer: no HTML page, no stack trace, no echoed input. */
@Component
@Order(-2)
class ProblemErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

    static final String NOT_FOUND_DETAIL = "no endpoint at this path; the API is GET /v1/rooms/{roomId}";

    private final ProblemWriter writer;

    ProblemErrorHandler(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        HttpStatus status = error instanceof ResponseStatusException rse ? HttpStatus.resolve(rse.getStatusCode().value())
                : null;
        if (status == null || status.is5xxServerError()) {
            String id = RequestIdFilter.of(exchange);
            RequestIdLogging.in(id, () -> log.error("request {} failed", id, error));
            return writer.problem(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                    "the gateway failed to answer; quote the request id when reporting this");
        }
        if (error instanceof MethodNotAllowedException notAllowed) {
            Set<HttpMethod> allowed = notAllowed.getSupportedMethods();
            exchange.getResponse().getHeaders().setAllow(allowed);
        }
        return writer.problem(exchange, status, slug(status), detail(status));
    }

    private static String slug(HttpStatus status) {
        return status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    }

    private static String detail(HttpStatus status) {
        return status == HttpStatus.NOT_FOUND ? NOT_FOUND_DETAIL : status.getReasonPhrase();
    }
}
