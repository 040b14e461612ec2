package dev.roomgate.config;

/** Validated, typed credentials of one provider instance. */
public sealed interface ProviderCredentials {

    /** plugNmeet: the API key sent as {@code API-KEY} and the secret that keys {@code HASH-SIGNATURE}. */
    record PlugNmeet(String apiKey, Secret apiSecret) implements ProviderCredentials {
    }

    /** Tencent: the SDKAppID, the app admin account and the key that signs UserSigs. */
    record Tencent(long sdkAppId, String identifier, Secret secretKey) implements ProviderCredentials {
    }

    /** VideoSDK: the API key put in the JWT and the secret that signs it. */
    record VideoSdk(String apiKey, Secret secret) implements ProviderCredentials {
    }
}
