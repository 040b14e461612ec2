package dev.roomgate.emulator;

/** A Tencent REST error: HTTP 200 with {@code ActionStatus:"FAIL"} and this code. */
record TencentError(int code, String info) {

    static TencentError of(int code) {
        return new TencentError(code, switch (code) {
            case 60002 -> "HTTP parse error, please check the URL format";
            case 60003 -> "request JSON parse error";
            case 60006 -> "SDKAppID is invalid";
            case 60007 -> "The RESTful API call exceeds the frequency limit. Try again later.";
            case 60010 -> "identifier must be an App admin account";
            case 60011 -> "The SDKAppID request exceeds the frequency limit. Try again later.";
            case 60012 -> "SDKAppID is missing from the URL";
            case 70001 -> "UserSig expired";
            case 70002 -> "UserSig length is 0";
            case 70003 -> "Invalid UserSig";
            case 70009 -> "UserSig verification failed";
            case 70013 -> "The UserID in the request does not match the UserID in the UserSig";
            case 70014 -> "The SDKAppID in the request does not match the SDKAppID in the UserSig";
            case 100001 -> "Internal server error, please retry";
            case 100002 -> "Invalid parameter";
            case 100004 -> "The room does not exist";
            default -> "error " + code;
        });
    }
}
