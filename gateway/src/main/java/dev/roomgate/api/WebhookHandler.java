package dev.roomgate.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.roomgate.webhook.WebhookIntake;
import dev.roomgate.webhook.WebhookOutcome;
import dev.roomgate.webhook.WebhookRejection;
import dev.roomgate.webhook.WebhookRequest;

/**
 * {@code POST /webhooks/{instance}} (contract 2.4): a provider's webhook, verified with that provider's own
 * signature before anything is done with it. Not under {@code /v1} and not behind client keys: the signature is
 * the credential. The body is read up to 1 MiB and no further.
 */
record WebhookHandler(WebhookIntake intake, ProblemWriter problems) {

    static final String PREFIX = "/webhooks/";

    static final String PATTERN = PREFIX + "*";

    /** Only a POST reaches this: the security chain lets no other method in. */
    Mono<ServerResponse> receive(ServerRequest request) {
        String instance = request.requestPath().pathWithinApplication().value().substring(PREFIX.length());
        return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), WebhookIntake.MAX_BODY_BYTES)
            .map(WebhookHandler::bytes)
            .defaultIfEmpty(new byte[0])
            .map(body -> intake.receive(instance, new WebhookRequest(headers(request), request.queryParams(), body)))
            .onErrorResume(DataBufferLimitException.class, tooBig -> Mono.just(intake.tooLarge(instance)))
            .flatMap(outcome -> respond(request, outcome));
    }

    private static Map<String, List<String>> headers(ServerRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().asHttpHeaders().forEach(headers::put);
        return headers;
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        }
        finally {
            DataBufferUtils.release(buffer);
        }
    }

    private Mono<ServerResponse> respond(ServerRequest request, WebhookOutcome outcome) {
        if (outcome instanceof WebhookRejection rejected) {
            return problems.problem(request, HttpStatus.valueOf(rejected.status()), rejected.problem(),
                    rejected.detail(), headers -> {
                        if (rejected.retryAfter() != null) {
                            headers.set(HttpHeaders.RETRY_AFTER,
                                    Long.toString(Math.max(1, (rejected.retryAfter().toMillis() + 999) / 1000)));
                        }
                    });
        }
        WebhookOutcome.Accepted accepted = (WebhookOutcome.Accepted) outcome;
        ServerResponse.BodyBuilder answer = ServerResponse.status(accepted.status());
        if (accepted.body() == null) {
            return answer.build();
        }
        return answer.contentType(MediaType.APPLICATION_JSON)
            .bodyValue(accepted.body().getBytes(StandardCharsets.UTF_8));
    }
}
