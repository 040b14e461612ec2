package dev.roomgate.provider.videosdk;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriComponentsBuilder;

import dev.roomgate.aggregate.CallBudget;
import dev.roomgate.aggregate.Outcome;
import dev.roomgate.aggregate.ProviderClient;
import dev.roomgate.aggregate.ProviderException;
import dev.roomgate.aggregate.ListingProgress;
import dev.roomgate.aggregate.RoomListing;
import dev.roomgate.aggregate.RoomQuery;
import dev.roomgate.config.ProviderCredentials;
import dev.roomgate.config.ProviderInstance;
import dev.roomgate.provider.ClientParts;
import dev.roomgate.provider.FailureClass;
import dev.roomgate.provider.RenewingCredential;
import dev.roomgate.provider.UpstreamReply;
import dev.roomgate.provider.WireJson;
import dev.roomgate.schema.Room;

/**
 * VideoSDK v2: find the room's ongoing session, then read its active participants page after page until
 * {@code currentPage >= lastPage}, and beside them whether its HLS stream is live. The JWT goes raw in
 * {@code Authorization}, without "Bearer".
 */
public final class VideoSdkClient implements ProviderClient {

    static final Duration TOKEN_VALIDITY = Duration.ofHours(1);

    // We ask for this many per page but follow pageInfo, since the server may cap it lower.
    private static final int PER_PAGE = 100;

    private static final int MAX_PAGES = 500;

    private static final int MAX_SESSION_PAGES = 20;

    /** 50 000 sessions at {@link #PER_PAGE}; a listing that pages on past that is a server looping. */
    private static final int MAX_LISTING_PAGES = 500;

    /** What a 404/402 on the listing means: nothing ongoing. */
    private static final JsonNode EMPTY_LISTING = JsonNodeFactory.instance.objectNode()
        .set("data", JsonNodeFactory.instance.arrayNode());

    private final ClientParts parts;

    private final RenewingCredential tokens;

    public VideoSdkClient(ClientParts parts) {
        this.parts = parts;
        ProviderCredentials.VideoSdk credentials = parts.credentials(ProviderCredentials.VideoSdk.class);
        this.tokens = parts.renewing(TOKEN_VALIDITY,
                new VideoSdkTokenSigner(parts.json(), credentials.apiKey(), credentials.secret())::sign);
    }

    @Override
    public ProviderInstance instance() {
        return parts.instance();
    }

    @Override
    public Mono<Outcome> fetchRoom(RoomQuery query, CallBudget budget) {
        Mono<Outcome> lookup = ongoingSession(query.roomId(), 1, budget).flatMap(session -> {
            if (!query.includeParticipants()) {
                // The streaming state would be a call of its own that nobody asked for: it rides along with the
                // participant listing only (README, "Choices beyond the contract").
                return Mono.just(found(session, null, null, null, null));
            }
            String sessionId = VideoSdkMapper.sessionId(session);
            Mono<Listing> listing = Mono.defer(() -> activeParticipants(sessionId, 1, new ArrayList<>(), null,
                    budget));
            return Mono.zip(listing, hlsStreaming(query.roomId(), budget))
                .map(both -> found(session, both.getT1().session(), both.getT1().participants(),
                        both.getT1().total(), both.getT2().orElse(null)));
        });
        // Empty: no ongoing session, or it ended while its participants were being read.
        return lookup.switchIfEmpty(Mono.fromSupplier(() -> new Outcome.NotFound("no ongoing session")));
    }

    /**
     * The room's ongoing session. The official SDK filters with {@code status=ongoing}, which the public REST docs
     * do not list, so a server that ignores it is paged through until an ongoing session turns up.
     */
    private Mono<JsonNode> ongoingSession(String roomId, int page, CallBudget budget) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUri(parts.instance().baseUrl())
            .path("/v2/sessions")
            .queryParam("roomId", "{roomId}")
            .queryParam("status", "ongoing");
        if (page > 1) {
            uri.queryParam("page", page);
        }
        return get(uri.encode().buildAndExpand(roomId).toUri(), "sessions", budget).flatMap(answer -> {
            JsonNode session = VideoSdkMapper.ongoingSession(answer);
            if (session != null) {
                return Mono.just(session);
            }
            if (!VideoSdkMapper.hasMoreSessions(answer)) {
                return Mono.empty();
            }
            if (page >= MAX_SESSION_PAGES) {
                return Mono.error(WireJson.invalid("VideoSDK session listing did not end after " + MAX_SESSION_PAGES));
            }
            return ongoingSession(roomId, page + 1, budget);
        });
    }

    /**
     * Every ongoing session of the account ({@code GET /v2/sessions?status=ongoing} without a room, providers.md
     * 6.3), page by page to {@code pageInfo.lastPage}, one room per {@code roomId}: its newest session.
     */
    @Override
    public Mono<RoomListing> listRooms(CallBudget budget, ListingProgress progress) {
        // Every ongoing session of the account: a room not among them has none.
        return Mono.defer(() -> ongoingSessions(1, new ArrayList<>(), budget, progress))
            .map(sessions -> new RoomListing(VideoSdkMapper.toRooms(parts.instance().name(), sessions), null, true));
    }

    private Mono<List<JsonNode>> ongoingSessions(int page, List<JsonNode> sofar, CallBudget budget,
            ListingProgress progress) {
        if (page > MAX_LISTING_PAGES) {
            return Mono.error(WireJson.invalid("VideoSDK session listing did not end after " + MAX_LISTING_PAGES));
        }
        URI uri = UriComponentsBuilder.fromUri(parts.instance().baseUrl())
            .path("/v2/sessions")
            .queryParam("status", "ongoing")
            .queryParam("page", page)
            .queryParam("perPage", PER_PAGE)
            .build()
            .toUri();
        return parts.calls().listingCall(budget, "sessions_ongoing", authenticatedGet(uri))
            .defaultIfEmpty(EMPTY_LISTING)
            .flatMap(answer -> {
                sofar.addAll(VideoSdkMapper.ongoingSessions(answer));
                progress.read(VideoSdkMapper.toRooms(parts.instance().name(), sofar));
                if (!VideoSdkMapper.hasMoreSessions(answer)) {
                    return Mono.just(sofar);
                }
                return ongoingSessions(page + 1, sofar, budget, progress);
            });
    }

    private Outcome found(JsonNode session, JsonNode activeSession, List<JsonNode> participants, Integer total,
            Boolean streaming) {
        return new Outcome.Found(VideoSdkMapper.toRoom(parts.instance().name(), session, activeSession, participants,
                total, streaming));
    }

    /**
     * Whether the room's HLS stream is live ({@code GET /v2/hls/{roomId}/active}, providers.md 6.3: 200 with an open
     * stream, 404 when none is active). It runs beside the participant listing and costs one call of the quota;
     * when it fails, the room is still answered, with streaming unknown rather than the whole room failed.
     */
    private Mono<Optional<Boolean>> hlsStreaming(String roomId, CallBudget budget) {
        URI uri = UriComponentsBuilder.fromUri(parts.instance().baseUrl())
            .path("/v2/hls/{roomId}/active")
            .encode()
            .buildAndExpand(roomId)
            .toUri();
        return get(uri, "hls_active", budget)
            .map(answer -> Optional.of(VideoSdkMapper.hlsLive(answer)))
            .defaultIfEmpty(Optional.of(false))
            .onErrorResume(ProviderException.class, unknown -> Mono.just(Optional.empty()));
    }

    private record Listing(JsonNode session, List<JsonNode> participants, Integer total) {
    }

    /** Every page of the active listing; empty when the session is gone (404). */
    private Mono<Listing> activeParticipants(String sessionId, int page, List<JsonNode> sofar, Listing first,
            CallBudget budget) {
        if (page > MAX_PAGES) {
            return Mono.error(WireJson.invalid("VideoSDK participant listing did not end after " + MAX_PAGES));
        }
        URI uri = UriComponentsBuilder.fromUri(parts.instance().baseUrl())
            .path("/v2/sessions/{sessionId}/participants/active")
            .queryParam("page", page)
            .queryParam("perPage", PER_PAGE)
            .encode()
            .buildAndExpand(sessionId)
            .toUri();
        return get(uri, "participants_active", budget).flatMap(answer -> {
            VideoSdkMapper.ParticipantPage parsed = VideoSdkMapper.toParticipantPage(answer, page);
            sofar.addAll(parsed.participants());
            Listing head = first != null ? first : new Listing(parsed.session(), null, parsed.total());
            if (parsed.isLast(sofar.size())) {
                return Mono.just(new Listing(head.session(), List.copyOf(sofar), head.total()));
            }
            return activeParticipants(sessionId, parsed.currentPage() + 1, sofar, head, budget);
        });
    }

    /**
     * One authenticated GET; empty when VideoSDK says the thing is not there (404, 402): no such room's session,
     * a session that ended meanwhile, no live HLS stream.
     */
    private Mono<JsonNode> get(URI uri, String api, CallBudget budget) {
        return parts.calls().call(budget, api, authenticatedGet(uri));
    }

    /** One attempt of an authenticated GET, empty when VideoSDK says the thing is not there. */
    private Mono<JsonNode> authenticatedGet(URI uri) {
        return Mono.defer(() -> parts.http().send(HttpMethod.GET, uri, headers -> {
            headers.set(HttpHeaders.AUTHORIZATION, tokens.get());
            headers.setAccept(List.of(MediaType.APPLICATION_JSON));
        }, null)).handle((reply, sink) -> {
            JsonNode answer = interpret(reply);
            if (answer != null) {
                sink.next(answer);
            }
        });
    }

    /** VideoSDK's error bodies are not documented; its own SDK reads {@code code} or {@code errorCode}. */
    private String errorCode(UpstreamReply reply) {
        try {
            JsonNode body = WireJson.parse(parts.json(), reply.body());
            String code = WireJson.text(body.get("code"));
            return code != null ? code : WireJson.text(body.get("errorCode"));
        }
        catch (ProviderException notJson) {
            return null;
        }
    }

    private JsonNode interpret(UpstreamReply reply) {
        if (reply.isSuccessful()) {
            return WireJson.parse(parts.json(), reply.body());
        }
        if (VideoSdkErrors.verdictOf(reply.status()) == FailureClass.NOT_FOUND) {
            return null;
        }
        if (reply.status() == 401) {
            // A token we minted was refused: mint afresh next time in case it was our clock.
            tokens.invalidate();
        }
        throw VideoSdkErrors.failure(reply, errorCode(reply));
    }
}
