package dev.roomgate.aggregate;

/**
 * The outcome of one real upstream lookup, as a value: a shared fetch hands the same one to every request that
 * waited for it.
 *
 * @param lookup the provider's answer, or null when it failed
 * @param failureStatus why it failed, or null
 * @param error the failure's details, or null
 * @param retries upstream calls that were repeated during this lookup
 */
public record Fetched(RoomLookup lookup, ProviderStatus failureStatus, ProviderError error, int retries) {

    public boolean succeeded() {
        return lookup != null;
    }

    public ProviderStatus status() {
        if (lookup instanceof RoomLookup.Found) {
            return ProviderStatus.OK;
        }
        return lookup != null ? ProviderStatus.NOT_FOUND : failureStatus;
    }

    /** A failure of this room's own ({@link ProviderException#isRoomFailure(ProviderStatus, Integer)}). */
    public boolean isRoomFailure() {
        return lookup == null && ProviderException.isRoomFailure(failureStatus, error == null ? null : error.httpStatus());
    }

    public Room room() {
        return lookup instanceof RoomLookup.Found found ? found.room() : null;
    }
}
