package dev.roomgate.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import dev.roomgate.emulator.DemoRooms;
import dev.roomgate.emulator.PlugNmeetEmulator;
import dev.roomgate.emulator.PlugNmeetRoom;
import dev.roomgate.emulator.TencentEmulator;
import dev.roomgate.emulator.TencentRoom;
import dev.roomgate.emulator.VideoSdkEmulator;
import dev.roomgate.support.Await;
import dev.roomgate.support.CacheOffIntegrationTest;
import dev.roomgate.support.ProviderEmulators;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/rooms} over real HTTP against the emulators' listings (contract 2.1 and 2.5). Listings are reused
 * for {@code fresh-for} by every test of the shared context, so a test that changes the emulators' rooms asks
 * with {@code Cache-Control: no-cache}.
 */
class FleetEndToEndTests extends CacheOffIntegrationTest {

    private static final String PLUGNMEET_AND_VIDEOSDK = ProviderEmulators.PLUGNMEET + ","
            + ProviderEmulators.VIDEOSDK;

    @SuppressWarnings("unchecked")
    private Map<String, Object> page(String query, boolean fresh) {
        var request = client.get().uri("/v1/rooms" + query);
        if (fresh) {
            request = request.header(HttpHeaders.CACHE_CONTROL, "no-cache");
        }
        return request.exchange()
            .expectStatus().isOk()
            .expectHeader().contentType(MediaType.APPLICATION_JSON)
            .expectBody(Map.class).returnResult().getResponseBody();
    }

    /** The page as answered, whatever its status (200, or 502 while nothing is listed yet). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> anyPage(String query) {
        return client.get().uri("/v1/rooms" + query).exchange()
            .expectBody(Map.class).returnResult().getResponseBody();
    }

    /** As {@link #anyPage}, asking for listings read now. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> readNow(String query) {
        return client.get().uri("/v1/rooms" + query).header(HttpHeaders.CACHE_CONTROL, "no-cache").exchange()
            .expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rooms(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("rooms");
    }

    private static List<String> keys(Map<String, Object> page) {
        return rooms(page).stream().map(room -> room.get("provider") + "/" + room.get("roomId")).toList();
    }

    @Test
    void everyLiveRoomOnceInInstanceOrderThenRoomIdWithoutParticipants() {
        Map<String, Object> page = page("?providers=" + PLUGNMEET_AND_VIDEOSDK, true);

        assertThat(keys(page)).containsExactly(
                ProviderEmulators.PLUGNMEET + "/" + DemoRooms.DEMO_STANDUP,
                ProviderEmulators.PLUGNMEET + "/" + DemoRooms.TOWN_HALL,
                ProviderEmulators.VIDEOSDK + "/" + DemoRooms.DEMO_STANDUP,
                ProviderEmulators.VIDEOSDK + "/" + DemoRooms.TOWN_HALL);
        assertThat(rooms(page)).allSatisfy(room -> {
            assertThat(room.get("participants")).isNull();
            assertThat(room.get("participantsComplete")).isNull();
        });
        assertThat(rooms(page).get(0)).containsEntry("participantCount", 5).containsEntry("title", "Daily stand-up");
        // VideoSDK's listing counts who is in by the sessions' timelogs.
        assertThat(rooms(page).get(2)).containsEntry("participantCount", 27);
        assertThat(page).containsEntry("complete", true).containsEntry("nextCursor", null);
        assertThat(page.get("providers").toString()).contains("status=ok");
        assertThat(emulators.plugNmeet.calls(PlugNmeetEmulator.ROOMS_INFO)).isEqualTo(1);
    }

    @Test
    void everyProviderIsListedTencentsRoomsWithoutACount() {
        Map<String, Object> page = page("", true);

        assertThat(keys(page)).containsSubsequence(
                ProviderEmulators.PLUGNMEET + "/" + DemoRooms.DEMO_STANDUP,
                ProviderEmulators.TENCENT + "/" + DemoRooms.DEMO_STANDUP,
                ProviderEmulators.TENCENT + "/" + DemoRooms.TENCENT_ONLY,
                ProviderEmulators.VIDEOSDK + "/" + DemoRooms.TOWN_HALL);
        Map<String, Object> tencentOnly = rooms(page).stream()
            .filter(room -> DemoRooms.TENCENT_ONLY.equals(room.get("roomId"))).findFirst().orElseThrow();
        // get_room_list carries no member count (providers.md 6.2), and none is fetched room by room.
        assertThat(tencentOnly).containsEntry("participantCount", null)
            .containsEntry("ownerId", DemoRooms.TENCENT_ONLY_OWNER)
            .containsEntry("title", "Tencent live corner");
        assertThat(emulators.tencent.calls(TencentEmulator.GET_MEMBER_LIST)).isZero();
        assertThat(page).containsEntry("complete", true);
    }

    @Test
    void aBigTencentAppIsListedPageByPageWithinItsOwnListLimit() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            ids.add(String.format("fleet-t-%03d", i));
        }
        try {
            long now = Instant.now().getEpochSecond();
            ids.forEach(id -> emulators.tencent.addRoom(new TencentRoom(id, "Room " + id, "owner-" + id, now, 50,
                    false, List.of("m-" + id))));
            // Eight pages at ten a second may outlast one request's 1 s wait: the read goes on for the next ones.
            client.get().uri("/v1/rooms?providers=" + ProviderEmulators.TENCENT)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache").exchange().expectBody().returnResult();
            Map<String, Object> page = Await.value("the whole Tencent listing",
                    () -> anyPage("?providers=" + ProviderEmulators.TENCENT + "&limit=500"),
                    listed -> listed.get("rooms") != null && rooms(listed).size() == 152, Await.GENEROUSLY);
            assertThat(keys(page)).doesNotHaveDuplicates().isSorted();
            assertThat(emulators.tencent.calls(TencentEmulator.GET_ROOM_LIST)).isBetween(8, 16);
            assertThat(emulators.tencent.maxCallsInAnyWindow(TencentEmulator.GET_ROOM_LIST, Duration.ofSeconds(1)))
                .isLessThanOrEqualTo(TencentEmulator.DEFAULT_LIST_RATE_LIMIT);
        }
        finally {
            ids.forEach(emulators.tencent::removeRoom);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aListingLongerThanTheWaitIsServedAsFarAsItGotAndFinishedForTheNextRequests() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(String.format("fleet-p-%04d", i));
        }
        try {
            long now = Instant.now().getEpochSecond();
            ids.forEach(id -> emulators.tencent.addRoom(new TencentRoom(id, "Room " + id, "owner-" + id, now, 50,
                    false, List.of("m-" + id))));
            String tencent = "?providers=" + ProviderEmulators.TENCENT + "&limit=500";
            // Fifty pages at Tencent's ten a second take five seconds however fast the machine, and each request
            // waits one: some request meanwhile gets the pages read so far. Asked for a listing read now, it is
            // preferred to the whole one another test left.
            Map<String, Object> partial = Await.value("a listing served as far as it got", () -> readNow(tencent),
                    listed -> listed.get("providers").toString().contains("LISTING_PARTIAL"), Await.GENEROUSLY);
            Map<String, Object> result = ((List<Map<String, Object>>) partial.get("providers")).get(0);
            assertThat(result).containsEntry("status", "timeout").containsEntry("source", "upstream");
            assertThat(((Map<String, Object>) result.get("error")).get("message").toString())
                .contains("rooms in").contains("it goes on being read");
            assertThat(partial).containsEntry("complete", false);
            assertThat(rooms(partial)).isNotEmpty().hasSizeLessThanOrEqualTo(500);
            assertThat(keys(partial)).doesNotHaveDuplicates().isSorted();

            Map<String, Object> whole = Await.value("the whole listing", () -> readNow(tencent),
                    listed -> Boolean.TRUE.equals(listed.get("complete")), Await.GENEROUSLY);
            assertThat(rooms(whole)).hasSize(500);
            // (Tencent's own limit on these calls is held in aBigTencentAppIsListedPageByPageWithinItsOwnListLimit.)
            assertThat(whole.get("nextCursor")).isNotNull();
        }
        finally {
            ids.forEach(emulators.tencent::removeRoom);
        }
    }

    @Test
    void aCursorWalkNeitherRepeatsNorLosesARoomWhileOthersStartAndEnd() {
        List<String> steady = new ArrayList<>();
        for (char c = 'a'; c <= 'g'; c++) {
            steady.add("fleet-" + c);
        }
        try {
            steady.forEach(id -> emulators.plugNmeet.addRoom(room(id)));
            Map<String, Object> first = page("?providers=" + ProviderEmulators.PLUGNMEET + "&limit=4", true);
            List<String> seen = new ArrayList<>(keys(first));
            // Between pages: a room before the cursor ends, one before it and one after it start.
            emulators.plugNmeet.removeRoom(DemoRooms.DEMO_STANDUP);
            emulators.plugNmeet.addRoom(room("fleet-0"));
            emulators.plugNmeet.addRoom(room("fleet-dd"));
            String cursor = (String) first.get("nextCursor");
            while (cursor != null) {
                Map<String, Object> next = page("?providers=" + ProviderEmulators.PLUGNMEET + "&limit=4&cursor="
                        + cursor, true);
                seen.addAll(keys(next));
                cursor = (String) next.get("nextCursor");
            }
            List<String> expectedSteady = new ArrayList<>(steady);
            expectedSteady.add(DemoRooms.TOWN_HALL);
            assertThat(seen).doesNotHaveDuplicates()
                .containsAll(expectedSteady.stream().map(id -> ProviderEmulators.PLUGNMEET + "/" + id).toList())
                .doesNotContain(ProviderEmulators.PLUGNMEET + "/fleet-0")
                .contains(ProviderEmulators.PLUGNMEET + "/fleet-dd");
            assertThat(seen).isSorted();
        }
        finally {
            steady.forEach(emulators.plugNmeet::removeRoom);
            emulators.plugNmeet.removeRoom("fleet-0");
            emulators.plugNmeet.removeRoom("fleet-dd");
            DemoRooms.installPlugNmeet(emulators.plugNmeet);
        }
    }

    @Test
    void filtersKeepOnlyRoomsThatSayTheyMatch() {
        page("?providers=" + PLUGNMEET_AND_VIDEOSDK, true);
        assertThat(keys(page("?providers=" + PLUGNMEET_AND_VIDEOSDK + "&recording=true", false)))
            .containsExactly(ProviderEmulators.PLUGNMEET + "/" + DemoRooms.TOWN_HALL);
        assertThat(keys(page("?providers=" + PLUGNMEET_AND_VIDEOSDK + "&recording=false", false)))
            .containsExactly(ProviderEmulators.PLUGNMEET + "/" + DemoRooms.DEMO_STANDUP);
        // VideoSDK's listing says nothing of streaming: its rooms pass neither streaming filter.
        assertThat(keys(page("?providers=" + PLUGNMEET_AND_VIDEOSDK + "&streaming=true", false)))
            .containsExactly(ProviderEmulators.PLUGNMEET + "/" + DemoRooms.TOWN_HALL);
        assertThat(keys(page("?providers=" + PLUGNMEET_AND_VIDEOSDK + "&minParticipants=5", false)))
            .containsExactly(ProviderEmulators.PLUGNMEET + "/" + DemoRooms.DEMO_STANDUP,
                    ProviderEmulators.VIDEOSDK + "/" + DemoRooms.DEMO_STANDUP,
                    ProviderEmulators.VIDEOSDK + "/" + DemoRooms.TOWN_HALL);
    }

    @Test
    void anUnchangedFleetIsNotModified() {
        String tag = client.get().uri("/v1/rooms?providers=" + PLUGNMEET_AND_VIDEOSDK)
            .header(HttpHeaders.CACHE_CONTROL, "no-cache").exchange()
            .expectStatus().isOk()
            .returnResult(String.class).getResponseHeaders().getETag();
        assertThat(tag).startsWith("W/\"");
        client.get().uri("/v1/rooms?providers=" + PLUGNMEET_AND_VIDEOSDK)
            .header(HttpHeaders.CACHE_CONTROL, "no-cache")
            .header(HttpHeaders.IF_NONE_MATCH, tag).exchange()
            .expectStatus().isNotModified()
            .expectHeader().valueEquals(HttpHeaders.ETAG, tag)
            .expectBody().isEmpty();
        try {
            emulators.plugNmeet.removeRoom(DemoRooms.TOWN_HALL);
            client.get().uri("/v1/rooms?providers=" + PLUGNMEET_AND_VIDEOSDK)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header(HttpHeaders.IF_NONE_MATCH, tag).exchange()
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.ETAG, changed -> assertThat(changed).isNotEqualTo(tag));
        }
        finally {
            DemoRooms.installPlugNmeet(emulators.plugNmeet);
        }
    }

    @Test
    void aFailingListingIsServedStaleWithTheReason() {
        page("?providers=" + PLUGNMEET_AND_VIDEOSDK, true);
        emulators.videoSdk.failWith(500, null);

        client.get().uri("/v1/rooms?providers=" + PLUGNMEET_AND_VIDEOSDK)
            .header(HttpHeaders.CACHE_CONTROL, "no-cache").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals(RoomHandler.COMPLETE_HEADER, "false")
            .expectBody()
            .jsonPath("$.complete").isEqualTo(false)
            .jsonPath("$.providers[0].status").isEqualTo("ok")
            .jsonPath("$.providers[1].status").isEqualTo("stale")
            .jsonPath("$.providers[1].source").isEqualTo("stale")
            .jsonPath("$.providers[1].ageMs").isNumber()
            .jsonPath("$.providers[1].error.code").isEqualTo("UPSTREAM_HTTP_500")
            .jsonPath("$.rooms.length()").isEqualTo(4);
    }

    @Test
    void aHerdOfTwoHundredCostsOneListingPerInstanceAtMostTwo() {
        page("?providers=" + PLUGNMEET_AND_VIDEOSDK, true);
        int plugNmeetBefore = emulators.plugNmeet.calls(PlugNmeetEmulator.ROOMS_INFO);
        int videoSdkBefore = emulators.videoSdk.calls(VideoSdkEmulator.SESSIONS);
        List<CompletableFuture<Integer>> herd = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            herd.add(CompletableFuture.supplyAsync(() -> client.get().uri("/v1/rooms?providers="
                    + PLUGNMEET_AND_VIDEOSDK).exchange().returnResult(String.class).getStatus().value()));
        }
        assertThat(herd.stream().map(CompletableFuture::join).toList()).containsOnly(200);
        // One read is reused for fresh-for (5 s): a herd slower than that on a busy machine may cost one more.
        assertThat(emulators.plugNmeet.calls(PlugNmeetEmulator.ROOMS_INFO) - plugNmeetBefore).isBetween(0, 2);
        assertThat(emulators.videoSdk.calls(VideoSdkEmulator.SESSIONS) - videoSdkBefore).isBetween(0, 2);
    }

    @ParameterizedTest
    @ValueSource(strings = { "?limit=0", "?limit=501", "?limit=ten", "?limit=1&limit=2", "?recording=yes",
        "?streaming=1", "?minParticipants=-1", "?minParticipants=many", "?page=2", "?providers=zoom",
        "?cursor=not-a-cursor", "?cursor=Zm9v.YmFy" })
    void badParametersAreProblemsAndReachNoUpstream(String query) {
        int before = emulators.totalCalls();
        client.get().uri("/v1/rooms" + query).exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.status").isEqualTo(400);
        assertThat(emulators.totalCalls()).isEqualTo(before);
    }

    @Test
    void aCursorChangedByTheClientIsRefused() {
        try {
            for (char c = 'a'; c <= 'c'; c++) {
                emulators.plugNmeet.addRoom(room("fleet-" + c));
            }
            String cursor = (String) page("?providers=" + ProviderEmulators.PLUGNMEET + "&limit=1", true)
                .get("nextCursor");
            assertThat(cursor).isNotNull();
            char last = cursor.charAt(cursor.length() - 1);
            String changed = cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');
            client.get().uri("/v1/rooms?cursor=" + changed).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:roomgate:problem:invalid-cursor");
        }
        finally {
            for (char c = 'a'; c <= 'c'; c++) {
                emulators.plugNmeet.removeRoom("fleet-" + c);
            }
        }
    }

    @Test
    void otherMethodsAre405AndHeadIsAGetWithoutBody() {
        client.post().uri("/v1/rooms").exchange()
            .expectStatus().isEqualTo(405)
            .expectHeader().value(HttpHeaders.ALLOW, allow -> assertThat(allow).contains("GET").contains("HEAD"));
        client.head().uri("/v1/rooms").exchange()
            .expectStatus().isOk()
            .expectBody().isEmpty();
    }

    @Test
    void aKeyWithoutPersonalDataSeesNoOwners() {
        anonymous().get().uri("/v1/rooms").header(ApiKeyAuthentication.HEADER, VIEWER_KEY)
            .header(HttpHeaders.CACHE_CONTROL, "no-cache").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.rooms[*].ownerId").value(owners ->
                    assertThat((List<?>) owners).allMatch(owner -> owner == null));
        anonymous().get().uri("/v1/rooms").exchange().expectStatus().isUnauthorized();
    }

    private static PlugNmeetRoom room(String id) {
        long now = Instant.now().getEpochSecond();
        return new PlugNmeetRoom(id, "Fleet " + id, "RM_" + id, true, false, false, now,
                PlugNmeetRoom.roomMetadata("Fleet " + id, false, false, now), List.of());
    }
}
