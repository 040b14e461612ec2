package dev.roomgate.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.roomgate.config.RoomgateProperties.ApiKeyProperties;
import dev.roomgate.config.RoomgateProperties.SecurityProperties;

/** The configured client keys, validated: only their SHA-256 hashes are ever held. */
public final class ApiKeys {

    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{0,31}$");

    private static final Pattern SHA256_HEX = Pattern.compile("^[0-9a-f]{64}$");

    private static final String PREFIX = "roomgate.security.api-keys";

    /** What a key may see. */
    public enum Permission {

        ROOMS, PARTICIPANTS, PROVIDERS;

        /** The authority a caller holds for it: the same name as the bearer-token scope that grants it. */
        public String authority() {
            return "roomgate:" + name().toLowerCase(Locale.ROOT);
        }

        /** The permission an authority stands for, if any. */
        public static Optional<Permission> fromAuthority(String authority) {
            for (Permission permission : values()) {
                if (permission.authority().equals(authority)) {
                    return Optional.of(permission);
                }
            }
            return Optional.empty();
        }

        static Optional<Permission> fromWireName(String name) {
            for (Permission permission : values()) {
                if (permission.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return Optional.of(permission);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A client key: its holder's name, the hash of the key, what it may see, and how it ranks for a contended
     * provider quota.
     */
    public record ApiKey(String name, byte[] sha256, Set<Permission> permissions, Priority priority, int quotaShare) {

        @Override
        public String toString() {
            return "ApiKey[" + name + " " + permissions + " " + priority.wireName() + " share " + quotaShare + "]";
        }
    }

    private final boolean enabled;

    private final List<ApiKey> keys;

    private ApiKeys(boolean enabled, List<ApiKey> keys) {
        this.enabled = enabled;
        this.keys = List.copyOf(keys);
    }

    public static ApiKeys from(SecurityProperties security) {
        List<ApiKey> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<ApiKeyProperties> configured = security.apiKeys();
        for (int i = 0; i < configured.size(); i++) {
            String key = PREFIX + "[" + i + "]";
            ApiKeyProperties props = configured.get(i);
            if (props.name() == null || !NAME.matcher(props.name()).matches()) {
                throw new InvalidConfigurationException(key + ".name", "must match " + NAME.pattern());
            }
            if (!names.add(props.name())) {
                throw new InvalidConfigurationException(key + ".name", "is used by another key");
            }
            if (props.sha256() == null || !SHA256_HEX.matcher(props.sha256()).matches()) {
                throw new InvalidConfigurationException(key + ".sha256",
                        "must be the lower-case hex SHA-256 of the key (64 characters), never the key itself");
            }
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            for (String permission : props.permissions()) {
                permissions.add(Permission.fromWireName(permission).orElseThrow(() -> new InvalidConfigurationException(
                        key + ".permissions", "unknown permission; expected rooms, participants or providers")));
            }
            // Bean Validation already held the value to the two names.
            Priority rank = Priority.fromWireName(props.priority()).orElseThrow();
            keys.add(new ApiKey(props.name(), HexFormat.of().parseHex(props.sha256()), permissions, rank,
                    props.quotaShare()));
        }
        boolean tokensAccepted = security.jwt().jwkSetUri() != null && !security.jwt().jwkSetUri().isBlank();
        if (security.enabled() && keys.isEmpty() && !tokensAccepted) {
            throw new InvalidConfigurationException(PREFIX, "at least one key (or roomgate.security.jwt.jwk-set-uri) "
                    + "is required while roomgate.security.enabled is true");
        }
        return new ApiKeys(security.enabled(), keys);
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The key whose hash matches, compared in constant time against every configured key, so that neither the
     * answer's timing nor its content says which key came close.
     */
    public Optional<ApiKey> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        ApiKey match = null;
        for (ApiKey key : keys) {
            if (MessageDigest.isEqual(hash, key.sha256()) && match == null) {
                match = key;
            }
        }
        return Optional.ofNullable(match);
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }
}
