package dev.roomgate.provider.plugnmeet;

import java.util.HexFormat;

import dev.roomgate.config.Secret;
import dev.roomgate.provider.Hmac;

/** plugNmeet's HASH-SIGNATURE: lowercase hex HMAC-SHA256 of the exact request body bytes. */
public final class PlugNmeetSigner {

    private PlugNmeetSigner() {
    }

    public static String sign(Secret apiSecret, byte[] body) {
        return HexFormat.of().formatHex(Hmac.sha256(apiSecret.utf8(), body));
    }
}
