package dev.roomgate.api;

import java.util.function.Consumer;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;

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

    /** @param participants false: every participant list withheld */
    Mono<ServerResponse> room(RoomDocument document, boolean participants, Consumer<HttpHeaders> headers) {
        return PreparedBody.response(document.httpStatus(), MediaType.APPLICATION_JSON,
                rooms.write(document, participants), headers);
    }

    Mono<ServerResponse> json(Object document, Consumer<HttpHeaders> headers) {
        return PreparedBody.response(200, MediaType.APPLICATION_JSON, json.writeValueAsBytes(document), headers);
    }
}
