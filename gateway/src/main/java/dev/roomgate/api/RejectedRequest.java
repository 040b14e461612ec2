package dev.roomgate.api;

import org.springframework.http.HttpStatus;

/** A client request refused before any upstream call; becomes a problem answer. No stack trace: not a bug. */
final class RejectedRequest extends RuntimeException {

    private final HttpStatus status;

    private final String slug;

    RejectedRequest(HttpStatus status, String slug, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
    }

    static RejectedRequest badRequest(String slug, String detail) {
        return new RejectedRequest(HttpStatus.BAD_REQUEST, slug, detail);
    }

    HttpStatus status() {
        return status;
    }

    String slug() {
        return slug;
    }
}
