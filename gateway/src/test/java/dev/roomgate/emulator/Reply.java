package dev.roomgate.emulator;

/** What an emulator answers to one request, before faults such as delays are applied. */
record Reply(int status, String contentType, String body) {

    static final String JSON = "application/json";

    static final String TEXT = "text/plain; charset=utf-8";

    Reply {
        body = body == null ? "" : body;
    }

    static Reply json(int status, String body) {
        return new Reply(status, JSON, body);
    }

    static Reply text(int status, String body) {
        return new Reply(status, TEXT, body);
    }

    /** A reply whose content type is guessed from the body, for bodies supplied by a test. */
    static Reply guessed(int status, String body) {
        String trimmed = body == null ? "" : body.stripLeading();
        boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
        return new Reply(status, json ? JSON : TEXT, body);
    }
}
