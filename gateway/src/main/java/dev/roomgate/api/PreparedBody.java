package dev.roomgate.api;

import java.util.function.Consumer;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A body serialized before it is written, sent as one buffer with its exact length. Not through the codecs: they
 * would look up an encoder per answer for bytes that are already what goes on the wire.
 */
final class PreparedBody {

    private PreparedBody() {
    }

    static Mono<Void> write(ServerHttpResponse response, int status, MediaType type, byte[] bytes) {
        response.setStatusCode(HttpStatusCode.valueOf(status));
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(type);
        headers.setContentLength(bytes.length);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
    }

    static Mono<ServerResponse> response(int status, MediaType type, byte[] bytes, Consumer<HttpHeaders> headers) {
        return response(status, type, PreparedBytes.of(bytes), headers);
    }

    static Mono<ServerResponse> response(int status, MediaType type, PreparedBytes bytes,
            Consumer<HttpHeaders> headers) {
        BodyInserter<PreparedBytes, ReactiveHttpOutputMessage> body = (message, context) -> message
            .writeWith(Mono.fromSupplier(() -> bytes.buffer(message.bufferFactory())));
        return ServerResponse.status(status)
            .headers(headers)
            .contentType(type)
            .contentLength(bytes.length())
            .body(body);
    }
}
