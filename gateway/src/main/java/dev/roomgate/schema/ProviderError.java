package dev.roomgate.schema;

/**
 * Why a provider instance gave no usable answer.
 *
 * @param code stable upper-case code
 * @param message human-readable; never contains a credential or an upstream URL
 * @param httpStatus the upstream HTTP status, where there was one
 * @param upstreamCode the provider's own error code, where there was one
 */
public record ProviderError(String code, String message, Integer httpStatus, String upstreamCode) {

    /** A fleet listing's {@code timeout} that still brings the rooms read so far (contract 2.1, extended). */
    public static final String LISTING_PARTIAL = "LISTING_PARTIAL";

    /** The message and the provider's code may quote the provider: bounded and stripped ({@link UpstreamText}). */
    public ProviderError {
        message = UpstreamText.bound(message);
        upstreamCode = UpstreamText.bound(upstreamCode);
    }
}
