package dev.roomgate.api;

import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ApiKeys.Permission;
import dev.roomgate.fleet.FleetAggregator;
import dev.roomgate.fleet.FleetQuery;
import dev.roomgate.schema.FleetDocument;
import dev.roomgate.schema.Room;

/** {@code GET /v1/rooms}: every live room across the selected instances, one page at a time (contract 2.1). */
record FleetHandler(FleetRequestParser parser, FleetAggregator fleet, ProblemWriter problems,
        DocumentWriter documents, Ticker ticker) {

    static final String PATH = "/v1/rooms";

    private static final List<String> VARY = List.of(ApiKeyAuthentication.HEADER, HttpHeaders.AUTHORIZATION);

    Mono<ServerResponse> answer(ServerRequest request) {
        Optional<Mono<ServerResponse>> refused = EndpointAccess.refusal(request, problems, Permission.ROOMS,
                "this API key may not read rooms");
        if (refused.isPresent()) {
            return refused.get();
        }
        FleetQuery query;
        try {
            Long arrived = request.exchange().getAttribute(RequestIdFilter.ARRIVED_AT);
            query = parser.parse(request.queryParams(), request.headers().header(HttpHeaders.ACCEPT),
                    RoomHandler.asksForFreshAnswer(request.headers().asHttpHeaders()),
                    arrived != null ? arrived : ticker.nanoTime());
        }
        catch (RejectedRequest rejected) {
            return problems.problem(request, rejected.status(), rejected.slug(), rejected.getMessage());
        }
        // The owner is a user id: personal data, shown only to callers who may see participants.
        boolean personal = Caller.may(request.exchange(), Permission.PARTICIPANTS);
        return fleet.page(query).flatMap(document -> {
            FleetDocument shown = personal ? document : withoutOwners(document);
            request.exchange().getAttributes().put(RoomHandler.SUMMARY,
                    new RoomHandler.Summary(shown.complete(), RoomHandler.statuses(shown.providers())));
            return documents.fleet(shown, request.headers().header(HttpHeaders.IF_NONE_MATCH), headers -> {
                headers.set(RoomHandler.COMPLETE_HEADER, Boolean.toString(shown.complete()));
                headers.setCacheControl("private, no-cache");
                headers.setVary(VARY);
            });
        });
    }

    private static FleetDocument withoutOwners(FleetDocument document) {
        return new FleetDocument(document.complete(), document.fetchedAt(), document.nextCursor(),
                document.rooms().stream().map(Room::withoutParticipants).toList(), document.providers());
    }
}
