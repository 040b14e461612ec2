package dev.roomgate.watch;

/** The kinds of event a room's stream carries (contract 2.3), by their wire names. */
public enum WatchEventType {
    SNAPSHOT("snapshot"),
    ROOM("room"),
    PARTICIPANT_JOINED("participant-joined"),
    PARTICIPANT_LEFT("participant-left"),
    PARTICIPANT_UPDATED("participant-updated"),
    PROVIDERS("providers"),
    ROOM_ENDED("room-ended"),
    /** The last event of a stream the server closes (a watcher too slow to keep up). */
    ERROR("error");

    private final String wireName;

    WatchEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
