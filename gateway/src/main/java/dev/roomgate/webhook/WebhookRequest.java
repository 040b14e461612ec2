package dev.roomgate.webhook;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a provider's webhook brought, as it arrived: headers, query parameters and the exact body bytes (signatures
 * are over those bytes, never over a re-serialized body). Header and query names are looked up case-insensitively
 * (Tencent's docs spell {@code SdkAppid} and {@code SdkAppId}).
 *
 * @param headers every header's values by name
 * @param query every query parameter's values by name, decoded
 * @param body the raw body; empty when there was none
 */
public record WebhookRequest(Map<String, List<String>> headers, Map<String, List<String>> query, byte[] body) {

    public WebhookRequest {
        headers = caseInsensitive(headers);
        query = caseInsensitive(query);
        body = body == null ? new byte[0] : body.clone();
    }

    /** The first value of header {@code name}, or null when it is absent. */
    public String header(String name) {
        return first(headers, name);
    }

    /** The first value of query parameter {@code name}, or null when it is absent. */
    public String queryParameter(String name) {
        return first(query, name);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body without a copy, for the verifiers of this package, which only read it. */
    byte[] rawBody() {
        return body;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookRequest that && headers.equals(that.headers) && query.equals(that.query)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * headers.hashCode() + query.hashCode()) + Arrays.hashCode(body);
    }

    /** Names only: header values carry signatures and tokens. */
    @Override
    public String toString() {
        return "WebhookRequest[headers=" + headers.keySet() + ", query=" + query.keySet() + ", body=" + body.length
                + " bytes]";
    }

    private static String first(Map<String, List<String>> values, String name) {
        List<String> found = values.get(name);
        return found == null || found.isEmpty() ? null : found.get(0);
    }

    private static Map<String, List<String>> caseInsensitive(Map<String, List<String>> values) {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (values != null) {
            // A name given twice in different cases keeps the values of both, in the order met.
            values.forEach((name, list) -> copy.merge(name, list == null ? List.of() : List.copyOf(list),
                    (a, b) -> Stream.concat(a.stream(), b.stream()).toList()));
        }
        return Collections.unmodifiableMap(copy);
    }
}
