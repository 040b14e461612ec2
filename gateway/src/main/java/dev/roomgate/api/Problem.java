package dev.roomgate.api;

import org.springframework.http.HttpStatus;

/**
 * An RFC 9457 problem answer. {@code detail} is written by us and never reflects the client's input.
 *
 * @param type stable identifier of the kind of problem
 * @param requestId the request's id, to quote when reporting it
 */
public record Problem(String type, String title, int status, String detail, String requestId) {

    private static final String TYPE_PREFIX = "urn:roomgate:problem:";

    public static Problem of(HttpStatus status, String slug, String detail, String requestId) {
        return new Problem(TYPE_PREFIX + slug, status.getReasonPhrase(), status.value(), detail, requestId);
    }
}
