package dev.roomgate.provider;

import org.springframework.http.HttpHeaders;

/** An upstream HTTP answer, body fully read (and bounded in size). */
public record UpstreamReply(int status, HttpHeaders headers, byte[] body) {

    public boolean isSuccessful() {
        return status >= 200 && status < 300;
    }
}
