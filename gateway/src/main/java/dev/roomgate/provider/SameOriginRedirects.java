package dev.roomgate.provider;

import java.net.URI;
import java.util.Objects;
import java.util.function.BiPredicate;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Follows a redirect only for a read ({@code GET}/{@code HEAD}) and only to the same scheme, host and port, such as
 * {@code /v2/sessions} to {@code /v2/sessions/}. Credentials must never follow a redirect to anyone else, and a
 * signed POST must not turn into something else.
 */
final class SameOriginRedirects implements BiPredicate<HttpClientRequest, HttpClientResponse> {

    @Override
    public boolean test(HttpClientRequest request, HttpClientResponse response) {
        int status = response.status().code();
        boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        boolean read = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
        String location = response.responseHeaders().get(HttpHeaderNames.LOCATION);
        return redirect && read && location != null && sameOrigin(request.resourceUrl(), location);
    }

    static boolean sameOrigin(String requestUrl, String location) {
        try {
            URI from = URI.create(requestUrl);
            URI to = from.resolve(location);
            return Objects.equals(from.getScheme(), to.getScheme()) && Objects.equals(from.getHost(), to.getHost())
                    && port(from) == port(to);
        }
        catch (IllegalArgumentException unreadable) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
