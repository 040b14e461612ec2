package dev.roomgate.api;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.roomgate.schema.FleetDocument;
import dev.roomgate.schema.RoomDocument;

/** Writes the endpoints' JSON documents as their responses, each serialized once, straight into one buffer. */
@Component
class DocumentWriter {

    private final JsonMapper json;

    private final RoomDocumentJson rooms;

    DocumentWriter(JsonMapper json) {
        this.json = json;
        this.rooms = new RoomDocumentJson(json);
    }

    /**
     * @param participants false: every participant list withheld
     * @param ifNoneMatch the request's {@code If-None-Match} values: the tag they hold answers 304
     */
    Mono<ServerResponse> room(RoomDocument document, boolean participants, List<String> ifNoneMatch,
            Consumer<HttpHeaders> headers) {
        String tag = EntityTags.of(rooms.roomDigests(rooms.roomBytes(document.rooms(), participants)),
                document.providers(), null);
        return conditional(document.httpStatus(), tag, ifNoneMatch, headers,
                () -> rooms.body(document, participants));
    }

    /** @param ifNoneMatch as for {@link #room} */
    Mono<ServerResponse> fleet(FleetDocument document, List<String> ifNoneMatch, Consumer<HttpHeaders> headers) {
        // Fleet rooms carry no participant list: "with participants" is the room as it is.
        List<byte[]> listed = rooms.roomBytes(document.rooms(), true);
        String tag = EntityTags.of(rooms.roomDigests(listed), document.providers(), document.nextCursor());
        return conditional(document.httpStatus(), tag, ifNoneMatch, headers, () -> rooms.body(document, listed));
    }

    /** A document whose whole body is what it says (live state, no timestamps): tagged by its bytes. */
    Mono<ServerResponse> json(Object document, List<String> ifNoneMatch, Consumer<HttpHeaders> headers) {
        byte[] bytes = json.writeValueAsBytes(document);
        return conditional(200, EntityTags.of(bytes), ifNoneMatch, headers, () -> PreparedBytes.of(bytes));
    }

    /** 304 with the tag and the caching headers, no body, when a success's tag is the one the client holds. */
    private static Mono<ServerResponse> conditional(int status, String tag, List<String> ifNoneMatch,
            Consumer<HttpHeaders> headers, Supplier<PreparedBytes> body) {
        Consumer<HttpHeaders> tagged = headers.andThen(written -> written.setETag(tag));
        if (status == 200 && EntityTags.matches(ifNoneMatch, tag)) {
            return ServerResponse.status(HttpStatus.NOT_MODIFIED).headers(tagged).build();
        }
        return PreparedBody.response(status, MediaType.APPLICATION_JSON, body.get(), tagged);
    }
}
