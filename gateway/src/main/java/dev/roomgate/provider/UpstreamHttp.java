package dev.roomgate.provider;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.schema.ProviderStatus;

/**
 * The one place upstream bytes cross the wire. Every transport failure leaves here as a classified
 * {@link ProviderException} whose message we wrote: exceptions from the HTTP client embed the full request URI
 * (Tencent puts the UserSig in it), so their messages never travel further.
 */
public final class UpstreamHttp {

    private static final byte[] EMPTY = new byte[0];

    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    /** Hops after the first call; a legitimate redirect (a trailing slash) takes one. */
    static final int MAX_REDIRECTS = 3;

    private final WebClient webClient;

    public UpstreamHttp(WebClient webClient) {
        this.webClient = webClient;
    }

    /**
     * The HTTP setup every instance gets: its own pool, a bounded body. The client follows no redirect itself:
     * {@link #send} does, so that each hop is a call the quota sees.
     */
    public static UpstreamHttp create(ProviderInstance instance, int maxBodyBytes, ConnectionProvider pool) {
        Duration connectTimeout = instance.timeout().compareTo(MAX_CONNECT_TIMEOUT) < 0 ? instance.timeout()
                : MAX_CONNECT_TIMEOUT;
        HttpClient client = HttpClient.create(pool)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
            .doAfterRequest((request, connection) -> request.currentContextView().getOrEmpty(RequestSent.KEY)
                .ifPresent(listener -> ((RequestSent) listener).sent()));
        // A plain builder, not Boot's: its observations would tag client metrics with our upstream URLs.
        return new UpstreamHttp(WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(client))
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxBodyBytes))
            .build());
    }

    /** A connection pool of the instance's own, so one slow provider cannot starve the others of connections. */
    public static ConnectionProvider connectionPool(ProviderInstance instance) {
        return ConnectionProvider.builder("roomgate-" + instance.name())
            // The bulkhead admits at most this many calls, so no call ever queues for a connection.
            .maxConnections(instance.maxConcurrentCalls())
            .pendingAcquireMaxCount(instance.maxConcurrentCalls())
            .pendingAcquireTimeout(instance.timeout())
            // Evict idle connections before typical upstream keep-alive timeouts close them under us.
            .maxIdleTime(Duration.ofSeconds(20))
            .maxLifeTime(Duration.ofMinutes(5))
            .evictInBackground(Duration.ofSeconds(30))
            .build();
    }

    /**
     * Sends one request; {@code body} may be null for a request without one. A same-origin redirect of a read is
     * followed here, hop by hop, each hop through the attempt's {@link RedirectHops} (its quota and deadline).
     */
    public Mono<UpstreamReply> send(HttpMethod method, URI uri, Consumer<HttpHeaders> headers, byte[] body) {
        return exchange(method, uri, headers, body, 0)
            .onErrorMap(error -> !(error instanceof ProviderException), UpstreamHttp::classify);
    }

    private Mono<UpstreamReply> exchange(HttpMethod method, URI uri, Consumer<HttpHeaders> headers, byte[] body,
            int hops) {
        WebClient.RequestBodySpec spec = webClient.method(method).uri(uri).headers(headers);
        WebClient.RequestHeadersSpec<?> request = body == null ? spec : spec.bodyValue(body);
        return request
            .exchangeToMono(response -> response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .map(bytes -> new UpstreamReply(response.statusCode().value(), response.headers().asHttpHeaders(),
                        bytes)))
            .flatMap(reply -> {
                URI next = SameOriginRedirects.target(method, uri, reply);
                if (next == null) {
                    return Mono.just(reply);
                }
                return Mono.deferContextual(context -> {
                    RedirectHops gate = context.getOrDefault(RedirectHops.KEY, null);
                    if (gate == null) {
                        return Mono.just(reply);
                    }
                    if (hops >= MAX_REDIRECTS) {
                        return Mono.error(tooManyRedirects(reply.status()));
                    }
                    // Reads only, so no body follows; the headers (our credential) go to the same origin alone.
                    return gate.next().then(Mono.defer(() -> exchange(method, next, headers, null, hops + 1)));
                });
            });
    }

    private static ProviderException tooManyRedirects(int status) {
        return ProviderException
            .of(ProviderStatus.UPSTREAM_ERROR, "UPSTREAM_TOO_MANY_REDIRECTS",
                    "the provider redirected more than " + MAX_REDIRECTS + " times")
            .answered(status, null)
            .build();
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
