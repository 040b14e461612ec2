package dev.roomgate.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fleet answer ({@code GET /v1/rooms}) as the benchmark reads it: the rooms it lists, its cursor, and each
 * instance's result. Read with patterns rather than a JSON library: the driver only needs these few fields, and
 * their order is the schema records' own.
 */
record FleetPage(int httpStatus, long tookNanos, List<String> rooms, String nextCursor,
        Map<String, InstanceResult> instances) {

    /** One instance's result in the answer; {@code roomsSoFar} is what a LISTING_PARTIAL message says, else -1. */
    record InstanceResult(String status, String source, String code, int roomsSoFar, int pagesSoFar) {
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    private static final Pattern ROOM = Pattern.compile(
            "\\{\"provider\":\"([^\"]+)\",\"providerType\":\"[a-z]+\",\"roomId\":\"([^\"]+)\"");

    private static final Pattern CURSOR = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");

    private static final Pattern FIELD = Pattern.compile("\"(status|source|code)\":\"([^\"]*)\"");

    private static final Pattern SO_FAR = Pattern.compile("as far as (\\d+) rooms in (\\d+) pages");

    static CompletableFuture<FleetPage> get(String baseUrl, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .timeout(Duration.ofSeconds(60));
        headers.forEach(request::header);
        long sent = System.nanoTime();
        return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
            .thenApply(response -> parse(response.statusCode(), System.nanoTime() - sent, response.body()));
    }

    static FleetPage getNow(String baseUrl, String pathAndQuery, Map<String, String> headers)
            throws IOException {
        try {
            return get(baseUrl, pathAndQuery, headers).join();
        }
        catch (RuntimeException failed) {
            throw new IOException("GET " + pathAndQuery + " failed", failed);
        }
    }

    static String cursorParameter(String cursor) {
        return "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
    }

    static FleetPage parse(int status, long tookNanos, String body) {
        int providersAt = body.indexOf("\"providers\":[");
        String roomsPart = providersAt < 0 ? body : body.substring(0, providersAt);
        List<String> rooms = new ArrayList<>();
        Matcher room = ROOM.matcher(roomsPart);
        while (room.find()) {
            rooms.add(room.group(1) + "/" + room.group(2));
        }
        Matcher cursor = CURSOR.matcher(roomsPart);
        Map<String, InstanceResult> instances = new LinkedHashMap<>();
        if (providersAt >= 0) {
            // Each instance's result starts with its name; its error, if any, is inside that part.
            for (String part : body.substring(providersAt).split("\\{\"provider\":\"")) {
                int nameEnd = part.indexOf('"');
                if (nameEnd > 0 && part.contains("\"status\":")) {
                    instances.put(part.substring(0, nameEnd), result(part));
                }
            }
        }
        return new FleetPage(status, tookNanos, rooms, cursor.find() ? cursor.group(1) : null, instances);
    }

    private static InstanceResult result(String part) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher field = FIELD.matcher(part);
        while (field.find()) {
            fields.putIfAbsent(field.group(1), field.group(2));
        }
        Matcher soFar = SO_FAR.matcher(part);
        boolean partial = soFar.find();
        return new InstanceResult(fields.get("status"), fields.get("source"), fields.get("code"),
                partial ? Integer.parseInt(soFar.group(1)) : -1, partial ? Integer.parseInt(soFar.group(2)) : -1);
    }

    double tookMs() {
        return tookNanos / 1e6;
    }
}
