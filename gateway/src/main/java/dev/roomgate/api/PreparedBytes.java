package dev.roomgate.api;

import java.util.ArrayList;
import java.util.List;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * A serialized body as the pieces it was written from (a document's envelope around the kept JSON of its rooms),
 * sent as one buffer that is a composite of them: the kept bytes go to the socket as they are, never copied into
 * a body-sized array per answer.
 */
record PreparedBytes(List<byte[]> pieces, int length) {

    PreparedBytes {
        pieces = List.copyOf(pieces);
    }

    static PreparedBytes of(byte[] whole) {
        return new PreparedBytes(List.of(whole), whole.length);
    }

    /** For a body built piece by piece. */
    static final class Builder {

        private final List<byte[]> pieces = new ArrayList<>();

        private int length;

        Builder add(byte[] piece) {
            pieces.add(piece);
            length = Math.addExact(length, piece.length);
            return this;
        }

        PreparedBytes build() {
            return new PreparedBytes(pieces, length);
        }
    }

    /** One buffer over the pieces, without copying them (a composite buffer on Netty). */
    DataBuffer buffer(DataBufferFactory factory) {
        if (pieces.size() == 1) {
            return factory.wrap(pieces.get(0));
        }
        List<DataBuffer> wrapped = new ArrayList<>(pieces.size());
        for (byte[] piece : pieces) {
            wrapped.add(factory.wrap(piece));
        }
        return factory.join(wrapped);
    }

    /** The whole body in one array: for comparing with what the mapper writes, not for answers. */
    byte[] bytes() {
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, out, at, piece.length);
            at += piece.length;
        }
        return out;
    }
}
