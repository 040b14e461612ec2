package dev.roomgate.provider;

import java.net.URI;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.aggregate.ProviderStatus;

/**
 * The one place upstream bytes cross the wire. Every transport failure leaves here as a classified
 * {@link ProviderException} whose message we wrote: exceptions from the HTTP client embed the full request URI
 * (Tencent puts the UserSig in it), so their messages never travel further.
 */
public final class UpstreamHttp {

    private static final byte[] EMPTY = new byte[0];

    private final WebClient webClient;

    public UpstreamHttp(WebClient webClient) {
        this.webClient = webClient;
    }

    /** Sends one request; {@code body} may be null for a request without one. */
    public Mono<UpstreamReply> send(HttpMethod method, URI uri, Consumer<HttpHeaders> headers, byte[] body) {
        WebClient.RequestBodySpec spec = webClient.method(method).uri(uri).headers(headers);
        WebClient.RequestHeadersSpec<?> request = body == null ? spec : spec.bodyValue(body);
        return request
            .exchangeToMono(response -> response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .map(bytes -> new UpstreamReply(response.statusCode().value(), response.headers().asHttpHeaders(),
                        bytes)))
            .onErrorMap(error -> !(error instanceof ProviderException), UpstreamHttp::classify);
    }

    static ProviderException classify(Throwable error) {
        if (hasCause(error, DataBufferLimitException.class)) {
            return ProviderException
                .of(ProviderStatus.INVALID_RESPONSE, "UPSTREAM_BODY_TOO_LARGE", "the provider's answer is too large")
                .build();
        }
        return ProviderException
            .of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_UNREACHABLE",
                    "could not complete the call to the provider (" + rootCause(error).getClass().getSimpleName() + ")")
            .retryable(true)
            .build();
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
