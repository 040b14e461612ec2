package dev.roomgate.provider;

import java.net.URI;
import java.util.Objects;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Follows a redirect only for a read ({@code GET}/{@code HEAD}) and only to the same scheme, host and port, such as
 * {@code /v2/sessions} to {@code /v2/sessions/}. Credentials must never follow a redirect to anyone else, and a
 * signed POST must not turn into something else. {@link UpstreamHttp} follows them itself, one hop at a time, so
 * that every hop passes the instance's quota (the HTTP client's own redirect handling would make hops free).
 */
final class SameOriginRedirects {

    private SameOriginRedirects() {
    }

    /** Where to go next, or null when the reply is not a redirect this request may follow. */
    static URI target(HttpMethod method, URI from, UpstreamReply reply) {
        int status = reply.status();
        boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        boolean read = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
        String location = reply.headers().getFirst(HttpHeaders.LOCATION);
        if (!redirect || !read || location == null) {
            return null;
        }
        try {
            URI to = from.resolve(location.strip());
            return sameOrigin(from, to) ? to : null;
        }
        catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    static boolean sameOrigin(URI from, URI to) {
        return Objects.equals(from.getScheme(), to.getScheme()) && Objects.equals(from.getHost(), to.getHost())
                && port(from) == port(to);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
